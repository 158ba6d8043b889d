/**
 * Appearance builders: time per preset build (ours, warm caches and cache misses) next to the peer
 * (@cantoo/pdf-lib embedding the same font and drawing the same stamp text) and the physical limit
 * (copying the same number of output bytes). Run: npx node bench/appearance.bench.ts
 */
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { FONT_DIR } from '../src/domain/signing/appearance/appearance.font.ts';
import { attachmentStampPreset, copyStampPreset, issueNumberPreset, sealPreset, signerPreset } from '../src/domain/signing/appearance/appearance.presets.ts';
import { makeSealPng, makeSignaturePng } from '../src/domain/signing/appearance/appearance.test-png.ts';
import { A4 } from '../src/domain/signing/appearance/appearance.types.ts';
import type { PlacedAppearance } from '../src/domain/signing/appearance/appearance.types.ts';

let next = 1;
const alloc = () => next++;
const sig = makeSignaturePng();
const seal = makeSealPng();
const box = { x: 375, y: 317, width: 92, height: 15 };
const bytesOf = (aps: PlacedAppearance[]) => aps.reduce((n, a) => n + a.objects.reduce((m, o) => m + o.body.length, 0), 0);

function time(label: string, n: number, fn: (i: number) => PlacedAppearance[]): { label: string; ms: number; bytes: number } {
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) bytes = bytesOf(fn(i));
  return { label, ms: (performance.now() - t0) / n, bytes };
}

const t0 = performance.now();
attachmentStampPreset({ number: '15/QĐ-UBND', signedAt: new Date(), page: A4 }, alloc);
const cold = performance.now() - t0;

const rows = [
  time('attachment stamp (time varies)', 2000, (i) => [attachmentStampPreset({ number: `${i}/QĐ-UBND`, signedAt: new Date(1_772_000_000_000 + i * 1000), page: A4 }, alloc)]),
  time('copy stamp (new agency each: cache miss)', 200, (i) => [copyStampPreset({ kind: 'SAO Y', agency: `Văn phòng Ủy ban nhân dân tỉnh ${String.fromCharCode(0x1ea0 + (i % 90))}${i}`, signedAt: new Date(), page: A4 }, alloc)]),
  time('signer image + seal image', 2000, () => {
    const s = signerPreset({ png: sig, nameBox: box }, alloc);
    return [s, sealPreset({ png: seal, signerRect: s.rect }, alloc)];
  }),
  time('seal + info line', 2000, (i) => [sealPreset({ png: seal, signerRect: box, info: { agency: 'Ủy ban nhân dân tỉnh Thừa Thiên Huế', signedAt: new Date(1_772_000_000_000 + i * 1000) } }, alloc)]),
  time('số/ký hiệu + date line', 2000, (i) => {
    const r = issueNumberPreset({ numberText: `${i}/QĐ-UBND`, dateText: 'Hà Nội, ngày 05 tháng 3 năm 2026', numberAnchor: box, dateAnchor: box }, alloc);
    return [r.number, r.date];
  }),
];

// Peer: @cantoo/pdf-lib drawing the same stamp text with the same font (full font: its subsetter needs fontkit 2).
const fontBytes = readFileSync(new URL('LiberationSerif-Regular.ttf', FONT_DIR));
const peerN = 30;
const p0 = performance.now();
let peerBytes = 0;
for (let i = 0; i < peerN; i++) {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontBytes, { subset: false });
  doc.addPage([A4.width, A4.height]).drawText(`Số: ${i}/QĐ-UBND; 05/03/2026; 14:30:05 +07:00`, { x: 340, y: 810, size: 10, font, color: rgb(0, 0, 0) });
  peerBytes = (await doc.save({ useObjectStreams: false })).length;
}
const peerMs = (performance.now() - p0) / peerN;

// Physical limit: producing the same number of output bytes at memory-copy speed.
const limitBuf = new Uint8Array(rows[0]?.bytes ?? 0);
const l0 = performance.now();
for (let i = 0; i < 20000; i++) limitBuf.slice();
const limitMs = (performance.now() - l0) / 20000;

console.log(`cold first build (font parse + subset + deflate): ${cold.toFixed(1)} ms\n`);
console.log('| build | ms/build | builds/s | output bytes |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ours: ${r.label} | ${r.ms.toFixed(3)} | ${Math.round(1000 / r.ms)} | ${r.bytes} |`);
console.log(`| peer: @cantoo/pdf-lib page + same stamp text | ${peerMs.toFixed(3)} | ${Math.round(1000 / peerMs)} | ${peerBytes} |`);
console.log(`| limit: copy ${rows[0]?.bytes} bytes | ${limitMs.toFixed(4)} | ${Math.round(1000 / limitMs)} | ${rows[0]?.bytes} |`);
