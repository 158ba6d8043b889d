import type { ClientResponse } from 'hono/client';
import { unwrap } from '../../api/client.ts';

/**
 * GETs a JSON address that the typed client does not know (yet), with the same error handling as
 * `unwrap`. Throws ApiError (the server's code and message, or app.network).
 */
export function getJson<T>(url: string): Promise<T> {
  // A fetch Response has everything unwrap reads (ok, status, json()); the body type is the caller's claim.
  return unwrap(fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }) as unknown as Promise<ClientResponse<T>>);
}
