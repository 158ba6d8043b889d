import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { ROLES, type Role } from '../../../src/policies/actor.ts';
import { api, isApiError, setCsrfToken, unwrap } from '../api/client.ts';

/** The signed-in user's view: user, agency, unit and the CSRF token (GET /api/auth/session). */
export type SessionView = InferResponseType<typeof api.auth.session.$get, 200>['data'];
export type SessionUser = SessionView['user'];
export type { Role };

/** The TanStack Query key of the session. */
export const SESSION_KEY = ['session'] as const;

/** Loads the session; null when nobody is signed in (401 auth.required). Throws ApiError otherwise. */
export async function fetchSession(): Promise<SessionView | null> {
  try {
    const { data } = await unwrap(api.auth.session.$get());
    setCsrfToken(data.csrfToken);
    return data;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken('');
      return null;
    }
    throw error;
  }
}

/** The current session (null when signed out); cached for the app's lifetime, refreshed after account changes. */
export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

/** The known roles of a user, in the canonical order. */
export function rolesOf(user: Pick<SessionUser, 'roles'>): Role[] {
  return ROLES.filter((r) => user.roles.includes(r));
}

/** Whether the user has any of the roles. */
export function hasAnyRole(user: Pick<SessionUser, 'roles'>, roles: readonly Role[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}

/** Stores a fresh session (after login) so the app does not need to fetch it again. */
export function useStoreSession() {
  const client = useQueryClient();
  return (session: SessionView | null) => {
    setCsrfToken(session?.csrfToken ?? '');
    client.setQueryData(SESSION_KEY, session);
  };
}

/** Ends the session on the server, then forgets every cached query. */
export function useLogout() {
  const client = useQueryClient();
  return async (everywhere = false) => {
    try {
      await unwrap(everywhere ? api.auth['logout-everywhere'].$post() : api.auth.logout.$post());
    } finally {
      setCsrfToken('');
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    }
  };
}
