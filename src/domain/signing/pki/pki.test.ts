import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createTestPki, startTestOcsp, startTestTsa, type TestPki, type TestServer } from '../testing/pki.ts';
import { parseCert } from './pki.cert.ts';
import { createRevocationCache, fetchCrl, fetchOcsp, fetchRevocation } from './revocation.ts';
import { parseTstInfo, requestTimestamp } from './tsa.ts';

describe.skipIf(!needTool('openssl'))('PKI clients against real openssl TSA / OCSP / CRL', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  let tsa: TestServer;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
    tsa = await startTestTsa(pki);
  }, 60_000);
  afterAll(async () => { await Promise.all([ocsp.close(), tsa.close(), ...servers.map((s) => s.close())]); });

  const sha256 = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());

  test('a timestamp token comes back with our imprint and a fresh genTime', async () => {
    const digestBytes = sha256('hello');
    const res = await requestTimestamp({ url: tsa.url, digest: digestBytes, timeoutMs: 10_000 });
    const { tstInfo } = parseTstInfo(res.token);
    expect(Buffer.from(tstInfo.messageImprint.hashedMessage.buffer)).toEqual(Buffer.from(digestBytes));
    expect(Math.abs(res.genTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('a TSA that rejects, answers garbage or is too slow gives the matching pki.* error', async () => {
    const reject = await startTestTsa(pki, { behaviour: 'reject' });
    const garbage = await startTestTsa(pki, { behaviour: 'garbage' });
    const slow = await startTestTsa(pki, { delayMs: 2000 });
    servers.push(reject, garbage, slow);
    const d = sha256('x');
    await expect(requestTimestamp({ url: reject.url, digest: d })).rejects.toMatchObject({ code: 'pki.tsa_rejected' });
    await expect(requestTimestamp({ url: garbage.url, digest: d })).rejects.toMatchObject({ code: 'pki.tsa_bad_response' });
    await expect(requestTimestamp({ url: slow.url, digest: d, timeoutMs: 300 })).rejects.toMatchObject({ code: 'pki.timeout' });
    await expect(requestTimestamp({ url: 'http://127.0.0.1:1/', digest: d })).rejects.toMatchObject({ code: 'pki.unreachable' });
  });

  test('OCSP says good for the leader and revoked (with the time) for the revoked certificate', async () => {
    const issuer = parseCert(pki.intermediate.certDer);
    const good = await fetchOcsp(parseCert(pki.leader.certDer), issuer, { cache: createRevocationCache() });
    expect(good.status).toBe('good');
    const bad = await fetchOcsp(parseCert(pki.revoked.certDer), issuer, { cache: createRevocationCache() });
    expect(bad.status).toBe('revoked');
    expect(Math.abs((bad.revokedAt?.getTime() ?? 0) - pki.revokedAt.getTime())).toBeLessThan(2000);
    expect(bad.certs.length).toBeGreaterThan(0);
  });

  test('the CRL marks the revoked certificate and not the leader, and is fetched once thanks to the cache', async () => {
    const issuer = parseCert(pki.intermediate.certDer);
    const cache = createRevocationCache();
    const before = ocsp.requests.get('/crl/intermediate.crl') ?? 0;
    expect((await fetchCrl(parseCert(pki.revoked.certDer), issuer, { cache })).status).toBe('revoked');
    expect((await fetchCrl(parseCert(pki.leader.certDer), issuer, { cache })).status).toBe('good');
    expect((ocsp.requests.get('/crl/intermediate.crl') ?? 0) - before).toBe(1);
  });

  test('an OCSP answer kept on disk serves a later cache (process) until its nextUpdate, then is asked again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-revocation-'));
    const [leader, issuer] = [parseCert(pki.leader.certDer), parseCert(pki.intermediate.certDer)];
    const asked = () => ocsp.requests.get('/ocsp') ?? 0;
    const before = asked();
    const first = await fetchOcsp(leader, issuer, { cache: createRevocationCache({ dir }) });
    const again = await fetchOcsp(leader, issuer, { cache: createRevocationCache({ dir }) });
    expect(again.status).toBe('good');
    expect(Buffer.from(again.der).equals(Buffer.from(first.der))).toBe(true);
    expect(asked() - before).toBe(1);
    const afterNextUpdate = (first.nextUpdate?.getTime() ?? 0) + 1000;
    await fetchOcsp(leader, issuer, { cache: createRevocationCache({ dir, now: () => afterNextUpdate, maxTtlMs: Infinity }) });
    expect(asked() - before).toBe(2);
  });

  test('a CRL or OCSP answer checked against the wrong issuer is refused', async () => {
    const wrong = parseCert(pki.root.certDer);
    await expect(fetchCrl(parseCert(pki.leader.certDer), wrong, { cache: createRevocationCache() })).rejects.toMatchObject({ code: 'pki.crl_bad' });
    await expect(fetchRevocation(parseCert(pki.leader.certDer), wrong, { cache: createRevocationCache() })).rejects.toHaveProperty('code');
  });

  test('certificate parsing reads key usage, EKU, AIA and CRL distribution points', () => {
    const leader = parseCert(pki.leader.certDer);
    expect(leader.keyUsage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
    expect(leader.ocspUrls).toEqual([pki.urls.ocsp]);
    expect(leader.crlUrls).toEqual([pki.urls.crlIntermediate]);
    expect(leader.subjectAttr('CN')).toBe('Nguyễn Văn An');
    const tsaCert = parseCert(pki.tsa.certDer);
    expect(tsaCert.ekus).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(tsaCert.ekuCritical).toBe(true);
    expect(parseCert(pki.wrongKeyUsage.certDer).keyUsage).toMatchObject({ digitalSignature: false, nonRepudiation: false });
  });
});
