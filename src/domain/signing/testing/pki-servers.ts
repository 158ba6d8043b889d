import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TestPki } from './pki.ts';
import { runOpenssl } from './pki-openssl.ts';

/** A running local test server; `close()` is idempotent. Requests are counted per path for cache tests. */
export type TestServer = {
  url: string;
  port: number;
  requests: Map<string, number>;
  close: () => Promise<void>;
};

type Handler = (path: string, body: Uint8Array, req: IncomingMessage) => Promise<{ type: string; body: Uint8Array } | undefined>;

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else parts.push(d);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    req.on('error', reject);
  });
}

async function serve(port: number, handler: Handler, lifetimeMs: number): Promise<TestServer> {
  const requests = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    readBody(req)
      .then((body) => handler(path, body, req))
      .then((out) => {
        if (!out) { res.writeHead(404).end(); return; }
        res.writeHead(200, { 'content-type': out.type, 'content-length': out.body.length }).end(out.body);
      })
      .catch((e: unknown) => { res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e)); });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    return closed;
  };
  // Bounded lifetime: a test that forgets close() cannot keep the process alive or the port busy.
  setTimeout(() => { void close(); }, lifetimeMs).unref();
  server.unref();
  return { url: `http://127.0.0.1:${actual}`, port: actual, requests, close };
}

/** Serialises calls that share a state file (the TSA serial file). */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

export type TestOcspOptions = { lifetimeMs?: number; delayMs?: number };

/**
 * Serves the test PKI's revocation data on `pki.port` (the URLs baked into its certificates):
 * POST /ocsp (answered by a real `openssl ocsp -index` responder with the delegated OCSP cert),
 * GET /crl/root.crl, /crl/intermediate.crl, /ca/root.crt, /ca/intermediate.crt (DER).
 * `delayMs` delays every answer (for timeout tests).
 */
export async function startTestOcsp(pki: TestPki, options: TestOcspOptions = {}): Promise<TestServer> {
  const files: Record<string, { type: string; body: Uint8Array }> = {
    '/crl/root.crl': { type: 'application/pkix-crl', body: pki.crl.root },
    '/crl/intermediate.crl': { type: 'application/pkix-crl', body: pki.crl.intermediate },
    '/ca/root.crt': { type: 'application/pkix-cert', body: pki.root.certDer },
    '/ca/intermediate.crt': { type: 'application/pkix-cert', body: pki.intermediate.certDer },
  };
  return serve(pki.port, async (path, body) => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (path === '/ocsp' && body.length > 0) {
      const resp = await runOpenssl(['ocsp', '-index', pki.indexPath, '-CA', pki.intermediate.certPath,
        '-rsigner', pki.ocsp.certPath, '-rkey', pki.ocsp.keyPath, '-ndays', '1', '-reqin', '-', '-respout', '-'], body);
      return { type: 'application/ocsp-response', body: resp };
    }
    return files[path];
  }, options.lifetimeMs ?? 600_000);
}

export type TestTsaOptions = {
  lifetimeMs?: number;
  delayMs?: number;
  /** 'ok' (default); 'reject' answers status rejection; 'garbage' answers non-DER bytes. */
  behaviour?: 'ok' | 'reject' | 'garbage';
  /** Sign with the revoked TSA certificate (revoked at pki.revokedAt) instead of the good one. */
  revokedSigner?: boolean;
};

/**
 * Starts an RFC 3161 TSA on 127.0.0.1:<random port>, answering POSTed TimeStampReq with
 * `openssl ts -reply` signed by the PKI's TSA certificate (critical EKU timeStamping).
 */
export async function startTestTsa(pki: TestPki, options: TestTsaOptions = {}): Promise<TestServer> {
  const queue = serialQueue();
  return serve(0, async (_path, body) => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.behaviour === 'garbage') return { type: 'application/timestamp-reply', body: new TextEncoder().encode('not a tsr') };
    if (options.behaviour === 'reject') {
      // TimeStampResp { status PKIStatusInfo { status rejection(2) } }
      return { type: 'application/timestamp-reply', body: new Uint8Array([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]) };
    }
    // `openssl ts -reply` cannot read the query from stdin, so it goes through a temp file.
    const queryPath = join(pki.dir, `tsq-${randomUUID()}.der`);
    await writeFile(queryPath, body);
    const config = options.revokedSigner ? join(pki.dir, 'tsa-revoked.cnf') : pki.tsaConfigPath;
    const resp = await queue(() => runOpenssl(['ts', '-reply', '-config', config,
      '-queryfile', queryPath, '-out', '-'])).finally(() => rm(queryPath, { force: true }));
    return { type: 'application/timestamp-reply', body: resp };
  }, options.lifetimeMs ?? 600_000);
}

