import { crc32, inflateSync } from 'node:zlib';
import { imageInvalid } from './appearance.errors.ts';

/** A decoded PNG: 8-bit colour samples (grey or RGB) and 8-bit alpha (null when fully opaque). */
export type DecodedPng = {
  width: number;
  height: number;
  channels: 1 | 3;
  color: Uint8Array;
  alpha: Uint8Array | null;
  /** Pixels per metre from pHYs (unit = metre), if the file states its physical size. */
  pixelsPerMetre: { x: number; y: number } | null;
};

type Header = { width: number; height: number; depth: number; type: number; interlace: number };
type Chunks = { header: Header; palette: Uint8Array | null; trns: Uint8Array | null; idat: Uint8Array; ppm: DecodedPng['pixelsPerMetre'] };

const SIG = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const MAX_PIXELS = 20_000_000;
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

function bad(reason: string): Error {
  return imageInvalid({ reason }, { message: `Ảnh PNG không hợp lệ: ${reason}.` });
}

function readChunks(png: Uint8Array): Chunks {
  if (png.length < 33 || SIG.some((b, i) => png[i] !== b)) throw bad('không phải tệp PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let pos = 8;
  let header: Header | null = null;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  let ppm: DecodedPng['pixelsPerMetre'] = null;
  const idat: Uint8Array[] = [];
  while (pos + 12 <= png.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    if (pos + 12 + len > png.length) throw bad('tệp bị cắt cụt');
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (crc32(png.subarray(pos + 4, pos + 8 + len)) !== view.getUint32(pos + 8 + len)) throw bad(`khối ${type} sai mã CRC`);
    if (type === 'IHDR') {
      header = { width: view.getUint32(pos + 8), height: view.getUint32(pos + 12), depth: data[8] ?? 0, type: data[9] ?? 0, interlace: data[12] ?? 0 };
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'pHYs' && data[8] === 1) ppm = { x: view.getUint32(pos + 8), y: view.getUint32(pos + 12) };
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!header) throw bad('thiếu khối IHDR');
  if (idat.length === 0) throw bad('thiếu dữ liệu ảnh (IDAT)');
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  idat.reduce((o, c) => (joined.set(c, o), o + c.length), 0);
  return { header, palette, trns, idat: joined, ppm };
}

function checkHeader(h: Header, palette: Uint8Array | null): void {
  if (!(DEPTHS[h.type] ?? []).includes(h.depth)) throw bad(`kiểu màu ${h.type} với độ sâu ${h.depth} bit không hợp lệ`);
  if (h.width < 1 || h.height < 1) throw bad('kích thước ảnh bằng 0');
  if (h.width * h.height > MAX_PIXELS) throw bad(`ảnh quá lớn (${h.width}×${h.height} điểm ảnh, tối đa 20 triệu)`);
  if (h.interlace > 1) throw bad('phương pháp xen kẽ không xác định');
  if (h.type === 3 && !palette) throw bad('ảnh bảng màu thiếu khối PLTE');
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses PNG row filters in place for one (sub-)image; returns the offset after it. */
function unfilter(data: Uint8Array, start: number, stride: number, rows: number, bpp: number): number {
  let pos = start;
  for (let y = 0; y < rows; y++) {
    const filter = data[pos];
    const row = pos + 1;
    const prev = row - stride - 1;
    if (row + stride > data.length) throw bad('dữ liệu ảnh bị thiếu');
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (data[row + x - bpp] ?? 0) : 0;
      const b = y > 0 ? (data[prev + x] ?? 0) : 0;
      const c = x >= bpp && y > 0 ? (data[prev + x - bpp] ?? 0) : 0;
      const v = data[row + x] ?? 0;
      const pred = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : -1;
      if (pred < 0) throw bad(`bộ lọc dòng ${String(filter)} không hợp lệ`);
      data[row + x] = (v + pred) & 0xff;
    }
    pos += stride + 1;
  }
  return pos;
}

function sample(data: Uint8Array, row: number, index: number, depth: number): number {
  if (depth === 8) return data[row + index] ?? 0;
  if (depth === 16) return ((data[row + index * 2] ?? 0) << 8) | (data[row + index * 2 + 1] ?? 0);
  const bit = index * depth;
  const byte = data[row + (bit >> 3)] ?? 0;
  return (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

type Out = { color: Uint8Array; alpha: Uint8Array; channels: 1 | 3 };

function writePixel(c: Chunks, out: Out, raw: number[], at: number): void {
  const { depth, type } = c.header;
  const max = (1 << depth) - 1;
  const to8 = (v: number) => (depth === 16 ? v >> 8 : depth === 8 ? v : Math.round((v * 255) / max));
  const key = (i: number) => (c.trns ? ((c.trns[i * 2] ?? 0) << 8) | (c.trns[i * 2 + 1] ?? 0) : -1);
  if (type === 3) {
    const idx = raw[0] ?? 0;
    const pal = c.palette ?? new Uint8Array();
    if (idx * 3 + 2 >= pal.length) throw bad('chỉ số bảng màu vượt quá khối PLTE');
    out.color.set([pal[idx * 3] ?? 0, pal[idx * 3 + 1] ?? 0, pal[idx * 3 + 2] ?? 0], at * 3);
    out.alpha[at] = c.trns && idx < c.trns.length ? (c.trns[idx] ?? 255) : 255;
    return;
  }
  if (type === 0 || type === 4) {
    out.color[at] = to8(raw[0] ?? 0);
    out.alpha[at] = type === 4 ? to8(raw[1] ?? 0) : raw[0] === key(0) ? 0 : 255;
    return;
  }
  out.color.set([to8(raw[0] ?? 0), to8(raw[1] ?? 0), to8(raw[2] ?? 0)], at * 3);
  const isKeyed = c.trns !== null && raw[0] === key(0) && raw[1] === key(1) && raw[2] === key(2);
  out.alpha[at] = type === 6 ? to8(raw[3] ?? 0) : isKeyed ? 0 : 255;
}

/**
 * Decodes any valid PNG (grey, RGB, palette, with alpha or tRNS; 1–16 bit; Adam7 interlaced) into
 * 8-bit samples. Throws signing.image_invalid with the reason in Vietnamese.
 */
export function decodePng(png: Uint8Array): DecodedPng {
  const c = readChunks(png);
  const h = c.header;
  checkHeader(h, c.palette);
  let data: Uint8Array;
  try {
    data = new Uint8Array(inflateSync(c.idat));
  } catch {
    throw bad('không giải nén được dữ liệu ảnh');
  }
  const ch = CHANNELS[h.type] ?? 1;
  const channels: 1 | 3 = h.type === 0 || h.type === 4 ? 1 : 3;
  const out: Out = { color: new Uint8Array(h.width * h.height * channels), alpha: new Uint8Array(h.width * h.height), channels };
  const bpp = Math.max(1, (ch * h.depth) >> 3);
  const passes = h.interlace === 1 ? ADAM7 : [[0, 0, 1, 1] as const];
  let pos = 0;
  const raw: number[] = new Array<number>(ch).fill(0);
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((h.width - x0) / dx);
    const ph = Math.ceil((h.height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * ch * h.depth) / 8);
    const start = pos;
    pos = unfilter(data, start, stride, ph, bpp);
    for (let y = 0; y < ph; y++) {
      const row = start + y * (stride + 1) + 1;
      for (let x = 0; x < pw; x++) {
        for (let s = 0; s < ch; s++) raw[s] = sample(data, row, x * ch + s, h.depth);
        writePixel(c, out, raw, (y0 + y * dy) * h.width + x0 + x * dx);
      }
    }
  }
  const isOpaque = out.alpha.every((a) => a === 255);
  return { width: h.width, height: h.height, channels, color: out.color, alpha: isOpaque ? null : out.alpha, pixelsPerMetre: c.ppm };
}
