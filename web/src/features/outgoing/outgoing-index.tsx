import { Navigate } from 'react-router';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { BOXES, REGISTER_ROLES } from './outgoing-routes.ts';

/**
 * /outgoing itself (typed, or an old bookmark): the user's first outgoing list, as the navigation orders
 * them — a staff member's drafts, the clerk's «Chờ phát hành»; the archivist, who has no work list, the
 * register; anyone else the home page.
 */
export function OutgoingIndex() {
  const user = useSession().data?.user;
  if (!user) return null;
  const first = Object.values(BOXES).find((b) => hasAnyRole(user, b.roles))?.path ?? (hasAnyRole(user, REGISTER_ROLES) ? '/outgoing/register' : '/');
  return <Navigate to={first} replace />;
}
