import { isAppError } from '../../../platform/errors.ts';
import { pkiResponseTooLarge, pkiTimeout, pkiUnreachable } from './pki.errors.ts';

/** The fetch function the PKI clients use; injectable so callers can route, proxy or record requests. */
export type FetchLike = (url: string, init: { method: string; body?: Uint8Array; headers?: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export type HttpOptions = { timeoutMs?: number; maxBytes?: number; fetch?: FetchLike };

const DEFAULT_TIMEOUT = 10_000;
const DEFAULT_MAX = 8 << 20;

async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw pkiResponseTooLarge({ declared, maxBytes });
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw pkiResponseTooLarge({ maxBytes });
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * GETs or POSTs `url` and returns the body bytes, within `timeoutMs` (default 10 s) and `maxBytes`
 * (default 8 MiB). Throws pki.unreachable (network error or non-2xx), pki.timeout, pki.response_too_large.
 */
export async function httpBytes(url: string, body: Uint8Array | undefined, contentType: string | undefined, options: HttpOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  // Copy into an ArrayBuffer-backed view: BodyInit rejects views over a SharedArrayBuffer-like type.
  const doFetch: FetchLike = options.fetch ?? ((u, init) => fetch(u, { ...init, body: init.body ? new Uint8Array(init.body) : undefined }));
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await doFetch(url, {
      method: body ? 'POST' : 'GET',
      ...(body ? { body } : {}),
      headers: contentType ? { 'content-type': contentType } : {},
      signal,
    });
    if (!res.ok) throw pkiUnreachable({ url, status: res.status });
    return await readLimited(res, options.maxBytes ?? DEFAULT_MAX);
  } catch (e) {
    if (isAppError(e)) throw e;
    if (signal.aborted) throw pkiTimeout({ url, timeoutMs }, { cause: e });
    throw pkiUnreachable({ url }, { cause: e });
  }
}
