import type { ReactNode } from 'react';
import { hasAnyRole, useSession, type Role } from '../auth/session.ts';
import { ForbiddenPage } from '../pages/forbidden.page.tsx';

/** Renders its page only for users with one of the roles; others see a "no access" page. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { data } = useSession();
  if (!data || !hasAnyRole(data.user, roles)) return <ForbiddenPage />;
  return children;
}
