import { statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { FONT_DIR } from './appearance.font.ts';
import { extractText, makeBasePdf, rasterise, countPixels, stampPdf } from './appearance.test-pdf.ts';
import { buildTextAppearance, layoutText } from './appearance.text.ts';
import type { AppearanceResult } from './appearance.types.ts';

const VIETNAMESE = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
const LINES = [
  VIETNAMESE,
  VIETNAMESE.toLocaleUpperCase('vi'),
  'Ủy ban nhân dân tỉnh Thừa Thiên Huế; Nguyễn Thị Hường; 15/QĐ-UBND',
];

function counter(start = 100) {
  let n = start;
  return () => n++;
}

const decoder = new TextDecoder('latin1');
const bodyText = (ap: AppearanceResult) => ap.objects.map((o) => decoder.decode(o.body)).join('\n');

describe('buildTextAppearance', () => {
  test('embeds a Type0/CIDFontType2 Identity-H subset with /W, FontFile2 and /ToUnicode', () => {
    const ap = buildTextAppearance({ lines: ['Hà Nội, ngày 05 tháng 3 năm 2026'], fontSize: 13 }, counter());
    const all = bodyText(ap);
    expect(all).toMatch(/\/Subtype \/Type0 \/BaseFont \/[A-Z]{6}\+LiberationSerif /);
    expect(all).toContain('/Encoding /Identity-H');
    expect(all).toContain('/Subtype /CIDFontType2');
    expect(all).toMatch(/\/W \[0 \[\d+( \d+)+\]\]/);
    expect(all).toMatch(/\/ToUnicode \d+ 0 R/);
    expect(all).toMatch(/\/Subtype \/Form \/FormType 1 \/BBox \[0 0 [\d.]+ [\d.]+\]/);
    const fontFile = ap.objects.find((o) => decoder.decode(o.body).includes('/Length1'));
    const length1 = Number(/\/Length1 (\d+)/.exec(decoder.decode(fontFile?.body))?.[1]);
    const fullSize = statSync(new URL('LiberationSerif-Regular.ttf', FONT_DIR)).size;
    expect(length1).toBeGreaterThan(1000);
    expect(length1).toBeLessThan(fullSize / 10);
    const form = ap.objects.find((o) => o.num === ap.xobject);
    expect(decoder.decode(form?.body)).toContain('/Subtype /Form');
    const nums = ap.objects.map((o) => o.num).sort((a, b) => a - b);
    expect(nums).toEqual(Array.from({ length: nums.length }, (_, i) => 100 + i));
  });

  test('every object declares the exact /Length of its stream', () => {
    const ap = buildTextAppearance({ lines: LINES, fontSize: 11, bold: true }, counter());
    for (const o of ap.objects) {
      const text = decoder.decode(o.body);
      const m = /\/Length (\d+)[^]*?>>\nstream\n/.exec(text);
      if (!m?.[1]) continue;
      const start = text.indexOf('stream\n') + 7;
      const end = text.lastIndexOf('\nendstream');
      expect(end - start).toBe(Number(m[1]));
      if (text.includes('/FlateDecode')) expect(() => inflateSync(o.body.subarray(start, end))).not.toThrow();
    }
  });

  test('wraps to the box width and shrinks the font until the lines fit the height', () => {
    const layout = layoutText({ lines: ['Ủy ban nhân dân tỉnh Thừa Thiên Huế, Văn phòng Ủy ban nhân dân tỉnh'], fontSize: 14, width: 120, height: 40 });
    expect(layout.lines.length).toBeGreaterThan(1);
    const size = layout.lines[0]?.size ?? 0;
    expect(size).toBeLessThan(14);
    expect(layout.lines.length * size * 1.15).toBeLessThanOrEqual(40 - 4 + 0.01);
    for (const l of layout.lines) expect(l.x).toBeGreaterThanOrEqual(2);
  });

  test('a character the font cannot draw is refused with signing.font_missing_glyph', () => {
    try {
      buildTextAppearance({ lines: ['Nguyễn 中文'], fontSize: 10 }, counter());
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error, 'signing.font_missing_glyph')).toBe(true);
      expect((error as Error).message).toContain('中');
    }
  });
});

describe.skipIf(!needTool('pdftoppm', 'pdftotext', 'qpdf'))('text appearance in a real PDF', () => {
  test('pdftotext gives back every Vietnamese letter exactly (NFC), in serif, bold, italic and sans', async () => {
    const base = await makeBasePdf([]);
    const styles = [{}, { bold: true }, { italic: true }, { font: 'sans' as const }, { font: 'sans' as const, bold: true }];
    const pdf = await stampPdf(base, (alloc) => styles.map((s, i) => {
      const ap = buildTextAppearance({ lines: LINES, fontSize: 9, ...s }, alloc);
      return { ...ap, rect: { x: 40, y: 760 - i * 140, width: ap.width, height: ap.height } };
    }));
    const text = extractText(pdf).normalize('NFC');
    for (const line of LINES) expect(text.split(line).length - 1).toBe(styles.length);
  });

  test('black text renders as dark pixels inside its box and nowhere else', async () => {
    const base = await makeBasePdf([]);
    let rect = { x: 0, y: 0, width: 0, height: 0 };
    const pdf = await stampPdf(base, (alloc) => {
      const ap = buildTextAppearance({ lines: ['Số: 15/QĐ-UBND'], fontSize: 14, color: '#000000' }, alloc);
      rect = { x: 300, y: 500, width: ap.width, height: ap.height };
      return [{ ...ap, rect }];
    });
    const r = rasterise(pdf);
    const dark = (red: number, g: number, b: number) => red < 100 && g < 100 && b < 100;
    expect(countPixels(r, rect, dark)).toBeGreaterThan(80);
    expect(countPixels(r, { x: 0, y: 0, width: 595, height: 490 }, dark)).toBe(0);
  });
});
