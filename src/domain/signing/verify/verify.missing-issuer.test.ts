import { createPrivateKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createKeySigner } from '../keys.ts';
import { parseCert } from '../pki/pki.cert.ts';
import { signPdf } from '../signing.pades.ts';
import { timestampFromUrl } from '../signing.tsa.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createTestHierarchy, createTestPki, startTestTsa, type TestPki, type TestPkiEntity, type TestServer } from '../testing/pki.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { emptyTrustStore, loadTrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

const CHAIN_FAILED = 'Không xây dựng được chuỗi chứng thư đến chứng thư gốc tin cậy';
/** The DN of a test certificate as the verifier writes it. */
const dn = (e: TestPkiEntity) => parseCert(e.certDer).subject;
/** A signer that embeds its certificate and its CA, not the root: what the tokens in the exchange send. */
const signerOf = (e: TestPkiEntity, ca: TestPkiEntity) => createKeySigner({ privateKey: createPrivateKey(e.keyPem), certificate: e.certDer, chain: [ca.certDer] });

// The test PKI's AIA/OCSP/CRL server is not started: its addresses refuse connections, as an
// unreachable CA's would.
describe.skipIf(!needTool('openssl'))('a chain that cannot reach a trusted root names the certificate it lacks', () => {
  let pki: TestPki;
  let other: Awaited<ReturnType<typeof createTestHierarchy>>;
  let tsa: TestServer;
  beforeAll(async () => {
    [pki, other] = await Promise.all([createTestPki(), createTestHierarchy('Sở Thử Nghiệm')]);
    // the TSA's tokens carry its CA but not the root
    await writeFile(join(pki.dir, 'tsa.chain.pem'), pki.intermediate.certPem);
    tsa = await startTestTsa(pki);
  }, 120_000);
  afterAll(async () => { await tsa?.close(); });

  test('a signature whose root the install lacks (no issuer address) names that root in the report\'s data and in its chain check', async () => {
    const signed = await signPdf(await makePdfLib(1), { signer: signerOf(other.leader, other.intermediate) });
    const report = await verifyPdf(signed, { trustStore: await loadTrustStore({ pems: [pki.root.certPem] }), cache: createRevocationCache() });
    const [sig] = report.signatures;
    expect([sig?.indication, sig?.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(sig?.missingIssuer).toEqual({ reason: 'issuer-not-found', name: dn(other.root),
      commonName: 'Vanthu Test Root CA Sở Thử Nghiệm', organisation: 'Ban Thử Nghiệm', caIssuers: [] });
    expect(sig?.checks.find((c) => c.name === 'chain')?.message).toBe(`${CHAIN_FAILED}: không tìm thấy chứng thư của đơn vị cấp "${dn(other.root)}"`);
    expect(sig?.summary).toContain(`"${dn(other.root)}"`);
  });

  test('when the missing root has an issuer address, the report keeps the address and what it gave; offline, the address is named as not asked', async () => {
    const signed = await signPdf(await makePdfLib(1), { signer: signerOf(pki.leader, pki.intermediate) });
    const online = (await verifyPdf(signed, { trustStore: emptyTrustStore(), cache: createRevocationCache(), timeoutMs: 2_000 })).signatures[0];
    expect(online?.missingIssuer).toEqual({ reason: 'issuer-not-found', name: dn(pki.root), commonName: 'Vanthu Test Root CA', organisation: 'Ban Thử Nghiệm',
      caIssuers: [{ url: pki.urls.caRoot, problem: 'không kết nối được' }] });
    expect(online?.checks.find((c) => c.name === 'chain')?.message)
      .toBe(`${CHAIN_FAILED}: không tìm thấy chứng thư của đơn vị cấp "${dn(pki.root)}"; không tải được từ địa chỉ của đơn vị cấp (${pki.urls.caRoot}: không kết nối được)`);

    const offline = (await verifyPdf(signed, { trustStore: emptyTrustStore(), offline: true })).signatures[0];
    expect(offline?.missingIssuer?.caIssuers).toEqual([{ url: pki.urls.caRoot, problem: 'không tải: đang kiểm tra ngoại tuyến' }]);
  });

  test('a root the signature carries but the install does not trust is named with its fingerprint', async () => {
    const signer = createKeySigner({ privateKey: createPrivateKey(pki.untrusted.keyPem), certificate: pki.untrusted.certDer, chain: [pki.untrustedRoot.certDer] });
    const signed = await signPdf(await makePdfLib(1), { signer });
    const [sig] = (await verifyPdf(signed, { trustStore: await loadTrustStore({ pems: [pki.root.certPem] }), offline: true })).signatures;
    expect(sig?.missingIssuer).toMatchObject({ reason: 'untrusted-root', name: dn(pki.untrustedRoot), commonName: 'Untrusted Root CA', organisation: 'Nobody', caIssuers: [] });
    expect(sig?.missingIssuer?.sha256).toBe(sig?.chain.at(-1)?.sha256);
  });

  test('a signature timestamp whose TSA chain lacks its root says so as the signer\'s chain would: the issuer, its address and what it gave, and keeps the TSA\'s path', async () => {
    const signer = signerOf(other.leader, other.intermediate);
    const signed = await signPdf(await makePdfLib(1), { signer, level: 'B-T', timestamp: timestampFromUrl(tsa.url) });
    const report = await verifyPdf(signed, { trustStore: await loadTrustStore({ pems: [other.root.certPem] }), cache: createRevocationCache(), timeoutMs: 2_000 });
    const [sig] = report.signatures;
    expect(sig?.checks.find((c) => c.name === 'chain')?.status).toBe('passed');
    const [stamp] = sig?.timestamps ?? [];
    expect([stamp?.indication, stamp?.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(stamp?.missingIssuer).toEqual({ reason: 'issuer-not-found', name: dn(pki.root), commonName: 'Vanthu Test Root CA', organisation: 'Ban Thử Nghiệm',
      caIssuers: [{ url: pki.urls.caRoot, problem: 'không kết nối được' }] });
    expect(stamp?.message).toBe(`Máy chủ dấu thời gian Vanthu Test TSA không thuộc chuỗi tin cậy: ${CHAIN_FAILED}: không tìm thấy chứng thư của đơn vị cấp "${dn(pki.root)}"; `
      + `không tải được từ địa chỉ của đơn vị cấp (${pki.urls.caRoot}: không kết nối được)`);
    expect(stamp?.chain?.map((c) => c.subject)).toEqual([dn(pki.tsa), dn(pki.intermediate)]);
    expect(sig?.signingTimeProof).toBe('claimed');
  });

  test('a proven signature timestamp keeps the TSA\'s path up to the trust anchor', async () => {
    const signed = await signPdf(await makePdfLib(1), { signer: signerOf(other.leader, other.intermediate), level: 'B-T', timestamp: timestampFromUrl(tsa.url) });
    const [sig] = (await verifyPdf(signed, { trustStore: await loadTrustStore({ pems: [other.root.certPem, pki.root.certPem] }), offline: true })).signatures;
    const [stamp] = sig?.timestamps ?? [];
    expect(stamp?.indication).toBe('TOTAL-PASSED');
    expect(stamp?.missingIssuer).toBeUndefined();
    expect(stamp?.chain?.map((c) => c.subject)).toEqual([dn(pki.tsa), dn(pki.intermediate), dn(pki.root)]);
  });
});
