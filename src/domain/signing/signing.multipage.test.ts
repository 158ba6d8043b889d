import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer, type Signer } from './keys.ts';
import { copyDict, pdfArray } from './pdf/objects.ts';
import { openPdf } from './pdf/reader.ts';
import { listPages, listRevisions } from './pdf/structure.ts';
import { finishExternalSignature, prepareExternalSignature } from './signing.external.ts';
import { issueDocument, signAttachment, signCopy } from './signing.issue.ts';
import { signPdf } from './signing.pades.ts';
import { openPkcs11Signer } from './signing.pkcs11.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from './testing/pki.ts';
import { createSoftToken } from './testing/softhsm.ts';
import { createRevocationCache } from './pki/revocation.cache.ts';
import { append } from './verify/verify.tamper.ts';
import { loadTrustStore, type TrustStore } from './verify/verify.trust.ts';
import { verifyPdf } from './verify/verify.ts';

// How LibreOffice writes an A4 page's size (210 × 297 mm in points, to 15 significant digits).
const LIBREOFFICE_A4 = '[0 0 595.303937007874 841.889763779528]';
const mediaBoxes = (pdf: Uint8Array) => listPages(openPdf(pdf)).map((p) => p.dict.entries.get('MediaBox'));
/** The page objects (by page number, 1-based) each update after the first wrote again. */
function pagesRewritten(pdf: Uint8Array): number[][] {
  const doc = openPdf(pdf);
  const pageOf = new Map(listPages(doc).map((p) => [p.ref.num, p.index + 1]));
  return listRevisions(doc).slice(1).map((r) => r.sections.flatMap((s) => s.numbers()).flatMap((n) => pageOf.get(n) ?? []).sort());
}

describe.skipIf(!needTool('soffice', 'pdfsig', 'qpdf', 'softhsm2-util', 'pkcs11-tool'))('a multi-page LibreOffice document signed on its last page, then issued or signed again on page 1', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  let store: TrustStore;
  let leader: Signer;
  let seal: Signer;
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
    store = await loadTrustStore({ files: [pki.root.certPath] });
    [leader, seal] = [await createP12Signer(pki.leader.p12, pki.password), await createP12Signer(pki.seal.p12, pki.password)];
  }, 60_000);
  afterAll(async () => { await ocsp.close(); });

  const verify = (pdf: Uint8Array) => verifyPdf(pdf, { trustStore: store, cache: createRevocationCache(), timeoutMs: 5000 });
  const approveOnLastPage = async (pages: number) => {
    const draft = readFileSync(await corpus.issueTemplatePages(pages));
    expect(Buffer.from(draft).toString('latin1').split(`/MediaBox${LIBREOFFICE_A4}`)).toHaveLength(pages + 1);
    return { draft, approved: await signPdf(draft, { signer: leader, reason: 'Ký duyệt', widget: { page: pages - 1, rect: [350, 560, 150, 60] } }) };
  };

  for (const pages of [2, 3]) {
    test(`${pages} pages: the approval on page ${pages} and the seal that writes the number and date on page 1 are both valid — for vanthu, pdfsig and qpdf; page 1 is written again only to get the number and date, with its /MediaBox as LibreOffice wrote it`, async () => {
      const { draft, approved } = await approveOnLastPage(pages);
      const issued = await issueDocument(approved, {
        signer: seal, reason: 'Phát hành văn bản', numberText: '15/QĐ-UBND', dateText: 'Hà Nội, ngày 05 tháng 3 năm 2026',
        numberAnchor: '[SỐ]', dateAnchor: '[NGÀY BAN HÀNH]', mode: 'over', widget: { page: pages - 1, rect: [320, 520, 110, 110] },
      });

      const report = await verify(issued);
      expect(report.signatures.map((s) => [s.indication, s.signerName])).toEqual([['TOTAL-PASSED', 'Nguyễn Văn An'], ['TOTAL-PASSED', 'UBND tỉnh Thử Nghiệm']]);
      expect(report.changes).toEqual([expect.objectContaining({ revision: 2, permitted: true, findings: expect.arrayContaining([expect.stringMatching(/Stamp/)]) })]);
      expect(report.changes.flatMap((c) => c.findings).join(' ')).not.toMatch(/MediaBox/);
      const tools = checkWithTools(issued);
      expect(tools.qpdfStatus, tools.qpdfOutput).toBe(0);
      expect(tools.signatures.map((s) => [s.valid, s.total])).toEqual([[true, false], [true, true]]);
      // the approval writes its page again (for /Annots), the issue that page and page 1 — never a page between
      expect(pagesRewritten(issued)).toEqual([[pages], [1, pages]]);
      expect(mediaBoxes(issued)).toEqual(mediaBoxes(draft));
    });
  }

  test('a later update that rounds page 1\'s /MediaBox (595.303937007874 → 595.303937) is still a change to the signed page: the verifier compares the values exactly, with no tolerance', async () => {
    const { approved } = await approveOnLastPage(2);
    const rounded = append(approved, (doc) => {
      const [first] = listPages(doc);
      if (!first) throw new Error('no page');
      const dict = copyDict(first.dict);
      dict.entries.set('MediaBox', pdfArray([0, 0, 595.303937, 841.889764]));
      return [{ num: first.ref.num, body: dict }];
    });
    const report = await verify(rounded);
    expect(report.signatures[0]?.indication).toBe('TOTAL-FAILED');
    expect(report.changes[0]).toMatchObject({ permitted: false, findings: [expect.stringMatching(/Trang: thay đổi \/MediaBox/)] });
  });

  test('every other signing path writes page 1 again the same way: a token (PKCS#11, SoftHSM2) or the signing agent (external signing), the «bản sao điện tử» copy and the appendix stamp — the approval on the last page stays valid', async () => {
    const { approved } = await approveOnLastPage(2);
    const token = createSoftToken([{ label: 'seal', id: '01', keyPem: pki.seal.keyPem, certDer: pki.seal.certDer, extraCerts: [pki.intermediate.certDer] }]);
    const onToken = openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'seal' });
    const external = async (pdf: Uint8Array) => {
      const prepared = prepareExternalSignature(pdf, { certificate: pki.seal.certDer, chain: [pki.intermediate.certDer], widget: { page: 0, rect: [60, 60, 120, 40] } });
      return finishExternalSignature(prepared.state, { signature: new Uint8Array(nodeSign('sha256', Buffer.from(prepared.signedAttributes, 'base64'), createPrivateKey(pki.seal.keyPem))) });
    };
    try {
      const paths: [string, (pdf: Uint8Array) => Promise<Uint8Array>][] = [
        ['PKCS#11', (pdf) => signPdf(pdf, { signer: onToken, widget: { page: 0, rect: [60, 60, 120, 40] } })],
        ['external', external],
        ['copy', (pdf) => signCopy(pdf, { signer: seal, kind: 'SAO Y', agency: 'Văn phòng UBND tỉnh Mẫu' })],
        ['appendix', (pdf) => signAttachment(pdf, { signer: seal, numberText: '15/QĐ-UBND' })],
      ];
      for (const [path, sign] of paths) {
        const signed = await sign(approved);
        const report = await verify(signed);
        expect([path, ...report.signatures.map((s) => s.indication)]).toEqual([path, 'TOTAL-PASSED', 'TOTAL-PASSED']);
        expect(pagesRewritten(signed)).toEqual([[2], [1]]);
        expect(checkWithTools(signed).signatures.map((s) => s.valid)).toEqual([true, true]);
      }
    } finally {
      onToken.close();
    }
  });
});
