import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { degrees, PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { pdfFile, pdfFonts } from '../documents/pdf-fonts.testing.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { createTestPki } from '../signing/testing/pki.ts';
import { printCopy, printMarkText } from './print-copy.ts';

const mark = { agencyName: 'Ủy ban nhân dân xã Hòa Bình', printedBy: 'Nguyễn Thị Hương', at: new Date('2026-12-07T03:05:00Z') };

async function pdfWithPages(turns: number[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [i, turn] of turns.entries()) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Trang ${i + 1}`, { x: 250, y: 420, size: 24, font });
    page.setRotation(degrees(turn));
  }
  return pdf.save();
}

/** The text of each page as pdftotext reads it, laid out as the page is shown. */
function pageTexts(bytes: Uint8Array, pages: number): string[] {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'print-copy-')), 'copy.pdf');
  writeFileSync(file, bytes);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC'));
}

describe('a print copy (ND 30 Phụ lục VI III.6.k)', () => {
  it('names the agency, who printed it and when, in Vietnam time', () => {
    expect(printMarkText(mark)).toBe('Bản in từ Hệ thống quản lý văn bản — Ủy ban nhân dân xã Hòa Bình — Người in: Nguyễn Thị Hương — 10:05 07/12/2026');
  });

  it.skipIf(!needTool('pdftotext'))('carries the mark on every page, readable the way each page is shown, whatever its rotation', async () => {
    const copy = await printCopy(await pdfWithPages([0, 90, 180, 270]), 'application/pdf', mark);
    const texts = pageTexts(copy, 4);
    texts.forEach((text, i) => {
      expect(text).toContain(`Trang ${i + 1}`);
      expect(text.replace(/\s+/g, ' ')).toContain('Người in: Nguyễn Thị Hương — 10:05 07/12/2026');
    });
    // The mark is the last line of what is shown: at the visible bottom edge, not along a side.
    for (const text of texts) expect(text.trim().split('\n').at(-1)).toContain('Bản in từ Hệ thống');
  });

  it('leaves the original as it was and keeps its pages', async () => {
    const original = await pdfWithPages([0, 0]);
    const before = Buffer.from(original).toString('base64');
    const copy = await PDFDocument.load(await printCopy(original, 'application/pdf', mark));
    expect(copy.getPageCount()).toBe(2);
    expect(Buffer.from(original).toString('base64')).toBe(before);
  });

  it.skipIf(!needTool('pdffonts'))('adds only the glyphs of the mark: one Liberation Serif subset with /ToUnicode, a few KiB (the whole font was ~230 KiB)', async () => {
    const original = await pdfWithPages([0]);
    const copy = await printCopy(original, 'application/pdf', mark);
    expect(pdfFonts(copy).filter((f) => f.name.includes('Liberation'))).toEqual([
      { name: expect.stringMatching(/^[A-Z]{6}\+LiberationSerif$/), isEmbedded: true, isSubset: true, hasToUnicode: true },
    ]);
    expect(copy.length - original.length).toBeLessThan(20 * 1024);
  });

  it.skipIf(!needTool('pdfsig', 'pdftotext', 'openssl'))('of a signed document leaves the signed original valid (pdfsig) and carries the mark', async () => {
    const pki = await createTestPki();
    const draft = await buildSampleDraft({
      agencyName: 'Ủy ban nhân dân xã Hòa Bình', notation: 'UBND', typeName: 'Quyết định', subject: 'Về việc thành lập Tổ công tác', body: ['Nội dung.'],
      recipients: ['Như trên'], position: 'Chủ tịch', signerName: 'Đặng Văn Lữ',
    });
    const signed = await signPdf(draft, { signer: await createP12Signer(pki.leader.p12, pki.password), reason: 'Ký duyệt' });
    const copy = await printCopy(signed, 'application/pdf', mark);
    expect(execFileSync('pdfsig', [pdfFile(signed)], { encoding: 'utf8' })).toContain('Signature Validation: Signature is Valid.');
    expect(pageTexts(copy, 1)[0]?.replace(/\s+/g, ' ')).toContain('Người in: Nguyễn Thị Hương — 10:05 07/12/2026');
  });

  it('refuses a file that is not a PDF, and a PDF it cannot read, with clear codes', async () => {
    await expect(printCopy(new TextEncoder().encode('PK…'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', mark))
      .rejects.toMatchObject({ code: 'files.print_not_pdf' });
    await expect(printCopy(new TextEncoder().encode('%PDF-1.7\nnot really'), 'application/pdf', mark)).rejects.toMatchObject({ code: 'files.pdf_corrupt' });
  });
});
