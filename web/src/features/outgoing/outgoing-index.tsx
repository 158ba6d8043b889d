import { Navigate } from 'react-router';
import { useSession } from '../../auth/session.ts';
import { outgoingHomeOf } from './outgoing-routes.ts';

/** /outgoing itself (typed, or an old bookmark): the list of the user's daily outgoing work (`outgoingHomeOf`). */
export function OutgoingIndex() {
  const user = useSession().data?.user;
  if (!user) return null;
  return <Navigate to={outgoingHomeOf(user)} replace />;
}
