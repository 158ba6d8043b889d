import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createP12Signer, type Signer } from '../keys.ts';
import { signPdf } from '../signing.pades.ts';
import { revocationOverHttp } from '../signing.revocation.ts';
import { timestampFromUrl, type TimestampProvider } from '../signing.tsa.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createNssDb, pdfsigSign, pdfsigVerify } from '../testing/pki-nss.ts';
import { createTestPki, startTestOcsp, startTestTsa, type TestPki, type TestServer } from '../testing/pki.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { augmentPdf } from './verify.ltv.ts';
import { needsNewTimestamp } from './verify.renewal.ts';
import { addPage, changePageContent, flipSignedByte, replaceSignatureAppearance } from './verify.tamper.ts';
import { loadTrustStore, type TrustStore } from './verify.trust.ts';
import { verifyPdf, type VerifyOptions } from './verify.ts';
import { ZVerifyReport } from './verify.types.ts';

describe.skipIf(!needTool('openssl', 'pdfsig', 'certutil', 'pk12util'))('verifyPdf on a generated corpus, cross-checked with pdfsig', () => {
  let pki: TestPki;
  let servers: TestServer[];
  let tsa: TestServer;
  let store: TrustStore;
  let base: Uint8Array;
  let leader: Signer;
  let nss: string;
  const sign = (pdf: Uint8Array, signer: Signer, extra: Partial<Parameters<typeof signPdf>[1]> = {}) =>
    signPdf(pdf, { signer, allowInvalidCertificate: true, ...extra });
  const verify = (bytes: Uint8Array, extra: Partial<VerifyOptions> = {}) =>
    verifyPdf(bytes, { trustStore: store, cache: createRevocationCache(), timeoutMs: 5000, ...extra }).then((r) => ZVerifyReport.parse(r));

  beforeAll(async () => {
    pki = await createTestPki();
    tsa = await startTestTsa(pki);
    servers = [await startTestOcsp(pki), tsa];
    store = await loadTrustStore({ files: [pki.root.certPath] });
    base = await makePdfLib(1);
    leader = await createP12Signer(pki.leader.p12, pki.password);
    nss = createNssDb(pki, ['leader', 'seal']);
  }, 120_000);
  afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

  test('our B-B signature passes online, is INDETERMINATE/TRY_LATER offline, and pdfsig agrees on integrity and chain', async () => {
    const signed = await sign(base, leader);
    const online = await verify(signed);
    expect(online.indication).toBe('TOTAL-PASSED');
    expect(online.signatures[0]).toMatchObject({ signerName: 'Nguyễn Văn An', organisation: 'UBND tỉnh Thử Nghiệm', level: 'B-B', signingTimeProof: 'claimed', revision: 1, coversWholeDocument: true });
    expect(online.signatures[0]?.certificate?.serialHex).toBe(pki.leader.serialHex);
    const offline = await verify(signed, { offline: true });
    expect([offline.indication, offline.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    const tool = await pdfsigVerify(signed, nss, { ocsp: true });
    expect(tool[0]).toMatchObject({ valid: true, total: true });
    expect(tool[0]?.certificate).toMatch(/Trusted/);
  });

  test('a file signed by @signpdf (node-forge) and one signed by pdfsig -add-signature: our verdict matches pdfsig', async () => {
    const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
    const { P12Signer } = await import('@signpdf/signer-p12');
    const { SignPdf } = await import('@signpdf/signpdf');
    const withPlaceholder = plainAddPlaceholder({ pdfBuffer: Buffer.from(base), reason: 'test', contactInfo: '', name: 'x', location: 'VN' });
    const bySignpdf = new Uint8Array(await new SignPdf().sign(withPlaceholder, new P12Signer(Buffer.from(pki.leader.p12), { passphrase: pki.password })));
    const ours = await verify(bySignpdf);
    const theirs = (await pdfsigVerify(bySignpdf, nss))[0];
    // node-forge writes a SignerIdentifier that matches none of the certificates it embeds for these
    // (UTF-8 named) certificates: pdfsig finds no signer either. Both tools must agree.
    expect(ours.indication === 'TOTAL-PASSED').toBe(theirs?.valid === true);
    if (!theirs?.valid) expect(ours.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    const byPdfsig = await pdfsigSign(base, nss, 'seal');
    const r = await verify(byPdfsig);
    expect(r.signatures[0]?.signerName).toBe('UBND tỉnh Thử Nghiệm');
    expect(r.indication).toBe('TOTAL-PASSED');
    expect((await pdfsigVerify(byPdfsig, nss))[0]?.valid).toBe(true);
  });

  test('an unsigned file is INDETERMINATE (no signature), a flipped byte is HASH_FAILURE in both tools', async () => {
    const none = await verify(base);
    expect([none.indication, none.subIndication, none.signatureCount]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', 0]);
    const flipped = flipSignedByte(await sign(base, leader));
    const r = await verify(flipped);
    expect([r.indication, r.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
    expect((await pdfsigVerify(flipped, nss))[0]?.valid).toBe(false);
  });

  test('content changed, a page added, or a signature appearance replaced after signing: TOTAL-FAILED here, while pdfsig still calls the signature valid', async () => {
    const signed = await sign(base, leader, { widget: { page: 0, rect: [300, 100, 120, 60] } });
    for (const tampered of [changePageContent(signed), addPage(signed), replaceSignatureAppearance(signed)]) {
      const r = await verify(tampered);
      expect([r.indication, r.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
      expect(r.changes.at(-1)).toMatchObject({ permitted: false, kind: 'forbidden' });
      const tool = await pdfsigVerify(tampered, nss);
      expect(tool[0]).toMatchObject({ valid: true, total: false });
    }
  });

  test('a second signature and a DSS + document timestamp after the first are permitted changes', async () => {
    const seal = await createP12Signer(pki.seal.p12, pki.password);
    const two = await sign(await sign(base, leader), seal, { widget: { page: 0, rect: [50, 50, 120, 60] } });
    const r = await verify(two);
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.changes).toEqual([expect.objectContaining({ revision: 2, permitted: true, kind: 'signature' })]);
    expect((await pdfsigVerify(two, nss)).map((s) => s.valid)).toEqual([true, true]);
  });

  test('expired certificate: OUT_OF_BOUNDS_NO_POE without timestamp, EXPIRED with one; not-yet-valid and wrong key usage are refused', async () => {
    const expired = await createP12Signer(pki.expired.p12, pki.password);
    expect((await verify(await sign(base, expired))).subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    const withTs = await verify(await sign(base, expired, { level: 'B-T', timestamp: timestampFromUrl(tsa.url) }));
    expect([withTs.indication, withTs.subIndication]).toEqual(['TOTAL-FAILED', 'EXPIRED']);
    const early = await verify(await sign(base, await createP12Signer(pki.notYetValid.p12, pki.password)));
    expect([early.indication, early.subIndication]).toEqual(['TOTAL-FAILED', 'NOT_YET_VALID']);
    const ku = await verify(await sign(base, await createP12Signer(pki.wrongKeyUsage.p12, pki.password)));
    expect([ku.indication, ku.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
  });

  test('revoked certificate: REVOKED through OCSP, and through the CRL when OCSP is unreachable', async () => {
    const signed = await sign(base, await createP12Signer(pki.revoked.p12, pki.password));
    const viaOcsp = await verify(signed);
    expect([viaOcsp.indication, viaOcsp.subIndication]).toEqual(['TOTAL-FAILED', 'REVOKED']);
    const noOcsp: VerifyOptions['fetch'] = (url, init) => (url.endsWith('/ocsp') ? Promise.reject(new Error('down')) : fetch(url, { ...init, body: init.body ? new Uint8Array(init.body) : undefined }));
    const viaCrl = await verify(signed, { fetch: noOcsp });
    expect([viaCrl.indication, viaCrl.subIndication]).toEqual(['TOTAL-FAILED', 'REVOKED']);
    expect(viaCrl.signatures[0]?.checks.find((c) => c.name === 'revocation')?.message).toMatch(/thu hồi/);
  });

  test('untrusted root: NO_CERTIFICATE_CHAIN_FOUND here, and pdfsig does not trust it either', async () => {
    const signed = await sign(base, await createP12Signer(pki.untrusted.p12, pki.password));
    const r = await verify(signed);
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect((await pdfsigVerify(signed, nss))[0]?.certificate).not.toMatch(/is Trusted/);
  });

  test('a signature timestamp over the wrong imprint is detected (pdfsig does not look at it)', async () => {
    const good = timestampFromUrl(tsa.url);
    const wrong: TimestampProvider = (_imprint, hash) => good(new Uint8Array(createHash('sha256').update('something else').digest()), hash);
    const signed = await sign(base, leader, { level: 'B-T', timestamp: wrong });
    const r = await verify(signed);
    expect(r.signatures[0]?.timestamps[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.signatures[0]?.level).toBe('B-B');
    expect((await pdfsigVerify(signed, nss))[0]?.valid).toBe(true);
  });

  test('ECDSA and RSA-PSS signers pass; B-LTA passes offline with its DSS; augment lifts a B-B file to B-LTA', async () => {
    for (const role of ['ecdsa', 'rsaPss'] as const) {
      const s = await createP12Signer(pki[role].p12, pki.password, role === 'rsaPss' ? { algorithm: 'RSA-PSS' } : {});
      const r = await verify(await sign(base, s));
      expect(r.indication, role).toBe('TOTAL-PASSED');
    }
    const lta = await sign(base, leader, { level: 'B-LTA', timestamp: timestampFromUrl(tsa.url), revocation: revocationOverHttp() });
    const off = await verify(lta, { offline: true });
    expect(off.indication).toBe('TOTAL-PASSED');
    expect(off.signatures.map((s) => s.level)).toEqual(['B-LTA', 'B-LTA']);
    const augmented = await augmentPdf(await sign(base, leader), { tsaUrl: tsa.url, trustStore: store });
    const aug = await verify(augmented, { offline: true });
    expect(aug.indication).toBe('TOTAL-PASSED');
    expect(aug.signatures[0]).toMatchObject({ level: 'B-LTA', signingTimeProof: 'document-timestamp' });
    expect(needsNewTimestamp(aug, new Date()).needed).toBe(false);
    expect(needsNewTimestamp(aug, new Date(Date.now() + 800 * 86_400_000), 90)).toMatchObject({ needed: true, reason: 'tsa-certificate-expiring' });
    expect(needsNewTimestamp(await verify(await sign(base, leader)), new Date()).reason).toBe('no-timestamp');
  });

  test('a claimed signing time written as local time (UTC+7) marked UTC is explained, not failed', async () => {
    const signed = await sign(base, leader, { level: 'B-T', timestamp: timestampFromUrl(tsa.url), signingTime: new Date(Date.now() + 7 * 3_600_000) });
    const r = await verify(signed);
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.signatures[0]?.checks.find((c) => c.name === 'signing-time')?.message).toMatch(/UTC\+7/);
  });

  test('a timestamp from a TSA revoked before genTime is REVOKED: the document timestamp fails, the signature loses its proof', async () => {
    const badTsa = await startTestTsa(pki, { revokedSigner: true });
    servers.push(badTsa);
    const signed = await sign(base, leader, { level: 'B-T', timestamp: timestampFromUrl(badTsa.url) });
    const r = await verify(signed);
    expect(r.signatures[0]?.timestamps[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect([r.indication, r.signatures[0]?.level]).toEqual(['INDETERMINATE', 'B-B']);
    const { addDocumentTimestamp } = await import('../signing.ltv.ts');
    const withDocTs = await addDocumentTimestamp(await sign(base, leader), { timestamp: timestampFromUrl(badTsa.url) });
    const d = await verify(withDocTs);
    expect(d.signatures[1]).toMatchObject({ kind: 'document-timestamp', indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
  });
});
