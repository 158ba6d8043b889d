import { appearanceInvalid } from './appearance.errors.ts';
import { embedFont, loadFont, textWidth } from './appearance.font.ts';
import type { FontFace, FontFamily, FontStyle, LoadedFont } from './appearance.font.ts';
import { fillColorOp, formXObject, num, pdfName } from './appearance.pdf.ts';
import type { Allocator, AppearanceResult, Color, PdfObject } from './appearance.types.ts';

/** One line of text; a plain string uses the options' defaults. */
export type TextLine = string | { text: string; bold?: boolean; italic?: boolean; size?: number };

export type TextAppearanceOptions = {
  lines: TextLine[];
  /** Preferred size in points; shrunk (down to `minFontSize`) until the text fits `width`×`height`. */
  fontSize: number;
  font?: FontFamily;
  color?: Color;
  /** Box size in points; omitted sides grow to fit the text (no wrapping without a width). */
  width?: number;
  height?: number;
  align?: 'left' | 'center' | 'right';
  valign?: 'top' | 'middle' | 'bottom';
  bold?: boolean;
  italic?: boolean;
  padding?: number;
  minFontSize?: number;
  /** Line height as a multiple of the font size (default 1.15, Word's single spacing for Times). */
  lineHeight?: number;
  /** Paints the whole box first, e.g. white to cover a placeholder. */
  background?: Color;
};

type PlacedLine = { text: string; face: FontFace; size: number; x: number; baseline: number };
export type TextLayout = { width: number; height: number; lines: PlacedLine[] };

type Wrapped = { text: string; face: FontFace; size: number; width: number };

const SLANT = 0.21; // tan(12°): synthetic oblique when the family ships no italic file

function faceOf(line: TextLine, opts: TextAppearanceOptions): FontFace {
  const bold = typeof line === 'string' ? opts.bold : (line.bold ?? opts.bold);
  const italic = typeof line === 'string' ? opts.italic : (line.italic ?? opts.italic);
  const style: FontStyle = bold === true ? 'bold' : italic === true ? 'italic' : 'regular';
  return { family: opts.font ?? 'serif', style };
}

/** Words to wrap on; a time-zone offset ("+07:00") stays with the time before it. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(' ')) {
    const last = out.length - 1;
    if (last >= 0 && /^[+-]\d{2}:\d{2}$/.test(w)) out[last] = `${out[last] ?? ''} ${w}`;
    else out.push(w);
  }
  return out;
}

function wrapLine(text: string, loaded: LoadedFont, size: number, maxWidth: number | undefined): string[] {
  // Collapse breaking whitespace only: a no-break space (U+00A0) glues words and is drawn as a space.
  const clean = text.normalize('NFC').replace(/[ \t\r\n\f\v\u2028\u2029]+/g, ' ').trim();
  return breakLine(clean, loaded, size, maxWidth).map((l) => l.replace(/\u00a0/g, ' '));
}

function breakLine(clean: string, loaded: LoadedFont, size: number, maxWidth: number | undefined): string[] {
  if (maxWidth === undefined || textWidth(loaded, clean, size) <= maxWidth) return [clean];
  const out: string[] = [];
  let current = '';
  for (const word of words(clean)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (textWidth(loaded, candidate, size) <= maxWidth) { current = candidate; continue; }
    if (current !== '') out.push(current);
    current = word;
    while (textWidth(loaded, current, size) > maxWidth && [...current].length > 1) {
      const chars = [...current];
      let n = chars.length - 1;
      while (n > 1 && textWidth(loaded, chars.slice(0, n).join(''), size) > maxWidth) n--;
      out.push(chars.slice(0, n).join(''));
      current = chars.slice(n).join('');
    }
  }
  if (current !== '') out.push(current);
  return out;
}

function wrapAll(opts: TextAppearanceOptions, scale: number, maxWidth: number | undefined): Wrapped[] {
  return opts.lines.flatMap((line) => {
    const face = faceOf(line, opts);
    const loaded = loadFont(face);
    const size = (typeof line === 'string' ? opts.fontSize : (line.size ?? opts.fontSize)) * scale;
    const text = typeof line === 'string' ? line : line.text;
    return wrapLine(text, loaded, size, maxWidth).map((t) => ({ text: t, face, size, width: textWidth(loaded, t, size) }));
  });
}

/**
 * Lays the lines out in a box: wraps to the width, shrinks the font until the block fits the height.
 * Throws signing.appearance_invalid on an empty or non-positive size.
 */
export function layoutText(opts: TextAppearanceOptions): TextLayout {
  const pad = opts.padding ?? 2;
  const lh = opts.lineHeight ?? 1.15;
  if (!(opts.fontSize > 0) || (opts.width !== undefined && opts.width <= 2 * pad) || (opts.height !== undefined && opts.height <= 2 * pad)) {
    throw appearanceInvalid({ fontSize: opts.fontSize, width: opts.width, height: opts.height });
  }
  const maxW = opts.width === undefined ? undefined : opts.width - 2 * pad;
  const minScale = Math.min(1, (opts.minFontSize ?? 5) / opts.fontSize);
  let scale = 1;
  let wrapped = wrapAll(opts, scale, maxW);
  const blockHeight = (ls: Wrapped[]) => ls.reduce((h, l) => h + l.size * lh, 0);
  while (opts.height !== undefined && blockHeight(wrapped) > opts.height - 2 * pad && scale > minScale) {
    scale = Math.max(minScale, scale - 0.5 / opts.fontSize);
    wrapped = wrapAll(opts, scale, maxW);
  }
  const width = opts.width ?? Math.max(1, ...wrapped.map((l) => l.width)) + 2 * pad;
  const height = opts.height ?? blockHeight(wrapped) + 2 * pad;
  const free = height - 2 * pad - blockHeight(wrapped);
  const valign = opts.valign ?? 'middle';
  let top = height - pad - (valign === 'top' ? 0 : valign === 'bottom' ? free : free / 2);
  const lines: PlacedLine[] = wrapped.map((l) => {
    const { font, upm } = loadFont(l.face);
    const asc = font.ascent / upm;
    const desc = -font.descent / upm;
    const baseline = top - l.size * ((lh - (asc + desc)) / 2 + asc);
    top -= l.size * lh;
    const align = opts.align ?? 'left';
    const x = align === 'left' ? pad : align === 'right' ? width - pad - l.width : (width - l.width) / 2;
    return { text: l.text, face: l.face, size: l.size, x, baseline };
  });
  return { width, height, lines };
}

export type RenderedText = { ops: string; fonts: Record<string, number>; objects: PdfObject[] };

/** Content-stream operators and embedded subset fonts for a layout, shifted by (dx, dy) inside a form. */
export function renderText(layout: TextLayout, color: Color, alloc: Allocator, dx = 0, dy = 0, prefix = 'F'): RenderedText {
  const byFace = new Map<string, { face: FontFace; text: string }>();
  for (const l of layout.lines) {
    const key = `${l.face.family}-${l.face.style}`;
    const entry = byFace.get(key) ?? { face: l.face, text: '' };
    entry.text += l.text;
    byFace.set(key, entry);
  }
  const fonts: Record<string, number> = {};
  const objects: PdfObject[] = [];
  const encoders = new Map<string, { name: string; encode: (s: string) => string; isSynthItalic: boolean }>();
  let i = 1;
  for (const [key, { face, text }] of byFace) {
    const embedded = embedFont(loadFont(face), text, alloc);
    const name = `${prefix}${i++}`;
    fonts[name] = embedded.ref;
    objects.push(...embedded.objects);
    encoders.set(key, { name, encode: embedded.encode, isSynthItalic: embedded.loaded.isSynthItalic && face.style === 'italic' });
  }
  const ops = [`q ${fillColorOp(color)} BT`];
  for (const l of layout.lines) {
    const enc = encoders.get(`${l.face.family}-${l.face.style}`);
    if (!enc || l.text === '') continue;
    const skew = enc.isSynthItalic ? SLANT : 0;
    ops.push(`${pdfName(enc.name)} ${num(l.size)} Tf 1 0 ${num(skew)} 1 ${num(l.x + dx)} ${num(l.baseline + dy)} Tm ${enc.encode(l.text)} Tj`);
  }
  ops.push('ET Q');
  return { ops: ops.join('\n'), fonts, objects };
}

/** The `/Font << … >>` entry text for a resources dict. */
export function fontResources(fonts: Record<string, number>): string {
  const entries = Object.entries(fonts).map(([name, ref]) => `${pdfName(name)} ${ref} 0 R`);
  return entries.length === 0 ? '' : `/Font << ${entries.join(' ')} >>`;
}

/**
 * Builds a Form XObject showing Vietnamese text lines in an embedded subset font (Liberation Serif /
 * Sans, Times New Roman / Arial metrics), wrapped and shrunk to fit the box.
 * Throws signing.appearance_invalid, signing.font_missing_glyph.
 */
export function buildTextAppearance(opts: TextAppearanceOptions, alloc: Allocator): AppearanceResult {
  const layout = layoutText(opts);
  const rendered = renderText(layout, opts.color ?? '#000000', alloc);
  const bg = opts.background === undefined ? '' : `q ${fillColorOp(opts.background)} 0 0 ${num(layout.width)} ${num(layout.height)} re f Q\n`;
  const form = alloc();
  const resources = `<< ${fontResources(rendered.fonts)} /ProcSet [/PDF /Text] >>`;
  const objects = [formXObject(form, layout.width, layout.height, resources, bg + rendered.ops), ...rendered.objects];
  return { objects, xobject: form, width: layout.width, height: layout.height };
}
