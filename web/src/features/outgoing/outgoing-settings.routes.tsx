import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { RouteObject } from 'react-router';
import { RequireRole } from '../../shell/require-role.tsx';
import { LoadingState } from '../../ui/states.tsx';
import { CHAIN_ROLES, DELEGATION_ROLES } from './outgoing-routes.ts';

const DelegationsPage = lazy(() => import('./outgoing-delegations.page.tsx'));
const ChainPage = lazy(() => import('./outgoing-chain.page.tsx'));

const page = (Page: LazyExoticComponent<ComponentType>) => <Suspense fallback={<LoadingState />}><Page /></Suspense>;

/** The outgoing flow's settings pages (a leader's signing delegation, the agency's review chain), mounted before `outgoing/:id`. */
export const outgoingSettingsRoutes: RouteObject[] = [
  { path: 'outgoing/delegations', element: <RequireRole roles={DELEGATION_ROLES}>{page(DelegationsPage)}</RequireRole> },
  { path: 'outgoing/chain', element: <RequireRole roles={CHAIN_ROLES}>{page(ChainPage)}</RequireRole> },
];
