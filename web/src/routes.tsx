import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import LoginPage from './auth/login.page.tsx';
import { RequireSession } from './shell/require-session.tsx';
import { RequireRole } from './shell/require-role.tsx';
import { RouteError } from './shell/route-error.tsx';
import { ADMIN_ROLES, ARCHIVE_ROLES, PROVINCE_ROLES } from './shell/nav.ts';
import { BOXES, EXCHANGE_ROLES, REGISTER_ROLES, type Box } from './features/outgoing/outgoing-routes.ts';
import { outgoingCountsQuery, outgoingDetailQuery, outgoingListQuery } from './features/outgoing/outgoing.queries.ts';
import { incomingCountsQuery } from './features/incoming/incoming.queries.ts';
import { LoadingState } from './ui/states.tsx';
import { hasAnyRole } from './auth/session.ts';
import { incomingRoutes } from './features/incoming/incoming.routes.tsx';
import { recordsRoutes } from './features/records/records.routes.tsx';
import { reportsRoutes } from './features/reports/reports.routes.tsx';
import { outgoingSettingsRoutes } from './features/outgoing/outgoing-settings.routes.tsx';
import { OutgoingIndex } from './features/outgoing/outgoing-index.tsx';
import { ACCESS_CHANGE_ROLES } from './admin/access-changes-tile.tsx';
import { lazyPage, pageQuery, preloadRoute, preloads, setPreloadRoutes } from './shell/preload.ts';

// Only the login page is in the first download; everything behind it is fetched on demand. The frame and
// the pages users land on are preloadable (shell/preload.ts): fetched together, and while the login form is open.
const ForgotPasswordPage = lazy(() => import('./auth/forgot-password.page.tsx'));
const ResetPasswordPage = lazy(() => import('./auth/reset-password.page.tsx'));
const CheckPage = lazy(() => import('./features/verification/check.page.tsx'));
const AppLayout = lazyPage(() => import('./shell/app-layout.tsx'));
const DashboardPage = lazyPage(() => import('./pages/dashboard.page.tsx'));
const ProfilePage = lazyPage(() => import('./profile/profile.page.tsx'));
const UnitsPage = lazy(() => import('./admin/units.page.tsx'));
const UsersPage = lazy(() => import('./admin/users.page.tsx'));
const OutboxPage = lazy(() => import('./admin/outbox.page.tsx'));
const CertificatesPage = lazy(() => import('./admin/certificates.page.tsx'));
const RegistersPage = lazy(() => import('./admin/registers.page.tsx'));
const ExchangeConnectionPage = lazy(() => import('./admin/exchange.page.tsx'));
const AuditPage = lazy(() => import('./admin/audit.page.tsx'));
const ArchivePage = lazy(() => import('./admin/archive.page.tsx'));
const BackupPage = lazy(() => import('./admin/backup.page.tsx'));
const AgenciesPage = lazy(() => import('./admin/agencies.page.tsx'));
const AccessChangesPage = lazy(() => import('./admin/access-changes.page.tsx'));
const OutgoingBoxPage = lazyPage(() => import('./features/outgoing/outgoing-list.page.tsx'));
const OutgoingDetailPage = lazyPage(() => import('./features/outgoing/outgoing-detail.page.tsx'));
const OutgoingFormPage = lazy(() => import('./features/outgoing/outgoing-form.page.tsx'));
const OutgoingRegisterPage = lazy(() => import('./features/outgoing/outgoing-register.page.tsx'));
const OutgoingSendingPage = lazy(() => import('./features/outgoing/outgoing-sending.page.tsx'));
const NotFoundPage = lazy(() => import('./pages/not-found.page.tsx'));
const SearchPage = lazyPage(() => import('./pages/search.page.tsx'));

function page(Page: LazyExoticComponent<ComponentType>, minHeight?: string) {
  return <Suspense fallback={<LoadingState minHeight={minHeight} />}><Page /></Suspense>;
}

/** The app's routes: public pages, then the signed-in app (with role-guarded admin pages) and a not-found page. */
export function createRouter() {
  const pages: RouteObject[] = [
    { path: '/login', element: <LoginPage /> },
    { path: '/forgot-password', element: page(ForgotPasswordPage, '100dvh') },
    { path: '/reset-password', element: page(ResetPasswordPage, '100dvh') },
    { path: '/kiem-tra-chu-ky', element: page(CheckPage, '100dvh') },
    {
      element: <RequireSession />,
      children: [{
        element: page(AppLayout, '100dvh'),
        ...preloads(AppLayout),
        // a page that fails to load or draw says so inside the frame, the header and menu still there
        children: [{ errorElement: <RouteError />, children: [
          // every user's home page asks for both counts (the tiles shown are the roles')
          { index: true, element: <DashboardPage />, ...preloads(DashboardPage, pageQuery(incomingCountsQuery), pageQuery(outgoingCountsQuery)) },
          { path: 'profile', element: <ProfilePage />, ...preloads(ProfilePage) },
          { path: 'search', element: <SearchPage />, ...preloads(SearchPage) },
          ...incomingRoutes,
          ...recordsRoutes,
          ...reportsRoutes,
          { path: 'admin/units', element: <RequireRole roles={ADMIN_ROLES}><UnitsPage /></RequireRole> },
          { path: 'admin/users', element: <RequireRole roles={ADMIN_ROLES}><UsersPage /></RequireRole> },
          { path: 'admin/certificates', element: <RequireRole roles={ADMIN_ROLES}><CertificatesPage /></RequireRole> },
          { path: 'admin/registers', element: <RequireRole roles={ADMIN_ROLES}><RegistersPage /></RequireRole> },
          { path: 'admin/outbox', element: <RequireRole roles={ADMIN_ROLES}><OutboxPage /></RequireRole> },
          { path: 'admin/exchange', element: <RequireRole roles={ADMIN_ROLES}><ExchangeConnectionPage /></RequireRole> },
          { path: 'admin/audit', element: <RequireRole roles={ADMIN_ROLES}><AuditPage /></RequireRole> },
          { path: 'admin/archive', element: <RequireRole roles={ARCHIVE_ROLES}><ArchivePage /></RequireRole> },
          { path: 'admin/backups', element: <RequireRole can="manageBackups"><BackupPage /></RequireRole> },
          { path: 'admin/agencies', element: <RequireRole roles={PROVINCE_ROLES}><AgenciesPage /></RequireRole> },
          { path: 'admin/access-changes', element: <RequireRole roles={ACCESS_CHANGE_ROLES}><AccessChangesPage /></RequireRole> },
          { path: 'outgoing', element: <OutgoingIndex /> },
          // a work list's rows once the roles are known and have it (never a list the roles do not give: the page sends them to theirs)
          ...(Object.entries(BOXES) as [Box, (typeof BOXES)[Box]][]).map(([box, { path, roles }]) => ({
            path: path.slice(1), element: <OutgoingBoxPage />,
            ...preloads(OutgoingBoxPage, pageQuery(({ user }) => (user && hasAnyRole(user, roles) ? outgoingListQuery(box, '') : null))),
          })),
          { path: 'outgoing/new', element: <OutgoingFormPage /> },
          ...outgoingSettingsRoutes,
          { path: 'outgoing/register', element: <RequireRole roles={REGISTER_ROLES}><OutgoingRegisterPage /></RequireRole> },
          { path: 'outgoing/sending', element: <RequireRole roles={EXCHANGE_ROLES}><OutgoingSendingPage /></RequireRole> },
          { path: 'outgoing/:id', element: <OutgoingDetailPage />, ...preloads(OutgoingDetailPage, pageQuery(({ params }) => outgoingDetailQuery(params.id ?? ''))) },
          { path: 'outgoing/:id/edit', element: <OutgoingFormPage /> },
          { path: '*', element: <NotFoundPage /> },
        ] }],
      }],
    },
  ];
  // anything else that fails (the frame's own code, a public page) says so on a page of its own
  const routes: RouteObject[] = [{ errorElement: <RouteError />, children: pages }];
  setPreloadRoutes(routes);
  const router = createBrowserRouter(routes);
  // a tap inside the app: what the page shows besides its own code (pdf.js) comes down with it
  router.subscribe((state) => preloadRoute(state.location.pathname));
  return router;
}
