import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FetchLike } from '../pki/pki.http.ts';
import { httpProxyFor, type HttpProxy } from './verify.proxy.ts';

/**
 * The verifier's default HTTP client for OCSP, CRL and AIA requests: node:http/https instead of the
 * global fetch. Node builds `fetch` from undici, whose first use costs 40–60 ms of module loading;
 * for a one-file `vanthu verify` that is as long as the whole verification. It answers with the
 * part of a Response that `httpBytes` reads (`ok`, `status`, `headers.get`, `body.getReader`).
 * Redirects are not followed (responders answer directly; `httpBytes` reports a non-2xx status).
 * Plain `http:` URLs (what OCSP, CRL and AIA URLs are) go over a node:net socket with a minimal
 * HTTP/1.1 exchange (`Connection: close`; Content-Length, chunked or close-delimited bodies): the first
 * request of a process costs ~2.6 ms of CPU that way against ~8.5 ms through node:http. `https:` goes
 * through node:https, taken with getBuiltinModule, not `import`: the ESM facade of node:http reads
 * every export, and its lazy `WebSocket`/`fetch`-related getters would load undici anyway.
 * Proxies as in the rest of Node (verify.proxy.ts): with NODE_USE_ENV_PROXY=1, an `http:` request goes
 * to HTTP_PROXY with the absolute URI; `https:` (and an `https:` proxy) is left to Node's global agent.
 */
export const nodeHttpFetch: FetchLike = (url, init) => new Promise((resolve, reject) => {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    reject(new TypeError(`unsupported protocol ${target.protocol}`));
    return;
  }
  let proxy: HttpProxy | undefined;
  try { proxy = target.protocol === 'http:' ? httpProxyFor(target) : undefined; } catch (e) { reject(e); return; }
  if (target.protocol === 'http:' && (!proxy || proxy.protocol === 'http:')) {
    plainHttp(target, init, proxy).then(resolve, reject);
    return;
  }
  const send = target.protocol === 'https:' ? process.getBuiltinModule('node:https').request : process.getBuiltinModule('node:http').request;
  const headers: Record<string, string | number> = { ...init.headers, ...(init.body ? { 'content-length': init.body.length } : {}) };
  const req = send(target, { method: init.method, headers, signal: init.signal }, (res) => resolve(asResponse(res)));
  req.on('error', reject);
  req.end(init.body ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength) : undefined);
});

type Init = Parameters<FetchLike>[1];
type Reader = { read: () => Promise<{ done: boolean; value?: Uint8Array }>; cancel: () => Promise<void> };

/** The members of Response that httpBytes reads (pki.http.ts readLimited/httpBytes). */
function partialResponse(status: number, headers: Map<string, string>, reader: Reader): Response {
  const partial = { ok: status >= 200 && status < 300, status, headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null }, body: { getReader: () => reader } };
  return partial as unknown as Response;
}

const MAX_HEAD = 64 << 10;

/**
 * One HTTP/1.1 request over a node:net socket, to `proxy` with the absolute URI when there is one.
 * Failures before the status line reject; later ones (body cut short, bad chunk, abort) reach the
 * reader. The body is streamed as it arrives.
 */
function plainHttp(target: URL, init: Init, proxy?: HttpProxy): Promise<Response> {
  return new Promise((resolve, reject) => {
    const to = proxy ?? { host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80) };
    const socket: Socket = process.getBuiltinModule('node:net').connect({ host: to.host, port: to.port });
    const queue: Uint8Array[] = [];
    let ended = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    let head: Buffer | undefined = Buffer.alloc(0);
    let body: ((chunk: Buffer) => void) | undefined;
    let bodyComplete = () => true;
    const finish = (e?: unknown) => {
      if (ended) return;
      ended = true;
      failure = e;
      socket.destroy();
      init.signal.removeEventListener('abort', onAbort);
      if (head) reject(e ?? new Error('connection closed before the response'));
      wake?.();
    };
    const onAbort = () => finish(init.signal.reason ?? new Error('aborted'));
    if (init.signal.aborted) { onAbort(); return; }
    init.signal.addEventListener('abort', onAbort, { once: true });
    const push = (chunk: Uint8Array) => { if (chunk.length) { queue.push(chunk); wake?.(); } };
    const reader: Reader = {
      read: async () => {
        while (queue.length === 0 && !ended) await new Promise<void>((r) => { wake = r; });
        wake = undefined;
        const next = queue.shift();
        if (next) return { done: false, value: next };
        if (failure) throw failure;
        return { done: true };
      },
      cancel: async () => { finish(); },
    };
    const onData = (data: Buffer) => {
      if (body) { body(data); return; }
      head = Buffer.concat([head ?? Buffer.alloc(0), data]);
      const split = head.indexOf('\r\n\r\n');
      if (split < 0) { if (head.length > MAX_HEAD) finish(new Error('response head too large')); return; }
      const lines = head.subarray(0, split).toString('latin1').split('\r\n');
      const rest = head.subarray(split + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
      if (!Number.isFinite(status)) { finish(new Error('not an HTTP response')); return; }
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
        headers.delete('content-length');
        const chunked = dechunk(push, () => finish());
        body = chunked.write;
        bodyComplete = chunked.complete;
      } else if (headers.has('content-length')) {
        let left = Number(headers.get('content-length'));
        if (!Number.isSafeInteger(left) || left < 0) { finish(new Error('bad Content-Length')); return; }
        bodyComplete = () => left === 0;
        body = (chunk) => { const part = chunk.subarray(0, left); left -= part.length; push(part); if (left === 0) finish(); };
      } else body = push;
      head = undefined; // from here on, failures reach the reader instead of rejecting the request
      resolve(partialResponse(status, headers, reader));
      if (init.method === 'HEAD' || status === 204 || status === 304 || headers.get('content-length') === '0') { finish(); return; }
      body(rest);
    };
    socket.on('data', (data: Buffer) => {
      try { onData(data); } catch (e) { finish(e); }
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(body && !bodyComplete() ? new Error('connection closed mid-body') : undefined));
    const path = `${proxy ? target.origin : ''}${target.pathname}${target.search}`;
    const lines = [`${init.method} ${path} HTTP/1.1`, `Host: ${target.host}`, 'Connection: close', ...(proxy?.authorization ? [`Proxy-Authorization: ${proxy.authorization}`] : []),
      ...Object.entries(init.headers ?? {}).map(([k, v]) => `${k}: ${v}`), ...(init.body ? [`Content-Length: ${init.body.length}`] : [])];
    // One write: a separate body segment could wait on Nagle and delayed ACKs.
    socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...(init.body ? [init.body] : [])]));
  });
}

/** A streaming decoder of a chunked body: `write` takes raw bytes (throws on a malformed size line), `push` receives the data, `end` the last chunk. */
function dechunk(push: (b: Uint8Array) => void, end: () => void): { write: (b: Buffer) => void; complete: () => boolean } {
  let pending: Buffer = Buffer.alloc(0);
  let state: 'size' | 'data' | 'crlf' = 'size';
  let left = 0;
  let done = false;
  const write = (data: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (!done) {
      if (state === 'size') {
        const eol = pending.indexOf('\r\n');
        if (eol < 0) { if (pending.length > 1024) throw new Error('bad chunk size'); return; }
        const size = parseInt(pending.subarray(0, eol).toString('latin1'), 16);
        if (!Number.isSafeInteger(size) || size < 0) throw new Error('bad chunk size');
        pending = pending.subarray(eol + 2);
        if (size === 0) { done = true; end(); return; }
        left = size;
        state = 'data';
      } else if (state === 'data') {
        if (pending.length === 0) return;
        const part = pending.subarray(0, left);
        push(part);
        left -= part.length;
        pending = pending.subarray(part.length);
        if (left > 0) return;
        state = 'crlf';
      } else {
        if (pending.length < 2) return;
        pending = pending.subarray(2);
        state = 'size';
      }
    }
  };
  return { write, complete: () => done };
}

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
