import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { httpBytes } from '../pki/pki.http.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../testing/pki.ts';
import { nodeHttpFetch } from './verify.http.ts';

async function failure(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; return undefined; } catch (e) { return isAppError(e) ? e.code : String(e); }
}

describe.skipIf(!needTool('openssl'))('the verifier\'s node:http client behind httpBytes', () => {
  let pki: TestPki;
  let slow: TestServer;

  beforeAll(async () => {
    pki = await createTestPki();
    slow = await startTestOcsp(pki, { delayMs: 2000 });
  }, 120_000);
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
