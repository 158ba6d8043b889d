import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { RouteObject } from 'react-router';
import IconFolders from '@tabler/icons-react/dist/esm/icons/IconFolders.mjs';
import IconListDetails from '@tabler/icons-react/dist/esm/icons/IconListDetails.mjs';
import type { NavSection } from '../../shell/nav.ts';
import { RequireRole } from '../../shell/require-role.tsx';
import { LoadingState } from '../../ui/states.tsx';
import { lazyPage, pageQuery, preloads } from '../../shell/preload.ts';
import { recordsFileQuery } from './records.queries.ts';

const ListPage = lazy(() => import('./records-list.page.tsx'));
const DetailPage = lazyPage(() => import('./records-detail.page.tsx'));
const PlanPage = lazy(() => import('./records-plan.page.tsx'));
const HandOverPage = lazy(() => import('./records-hand-over.page.tsx'));

/** Roles that draw up the file plan (the server's rule: records.plan.manage). */
const PLAN_ROLES = ['clerk', 'admin'] as const;

const page = (Page: LazyExoticComponent<ComponentType>) => <Suspense fallback={<LoadingState />}><Page /></Suspense>;

/** The work files' pages, mounted inside the signed-in layout. */
export const recordsRoutes: RouteObject[] = [
  { path: 'records', element: page(ListPage) },
  { path: 'records/plan', element: <RequireRole roles={PLAN_ROLES}>{page(PlanPage)}</RequireRole> },
  { path: 'records/hand-over', element: page(HandOverPage) },
  { path: 'records/:id', element: page(DetailPage), ...preloads(DetailPage, pageQuery(({ params }) => recordsFileQuery(params.id ?? ''))) },
];

/** The work files' navigation section. */
export const recordsNav: NavSection = {
  label: 'nav.section.records',
  items: [
    { to: '/records', label: 'nav.records', icon: IconFolders },
    { to: '/records/plan', label: 'nav.recordsPlan', icon: IconListDetails, roles: PLAN_ROLES },
  ],
};
