/**
 * Test harness (tests only): appends appearance objects into a real one-page PDF made by
 * @cantoo/pdf-lib, as annotations whose /AP /N is the built Form XObject, then renders it with poppler.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFInvalidObject, PDFName, PDFRef, rgb } from '@cantoo/pdf-lib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { FONT_DIR } from './appearance.font.ts';
import type { Box, PlacedAppearance } from './appearance.types.ts';

export type BodyText = { text: string; x: number; y: number; size?: number };

/** Makes an A4 PDF with body text (Liberation Serif via pdf-lib), optionally a second page. */
export async function makeBasePdf(texts: BodyText[], pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // subset:false: @cantoo/pdf-lib calls fontkit v2's sync encode(), which @pdf-lib/fontkit 1.x subsets lack.
  const font = await doc.embedFont(readFileSync(new URL('LiberationSerif-Regular.ttf', FONT_DIR)), { subset: false });
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    if (i > 0) continue;
    for (const t of texts) page.drawText(t.text, { x: t.x, y: t.y, size: t.size ?? 13, font, color: rgb(0, 0, 0) });
  }
  return doc.save({ useObjectStreams: false });
}

/** Adds each placed appearance as a /Widget (signature field) or /Stamp annotation on page 1. */
export async function stampPdf(base: Uint8Array, build: (alloc: () => number) => PlacedAppearance[], kind: 'widget' | 'stamp' = 'widget'): Promise<Uint8Array> {
  const doc = await PDFDocument.load(base);
  const ctx = doc.context;
  const alloc = () => ctx.nextRef().objectNumber;
  const placed = build(alloc);
  const page = doc.getPage(0);
  const annots = [];
  let n = 0;
  for (const p of placed) {
    for (const o of p.objects) ctx.assign(PDFRef.of(o.num), PDFInvalidObject.of(o.body));
    const r = p.rect;
    const dict = kind === 'widget'
      ? ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: `Sig${++n}`, F: 4, Rect: [r.x, r.y, r.x + r.width, r.y + r.height], P: page.ref, AP: { N: PDFRef.of(p.xobject) } })
      : ctx.obj({ Type: 'Annot', Subtype: 'Stamp', F: 4, Rect: [r.x, r.y, r.x + r.width, r.y + r.height], P: page.ref, AP: { N: PDFRef.of(p.xobject) } });
    annots.push(ctx.register(dict));
  }
  page.node.set(PDFName.of('Annots'), ctx.obj(annots));
  if (kind === 'widget') doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: annots, SigFlags: 3 }));
  return doc.save({ useObjectStreams: false });
}

export type Raster = { width: number; height: number; rgb: Uint8Array; file: string };

/** Renders page 1 with `pdftoppm -r dpi -png` and decodes the 8-bit RGB PNG it writes. */
export function rasterise(pdf: Uint8Array, dpi = 100, name = 'page'): Raster {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-ap-'));
  const input = join(dir, `${name}.pdf`);
  writeFileSync(input, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', input, join(dir, name)]);
  const file = join(dir, `${name}.png`);
  return { ...decodeRgbPng(readFileSync(file)), file };
}

/** Text of page 1 by `pdftotext -layout`. */
export function extractText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-ap-'));
  const input = join(dir, 'x.pdf');
  writeFileSync(input, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', input, '-'], { encoding: 'utf8' });
}

function decodeRgbPng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  let pos = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    if (type === 'IHDR') { width = png.readUInt32BE(pos + 8); height = png.readUInt32BE(pos + 12); }
    if (type === 'IDAT') idat.push(png.subarray(pos + 8, pos + 8 + len));
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= 3 ? (out[y * stride + x - 3] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 3 && y > 0 ? (out[(y - 1) * stride + x - 3] ?? 0) : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, pr][filter] ?? 0;
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, rgb: out };
}

/** Counts pixels in a PDF-space box (points) that satisfy `test(r,g,b)`, on a raster of an A4 page. */
export function countPixels(r: Raster, box: Box, test: (red: number, green: number, blue: number) => boolean, pageHeight = 841.89): number {
  const k = r.width / 595.28;
  const x0 = Math.max(0, Math.floor(box.x * k));
  const x1 = Math.min(r.width, Math.ceil((box.x + box.width) * k));
  const y0 = Math.max(0, Math.floor((pageHeight - box.y - box.height) * k));
  const y1 = Math.min(r.height, Math.ceil((pageHeight - box.y) * k));
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * r.width + x) * 3;
      if (test(r.rgb[i] ?? 0, r.rgb[i + 1] ?? 0, r.rgb[i + 2] ?? 0)) count++;
    }
  }
  return count;
}
