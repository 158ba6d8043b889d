import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { findAnchor } from './appearance.anchor.ts';
import { attachmentStampPreset, copyStampPreset, issueNumberPreset, sealPreset, signerPreset } from './appearance.presets.ts';
import { countPixels, extractText, makeBasePdf, rasterise, stampPdf } from './appearance.test-pdf.ts';
import { encodePng, makeSealPng, makeSignaturePng } from './appearance.test-png.ts';
import { A4, MM } from './appearance.types.ts';
import type { Box, PlacedAppearance } from './appearance.types.ts';

const signedAt = new Date('2026-03-05T07:30:05Z');
const isRed = (r: number, g: number, b: number) => r > 150 && g < 110 && b < 110;
const isBlue = (r: number, g: number, b: number) => b > 120 && r < 110 && g < 130;
const isDark = (r: number, g: number, b: number) => r < 110 && g < 110 && b < 110;

function qpdfCheck(pdf: Uint8Array): void {
  const file = join(mkdtempSync(join(tmpdir(), 'vanthu-ap-')), 'q.pdf');
  writeFileSync(file, pdf);
  execFileSync('qpdf', ['--check', file]); // throws on exit code 2 (errors) or 3 (warnings)
}

describe.skipIf(!needTool('pdftoppm', 'pdftotext', 'qpdf'))('ND 30 presets rendered by poppler', () => {
  let base: Uint8Array;
  let nameBox: Box;
  let positionBox: Box;
  beforeAll(async () => {
    base = await makeBasePdf([
      { text: 'KT. CHỦ TỊCH', x: 380, y: 420 },
      { text: 'PHÓ CHỦ TỊCH', x: 378, y: 404 },
      { text: 'Nguyễn Văn Đức', x: 375, y: 320 },
    ]);
    const name = await findAnchor(base, 'Nguyễn Văn Đức');
    const position = await findAnchor(base, 'PHÓ CHỦ TỊCH');
    if (!name || !position) throw new Error('anchors not found in the base PDF');
    nameBox = name;
    positionBox = position;
  });

  test('signer image sits between position and name, centred; the seal covers its left third', async () => {
    let signer: PlacedAppearance | undefined;
    let seal: PlacedAppearance | undefined;
    const pdf = await stampPdf(base, (alloc) => {
      signer = signerPreset({ png: makeSignaturePng(), nameBox, positionBox }, alloc);
      seal = sealPreset({ png: makeSealPng(), signerRect: signer.rect }, alloc);
      return [signer, seal];
    });
    qpdfCheck(pdf);
    if (!signer || !seal) throw new Error('not built');
    const s = signer.rect;
    expect(s.y).toBeGreaterThan(nameBox.y + nameBox.height);
    expect(s.y + s.height).toBeLessThan(positionBox.y);
    expect(s.x + s.width / 2).toBeCloseTo((nameBox.x + nameBox.width / 2 + positionBox.x + positionBox.width / 2) / 2, 0);
    expect(seal.rect.width).toBeCloseTo(36 * MM, 0); // real size from the PNG's pHYs
    const r = rasterise(pdf);
    const leftThird: Box = { x: s.x, y: s.y, width: s.width / 3, height: s.height };
    const rightTwoThirds: Box = { x: s.x + s.width / 3 + 2, y: s.y, width: (s.width * 2) / 3 - 2, height: s.height };
    expect(countPixels(r, leftThird, isRed)).toBeGreaterThan(100);
    expect(countPixels(r, rightTwoThirds, isRed)).toBe(0);
    expect(countPixels(r, rightTwoThirds, isBlue)).toBeGreaterThan(200);
    const leftOfSeal: Box = { x: 0, y: 0, width: seal.rect.x - 1, height: 841 };
    expect(countPixels(r, leftOfSeal, isRed)).toBe(0);
  });

  test('the optional seal info line prints agency and time under the seal', async () => {
    const pdf = await stampPdf(base, (alloc) => {
      const signer = signerPreset({ png: makeSignaturePng(), nameBox, positionBox }, alloc);
      return [signer, sealPreset({ png: makeSealPng(), signerRect: signer.rect, info: { agency: 'Ủy ban nhân dân tỉnh Thừa Thiên Huế', signedAt } }, alloc)];
    });
    const text = extractText(pdf).normalize('NFC');
    expect(text).toContain('Ủy ban nhân dân tỉnh Thừa Thiên Huế');
    expect(text).toContain('Thời gian ký: 05/03/2026 14:30:05 +07:00');
  });

  test('the attachment stamp is black 10 pt text at the top right of page 1, text exact', async () => {
    let stamp: PlacedAppearance | undefined;
    const pdf = await stampPdf(await makeBasePdf([]), (alloc) => [(stamp = attachmentStampPreset({ number: '15/QĐ-UBND', signedAt, page: A4 }, alloc))]);
    qpdfCheck(pdf);
    expect(extractText(pdf).normalize('NFC').trim()).toBe('Số: 15/QĐ-UBND; 05/03/2026; 14:30:05 +07:00');
    if (!stamp) throw new Error('not built');
    expect(stamp.rect.x + stamp.rect.width).toBeCloseTo(A4.width - 20 * MM, 1);
    expect(stamp.rect.y + stamp.rect.height).toBeGreaterThan(A4.height - 20 * MM); // inside the top margin
    const r = rasterise(pdf);
    const topRight: Box = { x: A4.width / 2, y: A4.height - 20 * MM, width: A4.width / 2, height: 20 * MM };
    expect(countPixels(r, topRight, isDark)).toBeGreaterThan(150);
    expect(countPixels(r, { x: 0, y: 0, width: A4.width, height: A4.height - 20 * MM }, (a, b, c) => a < 250 || b < 250 || c < 250)).toBe(0);
    expect(countPixels(r, topRight, (a, b, c) => Math.max(a, b, c) - Math.min(a, b, c) > 40)).toBe(0); // black, no colour
  });

  test('the copy stamp reads "SAO Y; agency; date; time" and a long agency wraps, right-aligned', async () => {
    // No hyphen: pdftotext drops a '-' that ends a line (de-hyphenation), which would make the check lie.
    const agency = 'Văn phòng Ủy ban nhân dân tỉnh Thừa Thiên Huế, Trung tâm Phục vụ hành chính công';
    let stamp: PlacedAppearance | undefined;
    const pdf = await stampPdf(await makeBasePdf([]), (alloc) => [(stamp = copyStampPreset({ kind: 'SAO Y', agency, signedAt, page: A4 }, alloc))]);
    const text = extractText(pdf).normalize('NFC').replace(/\s+/g, ' ').trim();
    expect(text).toBe(`SAO Y; ${agency}; 05/03/2026; 14:30:05 +07:00`);
    expect(stamp?.rect.width).toBeLessThanOrEqual(95 * MM + 0.01);
    expect(stamp?.rect.height).toBeGreaterThan(20); // two lines
    const lines = extractText(pdf).normalize('NFC').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    expect(lines.at(-1)).toMatch(/05\/03\/2026; 14:30:05 \+07:00$/); // date and time never split
  });

  test('số/ký hiệu goes after "Số:"; the date line hides a placeholder completely', async () => {
    const doc = await makeBasePdf([{ text: 'Số:', x: 95, y: 740 }, { text: '[NGÀY BAN HÀNH]', x: 380, y: 740 }]);
    const so = await findAnchor(doc, 'Số:');
    const day = await findAnchor(doc, '[ngày ban hành]');
    if (!so || !day) throw new Error('anchors');
    const build = (alloc: () => number) => {
      const after = issueNumberPreset({ numberText: '15/QĐ-UBND', dateText: '-', numberAnchor: so, dateAnchor: so, mode: 'after' }, alloc);
      const over = issueNumberPreset({ numberText: '-', dateText: 'Hà Nội, ngày 05 tháng 3 năm 2026', numberAnchor: day, dateAnchor: day, mode: 'over' }, alloc);
      return [after.number, over.date];
    };
    const pdf = await stampPdf(doc, build, 'stamp');
    const text = extractText(pdf).normalize('NFC');
    expect(text).toContain('Số: 15/QĐ-UBND');
    const [number, date] = build(() => 1);
    expect(number?.rect.x).toBeGreaterThan(so.x + so.width);
    expect(Math.abs((number?.rect.y ?? 0) - (so.baseline - 13 * 0.2375))).toBeLessThan(0.6); // same baseline as "Số:"
    const d = date?.rect;
    expect(d && d.x <= day.x && d.x + d.width >= day.x + day.width).toBe(true);
    // Pixels over the placeholder equal those of the same stamp on a blank page: nothing shows through.
    const alone = rasterise(await stampPdf(await makeBasePdf([{ text: 'Số:', x: 95, y: 740 }]), build, 'stamp'));
    const stamped = rasterise(pdf);
    let differing = 0;
    for (let i = 0; i < stamped.rgb.length; i++) if (Math.abs((stamped.rgb[i] ?? 0) - (alone.rgb[i] ?? 0)) > 8) differing++;
    expect(differing).toBe(0);
    expect(countPixels(stamped, day, isDark)).toBeGreaterThan(50);
  });

  test('the committed fixture PNGs are exactly what the generator draws', () => {
    expect(readFileSync(new URL('fixtures/signature-blue.png', import.meta.url))).toEqual(Buffer.from(makeSignaturePng()));
    expect(readFileSync(new URL('fixtures/seal-red-36mm.png', import.meta.url))).toEqual(Buffer.from(makeSealPng()));
  });

  test('a PNG without transparency is refused for the signer and the seal', () => {
    const opaque = encodePng({ width: 4, height: 4, type: 2, depth: 8, samples: () => [0, 0, 255] });
    for (const build of [
      () => signerPreset({ png: opaque, nameBox: { x: 0, y: 0, width: 10, height: 10 } }, () => 1),
      () => sealPreset({ png: opaque, signerRect: { x: 0, y: 0, width: 10, height: 10 } }, () => 1),
    ]) {
      expect(build).toThrowError(/nền trong suốt/);
      try { build(); } catch (error) { expect(isAppError(error, 'signing.image_not_transparent')).toBe(true); }
    }
  });
});
