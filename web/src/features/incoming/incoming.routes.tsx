import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { RouteObject } from 'react-router';
import IconInbox from '@tabler/icons-react/dist/esm/icons/IconInbox.mjs';
import IconBook from '@tabler/icons-react/dist/esm/icons/IconBook.mjs';
import IconShieldX from '@tabler/icons-react/dist/esm/icons/IconShieldX.mjs';
import type { NavSection } from '../../shell/nav.ts';
import { RequireRole } from '../../shell/require-role.tsx';
import { LoadingState } from '../../ui/states.tsx';
import { lazyPage, pageQuery, preloads } from '../../shell/preload.ts';
import { hasIncomingBox, INCOMING_BOX_ROLES, type IncomingBox } from '../../../../src/domain/incoming/incoming.boxes.ts';
import { incomingDetailQuery, incomingListQuery } from './incoming.queries.ts';
import { EXCHANGE_ROLES } from '../outgoing/outgoing-routes.ts';

const ListPage = lazyPage(() => import('./incoming-list.page.tsx'));
const DetailPage = lazyPage(() => import('./incoming-detail.page.tsx'));
const RegisterPage = lazy(() => import('./incoming-register.page.tsx'));
const RefusedPage = lazy(() => import('./incoming-refused.page.tsx'));

/** Roles that keep or read the incoming register (the server's rule: incoming.register_book). */
const BOOK_ROLES = ['clerk', 'leader', 'archivist'] as const;

const page = (Page: LazyExoticComponent<ComponentType>) => <Suspense fallback={<LoadingState />}><Page /></Suspense>;

/** The incoming flow's pages, mounted inside the signed-in layout. */
export const incomingRoutes: RouteObject[] = [
  // the list the address names (`?box=direct`: the home page's tiles) once the roles are known and have it: the
  // page never asks for a list the user's roles do not give them (it sends them to theirs); none during the session check
  { path: 'incoming', element: page(ListPage), ...preloads(ListPage, pageQuery(({ search, user }) => {
    const box = search.get('box');
    return user && box && Object.hasOwn(INCOMING_BOX_ROLES, box) && hasIncomingBox(user, box as IncomingBox) ? incomingListQuery(box as IncomingBox, '') : null;
  })) },
  { path: 'incoming/register', element: <RequireRole roles={BOOK_ROLES}>{page(RegisterPage)}</RequireRole> },
  { path: 'incoming/refused', element: <RequireRole roles={EXCHANGE_ROLES}>{page(RefusedPage)}</RequireRole> },
  { path: 'incoming/:id', element: page(DetailPage), ...preloads(DetailPage, pageQuery(({ params }) => incomingDetailQuery(params.id ?? ''))) },
];

/** The incoming flow's navigation section. */
export const incomingNav: NavSection = {
  items: [
    { to: '/incoming', label: 'nav.incoming', icon: IconInbox },
    { to: '/incoming/register', label: 'nav.incomingRegister', icon: IconBook, roles: BOOK_ROLES },
    { to: '/incoming/refused', label: 'nav.incomingRefused', icon: IconShieldX, roles: EXCHANGE_ROLES },
  ],
};
