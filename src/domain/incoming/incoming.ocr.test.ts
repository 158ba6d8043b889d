import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { createTestPki } from '../signing/testing/pki.ts';
import { isScannedPage, ocrPdf, pageRanges } from './incoming.ocr.ts';
import { makeMixedPdf, makeScan, makeTextPdf, signAsIssued } from './incoming.testing.ts';

const run = promisify(execFile);

/** Each page's text as pdftotext reads it. */
async function textOfPages(pdf: Uint8Array): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-ocr-test-'));
  try {
    await writeFile(path.join(dir, 'f.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'f.pdf'), '-']);
    return stdout.split('\f').slice(0, -1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const LETTER = 'CÔNG VĂN\nVề việc phòng chống dịch bệnh cúm gia cầm\nỦy ban nhân dân huyện Bình Minh';
const ANNEX = 'PHỤ LỤC\nDanh sách hộ chăn nuôi gia cầm\nxã Tân Lập';
const LAST = 'Nơi nhận: Như trên; Lưu: VT.\nChủ tịch Trần Văn Minh';

describe.skipIf(!needTool('ocrmypdf', 'img2pdf', 'pdftoppm', 'pdftotext', 'qpdf'))('OCR of a PDF with typed and scanned pages', () => {
  test('only the scanned page is OCR\'d: the typed pages keep their text exactly, and the text holds both', async () => {
    const input = await makeMixedPdf([{ typed: LETTER }, { scanned: ANNEX }, { typed: LAST }]);
    const before = await textOfPages(input);
    expect(before[1]?.trim()).toBe('');
    const outcome = await ocrPdf(input, { pageCount: 3 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    const after = await textOfPages(outcome.pdf);
    // the PDF/A conversion once rewrote the typed pages too, and they read "&¶QJ YÅQ…"
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    expect(after[1]).toMatch(/chăn nuôi/);
    expect(outcome.text).toContain('phòng chống dịch bệnh cúm gia cầm');
    expect(outcome.text).toContain('Chủ tịch Trần Văn Minh');
    expect(outcome.text).toMatch(/Danh sách hộ chăn nuôi/);
  });

  test('a scanned page that carries its page number as text is still OCR\'d (ocrmypdf --skip-text took it for a typed page)', async () => {
    const outcome = await ocrPdf(await makeMixedPdf([{ typed: LETTER }, { scanned: ANNEX }], { pageNumbers: true }), { pageCount: 2 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    const pages = await textOfPages(outcome.pdf);
    expect(pages[0]).toContain('phòng chống dịch bệnh cúm gia cầm');
    expect(pages[1]).toMatch(/chăn nuôi/);
  });

  test('a scan with a signature box written as text on every page is OCR\'d — its pages are page images with a stamp\'s few words — and keeps the box\'s text; typed pages with the same box are only read', async () => {
    const box = 'Người ký: Ủy ban nhân dân xã Tân Lập\nEmail: ubnd.tanlap@thaihoa.gov.vn\nCơ quan: Tỉnh Thái Hòa\nThời gian ký: 07.12.2026 08:30:15 +07:00';
    const input = await makeMixedPdf([{ scanned: LETTER }, { scanned: ANNEX }], { stamp: box });
    const before = await textOfPages(input);
    // read alone, each page's text is long enough to pass for a typed page
    expect(before.map((p) => p.replace(/\s+/g, ' ').trim())).toEqual([box.replace(/\n/g, ' '), box.replace(/\n/g, ' ')]);
    const outcome = await ocrPdf(input, { pageCount: 2 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    const after = await textOfPages(outcome.pdf);
    expect(after[0]).toMatch(/phòng chống dịch bệnh/);
    expect(after[1]).toMatch(/chăn nuôi/);
    // the box's own text stays (OCR reads it again beside it, which only repeats its words)
    expect(box.split(/\s+/).filter((word) => !after[1]?.split(/\s+/).includes(word))).toEqual([]);

    expect(await ocrPdf(await makeMixedPdf([{ typed: LETTER }, { typed: LAST }], { stamp: box }), { pageCount: 2 })).toEqual({ kind: 'has_text', text: expect.stringContaining('Tỉnh Thái Hòa') });
  });

  test('a digitally signed scan is OCR\'d — ocrmypdf refuses a PDF with form fields, and a signature is one — and the received bytes stay as they were', async () => {
    const pki = await createTestPki();
    const signed = await signPdf((await makeScan([ANNEX])).pdf, { signer: await createP12Signer(pki.leader.p12, pki.password) });
    const copy = Buffer.from(signed);
    const outcome = await ocrPdf(signed, { pageCount: 1 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    expect(outcome.text).toMatch(/chăn nuôi/);
    expect(Buffer.from(signed).equals(copy)).toBe(true);
  });

  test('a signed document whose last page holds only its signature block — «GIÁM ĐỐC», the signer\'s image, the red seal, «Nguyễn Văn An» — is only read: no OCR run, no copy of the signed file; the same signatures on a scan still leave it OCR\'d', async () => {
    const typed = await signAsIssued(await makeTextPdf([LETTER, 'GIÁM ĐỐC\n\n\n\nNguyễn Văn An']), { signerName: 'Nguyễn Văn An', position: 'Giám đốc' });
    // the images are on the signature page, beside fewer than 20 letters of text
    expect((await textOfPages(typed))[1]?.replace(/\s+/g, ' ').trim()).toBe('GIÁM ĐỐC Nguyễn Văn An');
    expect(await ocrPdf(typed, { pageCount: 2 })).toEqual({ kind: 'has_text', text: expect.stringContaining('Nguyễn Văn An') });

    const scan = await ocrPdf(await signAsIssued((await makeScan([ANNEX])).pdf, { signerName: 'Nguyễn Văn An', position: 'Giám đốc' }), { pageCount: 1 });
    expect(scan).toMatchObject({ kind: 'done', text: expect.stringMatching(/chăn nuôi/) });
  });

  test('a document typed in decomposed Unicode («Unicode tổ hợp»: e + ̂ + ̣ for ệ) is read as it is, not taken for garbage and OCR\'d', async () => {
    const pdf = await makeTextPdf([LETTER.normalize('NFD'), LAST.normalize('NFD')]);
    expect((await textOfPages(pdf))[0]).toContain('Ủy ban'.normalize('NFD'));
    const outcome = await ocrPdf(pdf, { pageCount: 2 });
    expect(outcome.kind).toBe('has_text');
    expect(outcome.kind === 'has_text' && outcome.text.normalize('NFC')).toContain('Chủ tịch Trần Văn Minh');
  });

  test('a PDF of typed pages only is read as it is; a scan without any text is still made PDF/A', async () => {
    expect(await ocrPdf(await makeMixedPdf([{ typed: LETTER }, { typed: LAST }]), { pageCount: 2 })).toEqual({ kind: 'has_text', text: expect.stringContaining('cúm gia cầm') });
    const scan = await ocrPdf((await makeScan([ANNEX])).pdf, { pageCount: 1 });
    if (scan.kind !== 'done') throw new Error(JSON.stringify(scan));
    expect(Buffer.from(scan.pdf).toString('latin1')).toMatch(/pdfaid:part/);
    expect(scan.text).toMatch(/chăn nuôi/);
  });
});

test('a page is scanned when it has no readable text, or when its images could hold more text than it has: a page image with a stamp\'s few words, a smaller scanned sheet with a page number', () => {
  const stamp = 'Người ký: Ủy ban nhân dân xã Tân Lập Email: ubnd.tanlap@thaihoa.gov.vn Thời gian ký: 07.12.2026 08:30:15 +07:00';
  const typedPage = Array.from({ length: 6 }, () => 'Ủy ban nhân dân huyện đề nghị các xã rà soát, báo cáo trước ngày 15 tháng 12.').join('\n');
  // no text, a text layer whose fonts lost their Unicode map, a page number on a page image or on a half-page sheet
  expect([isScannedPage('', 0), isScannedPage('&¶QJ YÅQ ¶¶', 0), isScannedPage('BẢN SAO', 1), isScannedPage('Trang 2', 1), isScannedPage('Trang 2', 0.5)]).toEqual([true, true, true, true, true]);
  expect([isScannedPage(stamp, 1), isScannedPage(stamp, 0.8)]).toEqual([true, true]);
  // the same words beside a logo, a full typed page over a page-size background, a signature page with the signer's image and seal
  expect([isScannedPage(stamp, 0.1), isScannedPage(stamp, 0), isScannedPage(typedPage, 1), isScannedPage('GIÁM ĐỐC\n\nNguyễn Văn An', 0.05)]).toEqual([false, false, false, false]);
  // typed in decomposed Unicode: a fifth of its characters are combining marks
  expect([isScannedPage(typedPage.normalize('NFD'), 0), isScannedPage(stamp.normalize('NFD'), 1)]).toEqual([false, true]);
});

test('the pages to OCR are given to ocrmypdf as ranges', () => {
  expect([pageRanges([2]), pageRanges([1, 3, 4, 5, 9]), pageRanges([1, 2, 3])]).toEqual(['2', '1,3-5,9', '1-3']);
});
