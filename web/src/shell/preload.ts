import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FetchQueryOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import { matchRoutes, type Params, type RouteObject } from 'react-router';
import type { SessionUser } from '../auth/session.ts';

/** A lazy page that can also be fetched before it renders. */
export type LazyPage = LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };

/** `React.lazy` whose loader is kept: the same `import()`, so a preload and the render share one download. */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  return Object.assign(lazy(load), { preload: load });
}

/**
 * Where a route is opened: its path's parameters (`:id`), the address's query string, and the signed-in
 * user once the session has come (undefined while it is asked for: a page opened from a link).
 */
export type RouteAt = { params: Params; search: URLSearchParams; user: SessionUser | undefined };

/** A page's first request, started by `preloadRouteData` with the query client and where the route is opened: its key, or null when none. */
export type PageQuery = { query: (client: QueryClient, at: RouteAt) => QueryKey | null };

/**
 * The request a page makes first, at the address it is opened at: the page's own query definition (its
 * `queryOptions`, the same key and fetch as the page's `useQuery`), or null when the address says too
 * little (the page chooses from the user's roles). For `preloads`.
 */
export function pageQuery<T, K extends QueryKey>(options: (at: RouteAt) => FetchQueryOptions<T, Error, T, K> | null): PageQuery {
  return { query: (client, at) => {
    const query = options(at);
    if (!query) return null;
    prefetchForPage(client, query);
    return query.queryKey;
  } };
}

/**
 * Starts a page's query into the cache the page reads (nothing when a fresh answer is there). An answer
 * the page will render from or join on its way; a refusal or failure is not kept: signed out (401) the
 * person signs in and the page then asks again; a document or list the user may not open (403, 404) or a
 * network failure — the page asks itself, as without the preload, and shows its own state. Unless the page
 * is already showing it: then it is the page's own answer.
 */
function prefetchForPage<T, K extends QueryKey>(client: QueryClient, options: FetchQueryOptions<T, Error, T, K>): void {
  void client.prefetchQuery(options).then(() => {
    const query = client.getQueryCache().find({ queryKey: options.queryKey, exact: true });
    if (query?.state.status === 'error' && query.getObserversCount() === 0) client.removeQueries({ queryKey: options.queryKey, exact: true });
  });
}

type Handle = { preload: () => Promise<unknown>; query?: (client: QueryClient, at: RouteAt) => QueryKey[] };

/**
 * The route property that lets `preloadRoute` fetch a route's page, and what else it shows (`more`: other
 * code, e.g. pdf.js), before it renders; and `preloadRouteData` its first request (a `pageQuery`).
 */
export function preloads(page: LazyPage, ...more: ((() => Promise<unknown>) | PageQuery)[]): { handle: Handle } {
  const code = more.filter((m): m is () => Promise<unknown> => typeof m === 'function');
  const queries = more.filter((m): m is PageQuery => typeof m !== 'function');
  return {
    handle: {
      preload: () => Promise.all([page.preload(), ...code.map((load) => load())]),
      ...(queries.length > 0 && { query: (client, at) => queries.map((q) => q.query(client, at)).filter((key): key is QueryKey => key !== null) }),
    },
  };
}

let appRoutes: RouteObject[] = [];

/** The app's route table, for `preloadRoute` (set once by createRouter). */
export function setPreloadRoutes(routes: RouteObject[]): void {
  appRoutes = routes;
}

const handlesOf = (pathname: string) =>
  (matchRoutes(appRoutes, pathname) ?? []).map((match) => ({ params: match.params, handle: match.route.handle as Partial<Handle> | undefined }));

/**
 * Starts downloading the code of every route `pathname` matches that has one to fetch: the signed-in
 * frame and the page together, rather than the page only once the frame has arrived and rendered — on a
 * slow network each is a round trip or more. A failed preload is left to the route, which loads again.
 */
export function preloadRoute(pathname: string): void {
  for (const { handle } of handlesOf(pathname)) handle?.preload?.().catch(() => undefined);
}

/**
 * Starts the first request of the page at `pathname` and `search` (its route's `pageQuery`), into the
 * query cache the page reads: opened from a link, while the session is asked for rather than once it has
 * come and the page has rendered — a round trip or more less on a slow network. Only for a session that is
 * there or not known yet (RequireSession). Returns what to call once the session is known to be absent:
 * the requests still on their way are cancelled (their state as before them, no error for anyone: a 401
 * arriving after the person has signed in again must not sign them out); one already refused is dropped
 * (prefetchForPage).
 */
export function preloadRouteData(client: QueryClient, pathname: string, search: string, user: SessionUser | undefined): () => void {
  const query = new URLSearchParams(search);
  const keys: QueryKey[] = handlesOf(pathname).flatMap(({ params, handle }) => handle?.query?.(client, { params, search: query, user }) ?? []);
  return () => {
    for (const queryKey of keys) {
      const started = client.getQueryCache().find({ queryKey, exact: true });
      if (started?.state.fetchStatus === 'fetching' && started.getObserversCount() === 0) void started.cancel({ revert: true });
    }
  };
}
