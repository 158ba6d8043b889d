import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { buildImageAppearance } from './appearance.image.ts';
import { buildSignatureAppearance } from './appearance.signature.ts';
import { countPixels, extractText, makeBasePdf, rasterise, stampPdf } from './appearance.test-pdf.ts';
import { encodePng, makeSignaturePng } from './appearance.test-png.ts';
import type { Box } from './appearance.types.ts';

const isBlue = (r: number, g: number, b: number) => b > 120 && r < 110 && g < 130;
const isDark = (r: number, g: number, b: number) => r < 110 && g < 110 && b < 110;

describe.skipIf(!needTool('pdftoppm', 'pdftotext'))('buildSignatureAppearance / buildImageAppearance', () => {
  test("'image-left' puts the PNG in the left part and the wrapped text on the right", async () => {
    const rect: Box = { x: 300, y: 300, width: 240, height: 80 };
    const lines = ['Ký bởi: Nguyễn Thị Hường', 'Cơ quan: Sở Tư pháp tỉnh Bắc Ninh', 'Thời gian ký: 05/03/2026 14:30:05 +07:00'];
    const pdf = await stampPdf(await makeBasePdf([]), (alloc) => [{
      ...buildSignatureAppearance({ width: rect.width, height: rect.height, layout: 'image-left', image: { png: makeSignaturePng() }, lines, text: { fontSize: 9, color: '#000000' } }, alloc),
      rect,
    }]);
    const text = extractText(pdf).normalize('NFC').replace(/\s+/g, ' '); // the long line wraps
    for (const l of lines) expect(text).toContain(l);
    const r = rasterise(pdf);
    const left: Box = { ...rect, width: rect.width * 0.4 };
    const right: Box = { ...rect, x: rect.x + rect.width * 0.4 + 1, width: rect.width * 0.6 - 1 };
    expect(countPixels(r, left, isBlue)).toBeGreaterThan(100);
    expect(countPixels(r, right, isBlue)).toBe(0);
    expect(countPixels(r, right, isDark)).toBeGreaterThan(100);
    expect(countPixels(r, left, isDark)).toBe(0);
  });

  test('a semi-transparent grey+alpha PNG keeps its alpha (pixels blend with the white page)', async () => {
    const png = encodePng({ width: 20, height: 20, type: 4, depth: 8, samples: (x) => [0, x < 10 ? 255 : 0] });
    const rect: Box = { x: 100, y: 100, width: 100, height: 100 };
    const pdf = await stampPdf(await makeBasePdf([]), (alloc) => [{ ...buildImageAppearance({ png, width: 100, height: 100, opacity: 0.5 }, alloc), rect }]);
    const r = rasterise(pdf);
    const grey = (a: number, b: number, c: number) => a > 100 && a < 160 && Math.abs(a - b) < 5 && Math.abs(a - c) < 5;
    const white = (a: number, b: number, c: number) => a > 250 && b > 250 && c > 250;
    expect(countPixels(r, { x: 105, y: 105, width: 40, height: 90 }, grey)).toBeGreaterThan(400); // black at 50 %
    expect(countPixels(r, { x: 155, y: 105, width: 40, height: 90 }, white)).toBeGreaterThan(400); // alpha 0
  });

  test('a zero-sized widget is refused with signing.appearance_invalid', () => {
    try {
      buildSignatureAppearance({ width: 0, height: 10, layout: 'text', lines: ['x'] }, () => 1);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error, 'signing.appearance_invalid')).toBe(true);
    }
  });
});
