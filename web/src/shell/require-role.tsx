import type { ReactNode } from 'react';
import { hasAnyRole, useSession, type Role, type SessionView } from '../auth/session.ts';
import { ForbiddenPage } from '../pages/forbidden.page.tsx';

/**
 * Renders its page only for users with one of the `roles`, or whom the session's rule `can` allows (a rule
 * that needs more than roles, decided by the server); others see a "no access" page.
 */
export function RequireRole({ roles, can, children }: { roles?: readonly Role[]; can?: keyof SessionView['can']; children: ReactNode }) {
  const { data } = useSession();
  if (!data || (roles && !hasAnyRole(data.user, roles)) || (can && !data.can[can])) return <ForbiddenPage />;
  return children;
}
