import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { decodePng } from './appearance.png.ts';
import { encodePng, makeSealPng } from './appearance.test-png.ts';
import type { PngSpec } from './appearance.test-png.ts';

const W = 13;
const H = 11;
// Deterministic sample patterns at full depth.
const v = (x: number, y: number, c: number, max: number) => (x * 7 + y * 13 + c * 29) % (max + 1);

function spec(type: PngSpec['type'], depth: PngSpec['depth'], extra: Partial<PngSpec> = {}): PngSpec {
  const ch = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  const max = type === 3 ? 3 : (1 << depth) - 1;
  return { width: W, height: H, type, depth, samples: (x, y) => Array.from({ length: ch }, (_, c) => v(x, y, c, max)), ...extra };
}

const to8 = (value: number, depth: number) => (depth === 16 ? value >> 8 : depth === 8 ? value : Math.round((value * 255) / ((1 << depth) - 1)));

describe('decodePng', () => {
  for (const depth of [1, 2, 4, 8, 16] as const) {
    for (const interlace of [false, true]) {
      test(`greyscale ${depth}-bit${interlace ? ' interlaced' : ''} decodes to the exact 8-bit samples`, () => {
        const d = decodePng(encodePng(spec(0, depth, { interlace })));
        expect(d.channels).toBe(1);
        expect(d.alpha).toBeNull();
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(d.color[y * W + x]).toBe(to8(v(x, y, 0, (1 << depth) - 1), depth));
      });
    }
  }

  for (const [type, depth] of [[2, 8], [2, 16], [4, 8], [4, 16], [6, 8], [6, 16]] as const) {
    test(`colour type ${type}, ${depth}-bit (also interlaced) keeps colour and alpha`, () => {
      for (const interlace of [false, true]) {
        const d = decodePng(encodePng(spec(type, depth, { interlace })));
        const max = (1 << depth) - 1;
        const colourCh = type === 4 ? 1 : 3;
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            for (let c = 0; c < colourCh; c++) expect(d.color[(y * W + x) * colourCh + c]).toBe(to8(v(x, y, c, max), depth));
            if (type !== 2) expect(d.alpha?.[y * W + x]).toBe(to8(v(x, y, colourCh, max), depth));
          }
        }
      }
    });
  }

  test('palette images with tRNS expand to RGB with per-entry alpha', () => {
    const palette: [number, number, number][] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]];
    const d = decodePng(encodePng(spec(3, 2, { palette, trns: Uint8Array.from([0, 128]) })));
    expect(d.channels).toBe(3);
    const idx = v(4, 5, 0, 3);
    expect([...d.color.subarray((5 * W + 4) * 3, (5 * W + 4) * 3 + 3)]).toEqual(palette[idx]);
    expect(d.alpha?.[5 * W + 4]).toBe(idx === 0 ? 0 : idx === 1 ? 128 : 255);
  });

  test('an RGB colour key (tRNS) becomes transparent', () => {
    const d = decodePng(encodePng({ width: 2, height: 1, type: 2, depth: 8, samples: (x) => (x === 0 ? [255, 255, 255] : [1, 2, 3]), trns: Uint8Array.from([0, 255, 0, 255, 0, 255]) }));
    expect([...(d.alpha ?? [])]).toEqual([0, 255]);
  });

  test('pHYs gives the physical size (the seal fixture is 36 mm wide)', () => {
    const d = decodePng(makeSealPng());
    expect(d.pixelsPerMetre).not.toBeNull();
    expect((d.width / (d.pixelsPerMetre?.x ?? 1)) * 1000).toBeCloseTo(36, 1);
  });

  const broken: [string, (png: Uint8Array) => Uint8Array][] = [
    ['a JPEG/garbage file', () => new TextEncoder().encode('\xff\xd8\xff not a png at all, clearly not one')],
    ['a truncated file', (png) => png.subarray(0, png.length - 30)],
    ['a corrupted CRC', (png) => { const c = png.slice(); c[20] = (c[20] ?? 0) ^ 0xff; return c; }],
  ];
  for (const [name, mangle] of broken) {
    test(`${name} is refused with signing.image_invalid and a Vietnamese message`, () => {
      const png = encodePng(spec(6, 8));
      try {
        decodePng(mangle(png));
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error, 'signing.image_invalid')).toBe(true);
        expect((error as Error).message).toMatch(/^Ảnh PNG không hợp lệ: /);
      }
    });
  }
});
