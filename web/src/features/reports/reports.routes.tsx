import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import IconChartBar from '@tabler/icons-react/dist/esm/icons/IconChartBar.mjs';
import type { NavItem } from '../../shell/nav.ts';
import { RequireRole } from '../../shell/require-role.tsx';
import { LoadingState } from '../../ui/states.tsx';

const ReportsPage = lazy(() => import('./reports.page.tsx'));

/** Roles with a report scope (src/policies/reports.ts): the agency's, their unit's or their own numbers; archivists also count the work files. */
const REPORT_ROLES = ['leader', 'clerk', 'admin', 'unit_head', 'staff', 'archivist'] as const;

/** The reports page, mounted inside the signed-in layout. */
export const reportsRoutes: RouteObject[] = [
  { path: 'reports', element: <RequireRole roles={REPORT_ROLES}><Suspense fallback={<LoadingState />}><ReportsPage /></Suspense></RequireRole> },
];

/** The menu entry "Báo cáo thống kê". */
export const reportsNavItem: NavItem = { to: '/reports', label: 'nav.reports', icon: IconChartBar, roles: REPORT_ROLES };
