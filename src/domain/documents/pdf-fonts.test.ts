import { execFileSync, spawnSync } from 'node:child_process';
import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { embedSerifFont, embedSerifFonts } from './pdf-fonts.ts';
import { pdfFile, pdfFonts, VIETNAMESE_SAMPLE } from './pdf-fonts.testing.ts';

const text = (pdf: Uint8Array) => execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf, encoding: 'utf8' }).normalize('NFC');
// -raw: in the order drawn, with every space (pdftotext's default reading joins single letters)
const lines = (pdf: Uint8Array) => text(pdf).split('\n').map((l) => l.trim()).filter(Boolean);

/** A one-page PDF with each line drawn in the font of its style. */
async function pdfOf(content: [line: string, style: 'regular' | 'bold' | 'italic'][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts = { ...(await embedSerifFonts(pdf)), italic: await embedSerifFont(pdf, 'italic') };
  const page = pdf.addPage([595.28, 841.89]);
  content.forEach(([line, style], i) => page.drawText(line, { x: 40, y: 780 - 30 * i, size: 13, font: fonts[style] }));
  return pdf.save({ useObjectStreams: true });
}

describe.skipIf(!needTool('pdftotext', 'pdffonts', 'qpdf'))('the fonts of generated PDFs', () => {
  // First in the file: the fonts are parsed once per process, and this needs them as nothing has used them yet.
  test('a document drawn after another gives back all its letters: the first one\'s accented capitals do not leave their base letters without their characters', async () => {
    await pdfOf([['ỦỶẢÃÀÁẠ', 'regular'], ['ỦỶẢÃÀÁẠ', 'bold'], ['ỦỶẢÃÀÁẠ', 'italic']]);
    const second = await pdfOf([['ỦY BAN NHÂN DÂN', 'regular'], ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'bold'], ['Hòa Bình, ngày 07 tháng 12 năm 2026', 'italic']]);
    expect(lines(second)).toEqual(['ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Hòa Bình, ngày 07 tháng 12 năm 2026']);
  });

  test('Vietnamese in regular, bold and italic is drawn from subsets with /ToUnicode, reads back exactly, and a page weighs tens of KiB, not the ~700 KiB of three whole fonts', async () => {
    const pdf = await pdfOf(VIETNAMESE_SAMPLE.flatMap((line) => [[line, 'regular'], [line, 'bold'], [line, 'italic']] as const));
    expect(lines(pdf)).toEqual(VIETNAMESE_SAMPLE.flatMap((line) => [line, line, line]));
    const fonts = pdfFonts(pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['LiberationSerif', 'LiberationSerif-Bold', 'LiberationSerif-Italic']);
    for (const font of fonts) expect(font).toMatchObject({ name: expect.stringMatching(/^[A-Z]{6}\+/), isEmbedded: true, isSubset: true, hasToUnicode: true });
    expect(spawnSync('qpdf', ['--check', pdfFile(pdf)]).status).toBe(0);
    expect(pdf.length).toBeLessThan(60 * 1024);
  });

  test('two subsets of one font in one document have their own names, so no viewer takes one for the other', async () => {
    const pdf = await PDFDocument.create();
    const [first, second] = [await embedSerifFont(pdf, 'regular'), await embedSerifFont(pdf, 'regular')];
    pdf.addPage().drawText('Đặng', { x: 40, y: 700, font: first });
    pdf.getPage(0).drawText('Ưng', { x: 40, y: 600, font: second });
    const names = pdfFonts(await pdf.save()).map((f) => f.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
  });
});
