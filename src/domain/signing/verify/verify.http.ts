import type { IncomingMessage } from 'node:http';
import type { FetchLike } from '../pki/pki.http.ts';

/**
 * The verifier's default HTTP client for OCSP, CRL and AIA requests: node:http/https instead of the
 * global fetch. Node builds `fetch` from undici, whose first use costs 40–60 ms of module loading;
 * for a one-file `vanthu verify` that is as long as the whole verification. It answers with the
 * part of a Response that `httpBytes` reads (`ok`, `status`, `headers.get`, `body.getReader`).
 * Redirects are not followed (responders answer directly; `httpBytes` reports a non-2xx status).
 * node:http is taken with getBuiltinModule, not `import`: the ESM facade of node:http reads every
 * export, and its lazy `WebSocket`/`fetch`-related getters would load undici anyway.
 */
export const nodeHttpFetch: FetchLike = (url, init) => new Promise((resolve, reject) => {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    reject(new TypeError(`unsupported protocol ${target.protocol}`));
    return;
  }
  const send = target.protocol === 'https:' ? process.getBuiltinModule('node:https').request : process.getBuiltinModule('node:http').request;
  const headers: Record<string, string | number> = { ...init.headers, ...(init.body ? { 'content-length': init.body.length } : {}) };
  const req = send(target, { method: init.method, headers, signal: init.signal }, (res) => resolve(asResponse(res)));
  req.on('error', reject);
  req.end(init.body ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength) : undefined);
});

function asResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) res.resume(); // httpBytes rejects it unread: drain so the socket is freed
  const iterator = res[Symbol.asyncIterator]();
  const reader = {
    read: async (): Promise<{ done: boolean; value?: Uint8Array }> => {
      const next = await iterator.next();
      return next.done ? { done: true } : { done: false, value: new Uint8Array(next.value as Buffer) };
    },
    cancel: async () => { res.destroy(); },
  };
  const partial = {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name: string) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : String(v); } },
    body: { getReader: () => reader },
  };
  // Only the members above are read (pki.http.ts readLimited/httpBytes).
  return partial as unknown as Response;
}
