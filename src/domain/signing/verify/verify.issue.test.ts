import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createP12Signer } from '../keys.ts';
import { issueDocument } from '../signing.issue.ts';
import { signPdf } from '../signing.pades.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../testing/pki.ts';
import { createNssDb, pdfsigVerify } from '../testing/pki-nss.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { changePageContent } from './verify.tamper.ts';
import { loadTrustStore, type TrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

describe.skipIf(!needTool('openssl', 'pdfsig', 'certutil', 'pk12util'))('issuing flow: approval signature, then number/date annotations + agency seal in one update', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  let store: TrustStore;
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
    store = await loadTrustStore({ files: [pki.root.certPath] });
  }, 60_000);

  test('the seal update (new Stamp annotations with /AP + seal signature) is a permitted change for the approval signature', async () => {
    const leader = await createP12Signer(pki.leader.p12, pki.password);
    const seal = await createP12Signer(pki.seal.p12, pki.password);
    const approved = await signPdf(await makePdfLib(1), { signer: leader, reason: 'Ký duyệt', widget: { page: 0, rect: [350, 120, 150, 60] } });
    const issued = await issueDocument(approved, {
      signer: seal, reason: 'Ký số cơ quan', numberText: '15/QĐ-UBND', dateText: 'Hà Nội, ngày 05 tháng 3 năm 2026',
      numberAnchor: { pageIndex: 0, x: 80, y: 760, width: 120, height: 16 }, dateAnchor: { pageIndex: 0, x: 320, y: 760, width: 220, height: 16 },
      widget: { page: 0, rect: [300, 80, 120, 120] },
    });
    const r = await verifyPdf(issued, { trustStore: store, cache: createRevocationCache() });
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ permitted: true });
    expect(r.changes[0]?.findings.join(' ')).toMatch(/Stamp/);
    expect(r.signatures.map((s) => [s.indication, s.signerName])).toEqual([['TOTAL-PASSED', 'Nguyễn Văn An'], ['TOTAL-PASSED', 'UBND tỉnh Thử Nghiệm']]);
    const tool = await pdfsigVerify(issued, createNssDb(pki));
    expect(tool.map((s) => s.valid)).toEqual([true, true]);
    // …while a content change after the seal fails both signatures here.
    const tampered = await verifyPdf(changePageContent(issued), { trustStore: store, offline: true });
    expect(tampered.signatures.map((s) => s.indication)).toEqual(['TOTAL-FAILED', 'TOTAL-FAILED']);
  });

  afterAll(async () => { await ocsp.close(); });
});
