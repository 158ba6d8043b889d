import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchRoutes, type RouteObject } from 'react-router';

/** A lazy page that can also be fetched before it renders. */
export type LazyPage = LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };

/** `React.lazy` whose loader is kept: the same `import()`, so a preload and the render share one download. */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  return Object.assign(lazy(load), { preload: load });
}

/** The route property that lets `preloadRoute` fetch a route's page, and what else it shows (`more`), before it renders. */
export function preloads(page: LazyPage, ...more: (() => Promise<unknown>)[]): { handle: { preload: () => Promise<unknown> } } {
  return { handle: { preload: () => Promise.all([page.preload(), ...more.map((load) => load())]) } };
}

let appRoutes: RouteObject[] = [];

/** The app's route table, for `preloadRoute` (set once by createRouter). */
export function setPreloadRoutes(routes: RouteObject[]): void {
  appRoutes = routes;
}

/**
 * Starts downloading the code of every route `pathname` matches that has one to fetch: the signed-in
 * frame and the page together, rather than the page only once the frame has arrived and rendered — on a
 * slow network each is a round trip or more. A failed preload is left to the route, which loads again.
 */
export function preloadRoute(pathname: string): void {
  for (const match of matchRoutes(appRoutes, pathname) ?? []) {
    const handle = match.route.handle as { preload?: () => Promise<unknown> } | undefined;
    handle?.preload?.().catch(() => undefined);
  }
}
