import { hc, type ClientResponse } from 'hono/client';
import type { ApiType } from '../../../src/platform/http/app.ts';

let csrfToken = '';

/** Remembers the session's CSRF token (from GET /api/auth/session or the login answer) for later writes. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The header the server asks of a state-changing request made with a session: the session's token (none when signed out). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** The typed API client (Hono RPC): request and response types come from the server's routes. */
export const api = hc<ApiType>('/api', { headers: csrfHeaders });

/** One error from the API: `{ error: { code, message, details? } }`, or `app.network` when the server was unreachable. */
export type ApiError = Error & { isApiError: true; code: string; status: number; details?: unknown };

function apiError(code: string, message: string, status: number, details?: unknown): ApiError {
  return Object.assign(new Error(message), { isApiError: true as const, code, status, details });
}

/** Whether an unknown thrown value is an ApiError. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && 'isApiError' in error;
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; details?: unknown } };

/** The ApiError of a failed answer: the server's code and message, `http.<status>` when its body says none. */
export async function readError(res: { status: number; json: () => Promise<unknown> }): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const code = typeof body?.error?.code === 'string' ? body.error.code : `http.${res.status}`;
  const message = typeof body?.error?.message === 'string' ? body.error.message : '';
  return apiError(code, message, res.status, body?.error?.details);
}

/**
 * Awaits an API call and returns its JSON body. Throws ApiError: the server's code and message for
 * a non-2xx answer, `app.network` (empty message: the UI shows its own text) when the request failed.
 */
export async function unwrap<T>(request: Promise<ClientResponse<T>>): Promise<T> {
  let res: ClientResponse<T>;
  try {
    res = await request;
  } catch {
    throw apiError('app.network', '', 0);
  }
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}
