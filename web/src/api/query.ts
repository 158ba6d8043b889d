import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './client.ts';

/** Called when any request finds the session gone (401 auth.required), e.g. after the idle timeout. */
let onSessionLost: () => void = () => {};

/** Registers what to do when the session is lost (the app drops the cached session and goes to /login). */
export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

function checkSession(error: unknown, key?: readonly unknown[]) {
  if (isApiError(error) && error.code === 'auth.required' && key?.[0] !== 'session') onSessionLost();
}

/** The app's one QueryClient: no retry of client errors, a short stale time, session loss handled once. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => checkSession(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => checkSession(error) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}
