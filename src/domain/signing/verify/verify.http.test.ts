import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { httpBytes, type FetchLike } from '../pki/pki.http.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../testing/pki.ts';
import { createP12Signer } from '../keys.ts';
import { signPdf } from '../signing.pades.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { nodeHttpFetch } from './verify.http.ts';
import { loadTrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

async function failure(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; return undefined; } catch (e) { return isAppError(e) ? e.code : String(e); }
}

describe.skipIf(!needTool('openssl'))('the verifier\'s HTTP client against a test PKI\'s responder', () => {
  let pki: TestPki;
  // One PKI for both blocks; each starts its own responder on the port the certificates name.
  beforeAll(async () => { pki = await createTestPki(); }, 120_000);

  describe('the verifier\'s node:http client behind httpBytes', () => {
    let slow: TestServer;
    beforeAll(async () => { slow = await startTestOcsp(pki, { delayMs: 2000 }); });
    afterAll(() => slow.close());

    test('a CRL is read whole, a missing path is pki.unreachable, a closed port too', async () => {
      const crl = await httpBytes(`${slow.url}/crl/root.crl`, undefined, undefined, { fetch: nodeHttpFetch, timeoutMs: 10_000 });
      expect(Buffer.from(crl).equals(Buffer.from(pki.crl.root))).toBe(true);
      expect(await failure(httpBytes(`${slow.url}/khong-co`, undefined, undefined, { fetch: nodeHttpFetch, timeoutMs: 10_000 }))).toBe('pki.unreachable');
      expect(await failure(httpBytes('http://127.0.0.1:1/ocsp', new Uint8Array([1]), 'application/ocsp-request', { fetch: nodeHttpFetch }))).toBe('pki.unreachable');
    });

    test('a responder slower than the timeout is pki.timeout; an answer over maxBytes is pki.response_too_large', async () => {
      expect(await failure(httpBytes(`${slow.url}/crl/root.crl`, undefined, undefined, { fetch: nodeHttpFetch, timeoutMs: 300 }))).toBe('pki.timeout');
      expect(await failure(httpBytes(`${slow.url}/ca/root.crt`, undefined, undefined, { fetch: nodeHttpFetch, maxBytes: 100, timeoutMs: 10_000 }))).toBe('pki.response_too_large');
    });
  });

  describe('online revocation checks of a document', () => {
    let responder: TestServer;
    beforeAll(async () => { responder = await startTestOcsp(pki, { delayMs: 300 }); });
    afterAll(() => responder.close());

    test('the OCSP requests of both signatures and the CRL of their CA are in flight together, each sent once', async () => {
      const pdf = await signPdf(await signPdf(await makePdfLib(1), { signer: await createP12Signer(pki.leader.p12, pki.password) }),
        { signer: await createP12Signer(pki.seal.p12, pki.password), fieldName: 'Seal' });
      let inFlight = 0;
      let most = 0;
      const counting: FetchLike = async (url, init) => {
        most = Math.max(most, ++inFlight);
        try { return await nodeHttpFetch(url, init); } finally { inFlight--; }
      };
      const report = await verifyPdf(pdf, { trustStore: await loadTrustStore({ files: [pki.root.certPath] }), fetch: counting, cache: createRevocationCache() });
      expect(report.indication).toBe('TOTAL-PASSED');
      expect(Object.fromEntries(responder.requests)).toEqual({ '/ocsp': 2, '/crl/root.crl': 1 });
      expect(most).toBe(3);
    }, 60_000);
  });
});

/** A server that answers every connection with `raw` (written in pieces, then closed when `close`). */
async function rawServer(raw: Buffer[], close = true): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.once('data', async () => {
      for (const piece of raw) { socket.write(piece); await new Promise((r) => setTimeout(r, 5)); }
      if (close) socket.end();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/x`, server };
}

describe('the verifier\'s plain-HTTP client reads every body framing', () => {
  const servers: Server[] = [];
  afterAll(() => { for (const s of servers) s.close(); });
  const get = async (raw: Buffer[], close = true) => {
    const { url, server } = await rawServer(raw, close);
    servers.push(server);
    return httpBytes(url, new Uint8Array([1, 2]), 'application/ocsp-request', { fetch: nodeHttpFetch, timeoutMs: 2000 });
  };
  const b = (s: string) => Buffer.from(s, 'latin1');

  test('Content-Length split across packets, chunked with extensions, and a body ended by closing', async () => {
    expect(Buffer.from(await get([b('HTTP/1.1 200 OK\r\nContent-Le'), b('ngth: 6\r\n\r\nabc'), b('def')], false)).toString()).toBe('abcdef');
    expect(Buffer.from(await get([b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r'), b('\n2\r\nde\r\n0\r\n\r\n')], false)).toString()).toBe('abcde');
    expect(Buffer.from(await get([b('HTTP/1.0 200 OK\r\n\r\nall'), b(' of it')])).toString()).toBe('all of it');
  });

  test('a malformed chunk, a body cut short, a non-HTTP answer and a 500 are errors, not crashes or hangs', async () => {
    expect(await failure(get([b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')]))).toBe('pki.unreachable');
    expect(await failure(get([b('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')]))).toBe('pki.unreachable');
    expect(await failure(get([b('SSH-2.0-OpenSSH\r\n\r\n')]))).toBe('pki.unreachable');
    expect(await failure(get([b('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n')]))).toBe('pki.unreachable');
    expect(await failure(get([b('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n')], false))).toBe('pki.timeout');
  });
});
