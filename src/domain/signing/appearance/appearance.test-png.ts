/**
 * Test fixtures (tests only): a tiny PNG encoder (every colour type, 1–16 bit, all five row filters,
 * optional Adam7) and two drawn images: a blue signature scribble and a red round seal, both with alpha.
 */
import { crc32, deflateSync } from 'node:zlib';

export type PngSpec = {
  width: number;
  height: number;
  type: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** Sample values per pixel, row-major (channel count by type), at the given depth. */
  samples: (x: number, y: number) => number[];
  palette?: [number, number, number][];
  trns?: Uint8Array;
  pixelsPerMetre?: number;
  interlace?: boolean;
};

const CH: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function packRow(spec: PngSpec, xs: number[], y: number): Uint8Array {
  const ch = CH[spec.type] ?? 1;
  const out = new Uint8Array(Math.ceil((xs.length * ch * spec.depth) / 8));
  let bit = 0;
  for (const x of xs) {
    for (const v of spec.samples(x, y).slice(0, ch)) {
      if (spec.depth === 16) { out[bit >> 3] = v >> 8; out[(bit >> 3) + 1] = v & 0xff; } else if (spec.depth === 8) out[bit >> 3] = v;
      else out[bit >> 3] = (out[bit >> 3] ?? 0) | (v << (8 - spec.depth - (bit & 7)));
      bit += spec.depth;
    }
  }
  return out;
}

function filterRows(rows: Uint8Array[], bpp: number): Uint8Array[] {
  return rows.map((row, y) => {
    const filter = y % 5;
    const prev = y > 0 ? rows[y - 1] : undefined;
    const out = new Uint8Array(row.length + 1);
    out[0] = filter;
    for (let x = 0; x < row.length; x++) {
      const a = x >= bpp ? (row[x - bpp] ?? 0) : 0;
      const b = prev?.[x] ?? 0;
      const c = x >= bpp ? (prev?.[x - bpp] ?? 0) : 0;
      const p = a + b - c;
      const pae = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, pae][filter] ?? 0;
      out[x + 1] = ((row[x] ?? 0) - pred) & 0xff;
    }
    return out;
  });
}

/** Encodes a PNG from a spec (cycling through all five row filters). */
export function encodePng(spec: PngSpec): Uint8Array {
  const ch = CH[spec.type] ?? 1;
  const bpp = Math.max(1, (ch * spec.depth) >> 3);
  const passes = spec.interlace === true ? ADAM7 : [[0, 0, 1, 1] as const];
  const parts: Uint8Array[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const rows: Uint8Array[] = [];
    for (let y = y0; y < spec.height; y += dy) {
      const xs: number[] = [];
      for (let x = x0; x < spec.width; x += dx) xs.push(x);
      if (xs.length > 0) rows.push(packRow(spec, xs, y));
    }
    parts.push(...filterRows(rows, bpp));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr.set([spec.depth, spec.type, 0, 0, spec.interlace === true ? 1 : 0], 8);
  const out = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (spec.pixelsPerMetre !== undefined) {
    const phys = Buffer.alloc(9);
    phys.writeUInt32BE(spec.pixelsPerMetre, 0);
    phys.writeUInt32BE(spec.pixelsPerMetre, 4);
    phys[8] = 1;
    out.push(chunk('pHYs', phys));
  }
  if (spec.palette) out.push(chunk('PLTE', Uint8Array.from(spec.palette.flat())));
  if (spec.trns) out.push(chunk('tRNS', spec.trns));
  out.push(chunk('IDAT', deflateSync(Buffer.concat(parts))), chunk('IEND', new Uint8Array()));
  return new Uint8Array(Buffer.concat(out));
}

/** Anti-aliased coverage 0..1 of a pixel centre at distance `d` from a stroke of half-width `r`. */
function cover(d: number, r: number): number {
  return Math.max(0, Math.min(1, r + 0.5 - d));
}

function strokeAlpha(w: number, h: number, paths: [number, number][][], r: number): Float32Array {
  const a = new Float32Array(w * h);
  for (const path of paths) {
    for (let i = 0; i + 1 < path.length; i++) {
      const [x1, y1] = path[i] ?? [0, 0];
      const [x2, y2] = path[i + 1] ?? [0, 0];
      const steps = Math.ceil(Math.hypot(x2 - x1, y2 - y1));
      for (let s = 0; s <= steps; s++) {
        const cx = x1 + ((x2 - x1) * s) / Math.max(1, steps);
        const cy = y1 + ((y2 - y1) * s) / Math.max(1, steps);
        for (let y = Math.floor(cy - r - 1); y <= cy + r + 1; y++) {
          for (let x = Math.floor(cx - r - 1); x <= cx + r + 1; x++) {
            if (x < 0 || y < 0 || x >= w || y >= h) continue;
            a[y * w + x] = Math.max(a[y * w + x] ?? 0, cover(Math.hypot(x + 0.5 - cx, y + 0.5 - cy), r));
          }
        }
      }
    }
  }
  return a;
}

/** A blue (#1f3fbf) handwritten-looking signature, 480×200 px RGBA with a transparent background. */
export function makeSignaturePng(): Uint8Array {
  const w = 480;
  const h = 200;
  const curve = (f: (t: number) => [number, number], n = 240) => Array.from({ length: n + 1 }, (_, i) => f(i / n));
  const paths = [
    curve((t) => [40 + 330 * t, 120 - 55 * Math.sin(t * Math.PI * 5) * (1 - t * 0.4) - 20 * t]),
    curve((t) => [90 + 40 * Math.cos(t * Math.PI * 2), 90 + 45 * Math.sin(t * Math.PI * 2)]),
    curve((t) => [30 + 420 * t, 160 - 30 * t + 12 * Math.sin(t * 9)]),
  ];
  const a = strokeAlpha(w, h, paths, 3.2);
  return encodePng({ width: w, height: h, type: 6, depth: 8, samples: (x, y) => [31, 63, 191, Math.round((a[y * w + x] ?? 0) * 255)] });
}

/** A red (#d01c1f) round seal: two rings, a star and a dotted band; 400×400 px RGBA, pHYs set to a 36 mm diameter. */
export function makeSealPng(): Uint8Array {
  const n = 400;
  const c = n / 2;
  const pts = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? 60 : 24;
    const t = -Math.PI / 2 + (i * Math.PI) / 5;
    return [r * Math.cos(t), r * Math.sin(t)] as const;
  });
  const star = (x: number, y: number) => {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i] ?? [0, 0];
      const [xj, yj] = pts[j] ?? [0, 0];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside ? 1 : 0;
  };
  return encodePng({
    width: n, height: n, type: 6, depth: 8, pixelsPerMetre: Math.round(n / 0.036),
    samples: (x, y) => {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
      const ring = Math.max(cover(Math.abs(d - 188), 8), cover(Math.abs(d - 150), 4), cover(Math.abs(d - 118), 3));
      const theta = Math.atan2(y - c, x - c);
      const dots = d > 158 && d < 176 && Math.cos(theta * 36) > 0.2 ? 0.9 : 0;
      const alpha = Math.max(ring, dots, star(x + 0.5 - c, y + 0.5 - c));
      return [208, 28, 31, Math.round(alpha * 230)];
    },
  });
}
