import { lazy, Suspense, useEffect, useRef } from 'react';
import { Center, Container } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';
import { setSessionLostHandler } from '../api/query.ts';
import { setCsrfToken } from '../api/client.ts';
import { SESSION_KEY, useSession } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { preloadRoute, preloadRouteData } from './preload.ts';

const MustChangePasswordPage = lazy(() => import('../auth/must-change-password.page.tsx'));

/** Guards the app: signed-out users go to /login (and come back after), users with a temporary password change it first. */
export function RequireSession() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    setSessionLostHandler(() => {
      if (!client.getQueryData(SESSION_KEY)) return;
      setCsrfToken('');
      client.setQueryData(SESSION_KEY, null);
      notifications.show({ id: 'session-lost', color: 'yellow', message: t('shell.sessionExpired') });
    });
  }, [client, t]);
  // The frame's and the page's code at once (the page's would otherwise be asked for only once the frame's
  // had come), and while the session is asked for, not after: a page opened from a link waits for the slower
  // of the two, not for both in turn. Signed out, the login page would fetch the same code for after it.
  useEffect(() => preloadRoute(location.pathname), [location.pathname]);
  // The page's first request too (its route's pageQuery), into the cache the page reads: it renders from the
  // answer, or joins the request, instead of asking once the session and its code have come. Signed out, its
  // 401 comes while the session is unknown (the handler above shows no «session expired»: no session in the
  // cache) and the preload drops it; one still on its way once the session is known absent is cancelled
  // (a 401 arriving after the person has signed in again would sign them out). The page asks again after.
  // Once per address: not again when the session comes (the page is about to ask itself); the user (the roles,
  // which some preloads need: the lists) as known then — undefined during the session check.
  const isSignedOut = session.data === null;
  const user = useRef(session.data?.user);
  user.current = session.data?.user;
  const stopPreload = useRef(() => {});
  useEffect(() => {
    if (isSignedOut) stopPreload.current();
    else stopPreload.current = preloadRouteData(client, location.pathname, location.search, user.current);
  }, [client, isSignedOut, location.pathname, location.search]);
  if (session.isPending) return <LoadingState minHeight="100dvh" />;
  if (session.isError) {
    return <Center mih="100dvh" p="md"><Container size={480}><ErrorState error={session.error} onRetry={() => void session.refetch()} /></Container></Center>;
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.data.user.mustChangePassword) {
    return <Suspense fallback={<LoadingState minHeight="100dvh" />}><MustChangePasswordPage /></Suspense>;
  }
  return <Outlet />;
}
