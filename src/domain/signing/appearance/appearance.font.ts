import fontkit from '@pdf-lib/fontkit';
import type { Font } from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fontMissingGlyph } from './appearance.errors.ts';
import { dictObject, streamObject } from './appearance.pdf.ts';
import type { Allocator, PdfObject } from './appearance.types.ts';
import { encodeSubset } from './appearance.subset.ts';

/** Font families shipped in assets/fonts (Liberation 2.1.5, SIL OFL 1.1, metric-compatible with Times New Roman / Arial). */
export type FontFamily = 'serif' | 'sans';
export type FontStyle = 'regular' | 'bold' | 'italic';
export type FontFace = { family: FontFamily; style: FontStyle };

const FILES: Record<FontFamily, Partial<Record<FontStyle, string>>> = {
  serif: { regular: 'LiberationSerif-Regular.ttf', bold: 'LiberationSerif-Bold.ttf', italic: 'LiberationSerif-Italic.ttf' },
  sans: { regular: 'LiberationSans-Regular.ttf', bold: 'LiberationSans-Bold.ttf' },
};

/** Characters always put in a subset, so stamps that differ only in digits share one cached subset. */
const BASE_CHARS = '0123456789 :;/+-,.()';
const SUBSET_CACHE_LIMIT = 256;

export type LoadedFont = { face: FontFace; font: Font; upm: number; isSynthItalic: boolean };

const fontCache = new Map<string, LoadedFont>();

/** Where the shipped font files live (repo root /assets/fonts). */
export const FONT_DIR = new URL('../../../../assets/fonts/', import.meta.url);

/** Parses (once per process) the font for a face; sans italic is drawn as a slanted regular. */
export function loadFont(face: FontFace): LoadedFont {
  const key = `${face.family}-${face.style}`;
  const hit = fontCache.get(key);
  if (hit) return hit;
  const file = FILES[face.family][face.style];
  const isSynthItalic = file === undefined;
  const bytes = readFileSync(new URL(file ?? FILES[face.family].regular ?? '', FONT_DIR));
  const font = fontkit.create(bytes);
  const loaded: LoadedFont = { face, font, upm: font.unitsPerEm, isSynthItalic };
  fontCache.set(key, loaded);
  return loaded;
}

/** Advance width of a string in points (NFC, one glyph per code point, no kerning: matches what we draw). */
export function textWidth(loaded: LoadedFont, text: string, size: number): number {
  let units = 0;
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    units += loaded.font.glyphForCodePoint(cp).advanceWidth;
  }
  return (units * size) / loaded.upm;
}

/** Throws signing.font_missing_glyph listing the characters the font cannot draw. */
export function assertDrawable(loaded: LoadedFont, text: string): void {
  const missing = [...new Set(text.normalize('NFC'))].filter(
    (ch) => !/\s/.test(ch) && !loaded.font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0),
  );
  if (missing.length > 0) {
    throw fontMissingGlyph({ missing }, {
      message: `Phông chữ không hiển thị được các ký tự: ${missing.join(' ')} — hãy bỏ hoặc thay các ký tự này.`,
    });
  }
}

type SubsetData = {
  tag: string;
  gidMap: Map<number, number>;
  widthsW: string;
  fontFile: Uint8Array;
  fontFileLength: number;
  toUnicode: Uint8Array;
};

const subsetCache = new Map<string, SubsetData>();

function subsetFor(loaded: LoadedFont, chars: string[]): SubsetData {
  const key = `${loaded.face.family}-${loaded.face.style}|${chars.join('')}`;
  const hit = subsetCache.get(key);
  if (hit) return hit;
  const data = makeSubset(loaded, chars);
  if (subsetCache.size >= SUBSET_CACHE_LIMIT) {
    const oldest = subsetCache.keys().next().value;
    if (oldest !== undefined) subsetCache.delete(oldest);
  }
  subsetCache.set(key, data);
  return data;
}

function makeSubset(loaded: LoadedFont, chars: string[]): SubsetData {
  const { font, upm } = loaded;
  const subset = font.createSubset();
  const gidMap = new Map<number, number>();
  const unicodeOf = new Map<number, number>();
  const widths: number[] = [Math.round((font.getGlyph(0).advanceWidth * 1000) / upm)];
  for (const ch of chars) {
    const cp = ch.codePointAt(0) ?? 0;
    const glyph = font.glyphForCodePoint(cp);
    if (gidMap.has(glyph.id)) continue;
    const newGid = subset.includeGlyph(glyph);
    gidMap.set(glyph.id, newGid);
    unicodeOf.set(newGid, cp);
    widths[newGid] = Math.round((glyph.advanceWidth * 1000) / upm);
  }
  const raw = encodeSubset(subset);
  const tag = createHash('sha256').update(chars.join('')).update(loaded.face.style).digest()
    .subarray(0, 6).reduce((s, b) => s + String.fromCharCode(65 + (b % 26)), '');
  const filled = Array.from({ length: widths.length }, (_, i) => widths[i] ?? 0);
  return {
    tag,
    gidMap,
    widthsW: `[0 [${filled.join(' ')}]]`,
    fontFile: deflateSync(raw),
    fontFileLength: raw.length,
    toUnicode: deflateSync(new TextEncoder().encode(toUnicodeCMap(unicodeOf))),
  };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(cp: number): string {
  const s = String.fromCodePoint(cp);
  let out = '';
  for (let i = 0; i < s.length; i++) out += hex4(s.charCodeAt(i));
  return out;
}

function toUnicodeCMap(unicodeOf: Map<number, number>): string {
  const entries = [...unicodeOf.entries()].sort((a, b) => a[0] - b[0]);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([g, cp]) => `<${hex4(g)}> <${utf16Hex(cp)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange',
    ...blocks, 'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end',
  ].join('\n');
}

/** An embedded subset font ready to be referenced from a form's /Resources and to encode strings. */
export type EmbeddedFont = { objects: PdfObject[]; ref: number; encode: (text: string) => string; loaded: LoadedFont };

/**
 * Embeds the subset of `loaded` covering `text` (plus digits and common punctuation) as a Type0 /
 * CIDFontType2 font with Identity-H, FontFile2, /W widths and a /ToUnicode CMap.
 * Throws signing.font_missing_glyph when a character has no glyph.
 */
export function embedFont(loaded: LoadedFont, text: string, alloc: Allocator): EmbeddedFont {
  assertDrawable(loaded, text);
  const chars = [...new Set([...BASE_CHARS, ...text.normalize('NFC')])]
    .filter((ch) => ch === ' ' || !/\s/.test(ch)).sort();
  const data = subsetFor(loaded, chars);
  const [type0, cid, desc, file, toUni] = [alloc(), alloc(), alloc(), alloc(), alloc()];
  const name = `${data.tag}+${(loaded.font.postscriptName ?? 'LiberationSerif').replace(/[^A-Za-z0-9-]/g, '')}`;
  const objects = [
    dictObject(type0, `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUni} 0 R >>`),
    dictObject(cid, `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${desc} 0 R /CIDToGIDMap /Identity /DW 1000 /W ${data.widthsW} >>`),
    dictObject(desc, descriptor(loaded, name, file)),
    streamObject(file, `<< /Length1 ${data.fontFileLength} >>`, data.fontFile, { alreadyDeflated: true }),
    streamObject(toUni, '<< >>', data.toUnicode, { alreadyDeflated: true }),
  ];
  const encode = (s: string): string => {
    let out = '';
    for (const ch of s.normalize('NFC')) {
      const gid = loaded.font.glyphForCodePoint(ch.codePointAt(0) ?? 0).id;
      out += hex4(data.gidMap.get(gid) ?? 0);
    }
    return `<${out}>`;
  };
  return { objects, ref: type0, encode, loaded };
}

function descriptor(loaded: LoadedFont, name: string, file: number): string {
  const { font, upm, face } = loaded;
  const k = 1000 / upm;
  const flags = (face.family === 'serif' ? 2 : 0) + 32 + (face.style === 'italic' ? 64 : 0);
  const b = font.bbox;
  const bbox = [b.minX, b.minY, b.maxX, b.maxY].map((v) => Math.round(v * k)).join(' ');
  const italicAngle = face.style === 'italic' ? (loaded.isSynthItalic ? -12 : Math.round(font.italicAngle)) : 0;
  return `<< /Type /FontDescriptor /FontName /${name} /Flags ${flags} /FontBBox [${bbox}] /ItalicAngle ${italicAngle} /Ascent ${Math.round(font.ascent * k)} /Descent ${Math.round(font.descent * k)} /CapHeight ${Math.round(font.capHeight * k)} /StemV ${face.style === 'bold' ? 140 : 80} /FontFile2 ${file} 0 R >>`;
}
