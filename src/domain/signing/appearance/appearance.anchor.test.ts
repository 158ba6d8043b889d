import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { findAnchor } from './appearance.anchor.ts';
import { FONT_DIR } from './appearance.font.ts';
import { makeBasePdf } from './appearance.test-pdf.ts';

async function pdfWithRuns(runs: { text: string; x: number; y: number }[], pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(new URL('LiberationSerif-Regular.ttf', FONT_DIR)), { subset: false });
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    for (const r of runs) page.drawText(r.text, { x: r.x, y: r.y, size: 13, font, color: rgb(0, 0, 0) });
  }
  return doc.save({ useObjectStreams: false });
}

describe('findAnchor', () => {
  test('finds Vietnamese text with its box and baseline', async () => {
    const pdf = await makeBasePdf([{ text: 'Nội dung', x: 72, y: 700 }, { text: 'Nguyễn Văn Đức', x: 375, y: 320 }]);
    const hit = await findAnchor(pdf, 'Nguyễn Văn Đức');
    expect(hit).toMatchObject({ pageIndex: 0, x: 375, baseline: 320, fontSize: 13 });
    expect(hit?.width).toBeGreaterThan(80);
    expect(hit?.width).toBeLessThan(100);
    expect(hit?.y).toBeLessThan(320);
    expect((hit?.y ?? 0) + (hit?.height ?? 0)).toBeGreaterThan(320 + 9);
  });

  test('matches across split runs, extra whitespace, case and decomposed (NFD) marks', async () => {
    const pdf = await pdfWithRuns([{ text: 'Nguy', x: 100, y: 300 }, { text: 'ễn Văn', x: 125.5, y: 300 }, { text: 'Đức'.normalize('NFD'), x: 180, y: 300 }]);
    const hit = await findAnchor(pdf, '  NGUYỄN   văn\nđức ');
    expect(hit?.x).toBe(100);
    expect((hit?.x ?? 0) + (hit?.width ?? 0)).toBeGreaterThan(195);
  });

  test('returns null when the text is absent or the page does not exist, and honours occurrence/pageIndex', async () => {
    const pdf = await pdfWithRuns([{ text: 'PHÓ CHỦ TỊCH', x: 300, y: 400 }], 2);
    expect(await findAnchor(pdf, 'CHỦ TỊCH NƯỚC')).toBeNull();
    expect(await findAnchor(pdf, 'PHÓ CHỦ TỊCH', { pageIndex: 5 })).toBeNull();
    expect((await findAnchor(pdf, 'PHÓ CHỦ TỊCH'))?.pageIndex).toBe(0);
    expect((await findAnchor(pdf, 'PHÓ CHỦ TỊCH', { occurrence: 'last' }))?.pageIndex).toBe(1);
    expect((await findAnchor(pdf, 'PHÓ CHỦ TỊCH', { pageIndex: 1 }))?.pageIndex).toBe(1);
  });

  test('a file pdf.js cannot read is refused with signing.anchor_pdf_invalid', async () => {
    const error = await findAnchor(new TextEncoder().encode('not a pdf'), 'x').catch((e: unknown) => e);
    expect(isAppError(error, 'signing.anchor_pdf_invalid')).toBe(true);
  });
});
