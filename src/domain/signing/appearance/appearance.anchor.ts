import { anchorPdfInvalid } from './appearance.errors.ts';
import type { AnchorBox } from './appearance.presets.ts';
import { pdfEncrypted, pdfPasswordWrong } from '../signing.errors.ts';

/** A text match on a page, in PDF user space (points, origin bottom-left of the page's coordinate system). */
export type FoundAnchor = AnchorBox & { pageIndex: number; baseline: number; fontSize: number };
/** What follows a match on its line (with `restOfLine`): the text, trimmed, and where it ends. */
export type RestOfLine = { text: string; right: number };

export type FindAnchorOptions = {
  /** Only this page (0-based); default: every page. */
  pageIndex?: number;
  /** Which match to return when there are several; signature blocks are usually the 'last'. Default 'first'. */
  occurrence?: 'first' | 'last';
  /** User or owner password of an encrypted PDF. */
  password?: string;
  /** Also return the text printed after the match on the same line ("Số: /UBND-VP" → "/UBND-VP"). */
  restOfLine?: boolean;
};

type Item = { str: string; transform: number[]; width: number; height: number; hasEOL?: boolean };
/** One grapheme of page text, NFC and lower-cased, with the item and character range it came from. */
type Glyph = { key: string; item: number; start: number; end: number };

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** Graphemes without whitespace, NFC + lower case, so "Nguyễn  Văn\\nA" (any spacing, split items, decomposed marks) matches. */
function graphemes(text: string): { key: string; index: number; length: number }[] {
  const out: { key: string; index: number; length: number }[] = [];
  for (const s of segmenter.segment(text)) {
    if (/^\s+$/u.test(s.segment)) continue;
    out.push({ key: s.segment.normalize('NFC').toLocaleLowerCase('vi'), index: s.index, length: s.segment.length });
  }
  return out;
}

function pageGlyphs(items: Item[]): Glyph[] {
  // Graphemes can straddle items (a base letter and its combining mark in two runs), so segment the
  // joined text and map each grapheme back to the item holding its first code unit.
  let joined = '';
  const owner: number[] = [];
  const offset: number[] = [];
  items.forEach((it, i) => {
    for (let k = 0; k < it.str.length; k++) { owner.push(i); offset.push(k); }
    joined += it.str;
  });
  return graphemes(joined).map((g) => ({
    key: g.key, item: owner[g.index] ?? 0, start: offset[g.index] ?? 0, end: (offset[g.index] ?? 0) + g.length,
  }));
}

function boxOf(items: Item[], match: Glyph[]): Omit<FoundAnchor, 'pageIndex'> {
  let x0 = Infinity, x1 = -Infinity, base = Infinity, size = 0;
  for (const g of match) {
    const it = items[g.item];
    if (!it) continue;
    const [a = 1, b = 0, , , e = 0, f = 0] = it.transform;
    const fontSize = Math.hypot(a, b) || it.height;
    const per = it.str.length > 0 ? it.width / it.str.length : 0;
    x0 = Math.min(x0, e + per * g.start);
    x1 = Math.max(x1, e + per * g.end);
    base = Math.min(base, f);
    size = Math.max(size, fontSize);
  }
  const descent = size * 0.22;
  return { x: x0, y: base - descent, width: x1 - x0, height: size * 1.15, baseline: base, fontSize: size };
}

/**
 * The text after the last matched glyph on the same line: the rest of its item, then the items that
 * follow it on the same baseline (within half the font size), left to right, until the line changes or
 * a gap opens that belongs to another column (an ND 30 header prints "Số: …" and the date on one line):
 * up to 6 font sizes of blank before the first text (room left for a number), 2 after it.
 */
function restOf(items: Item[], match: Glyph[], box: { x: number; width: number; baseline: number; fontSize: number }): RestOfLine | undefined {
  const last = match.at(-1);
  if (!last) return undefined;
  let text = '';
  let right = box.x + box.width;
  let seen = false;
  for (let i = last.item; i < items.length; i++) {
    const it = items[i];
    if (!it) break;
    const [, , , , e = 0, f = 0] = it.transform;
    if (i > last.item) {
      if (Math.abs(f - box.baseline) > box.fontSize / 2 || e + it.width < right) break;
      if (it.str.trim() && e - right > box.fontSize * (seen ? 2 : 6)) break;
    }
    const from = i === last.item ? last.end : 0;
    const part = it.str.slice(from);
    if (part.trim()) {
      right = Math.max(right, e + it.width);
      seen = true;
    }
    text += (i > last.item && it.str.length > 0 ? ' ' : '') + part;
    if (it.hasEOL) break;
  }
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed && seen ? { text: trimmed.normalize('NFC'), right } : undefined;
}

function findIn(glyphs: Glyph[], needle: string[], occurrence: 'first' | 'last'): Glyph[] | null {
  let found: Glyph[] | null = null;
  for (let i = 0; i + needle.length <= glyphs.length; i++) {
    if (needle.every((k, j) => glyphs[i + j]?.key === k)) {
      found = glyphs.slice(i, i + needle.length);
      if (occurrence === 'first') return found;
    }
  }
  return found;
}

/**
 * Finds `text` on the page(s) with pdf.js text extraction: Unicode NFC, case and whitespace
 * insensitive, across split text items. Returns its box (estimated from the item's advance) or null.
 * Horizontal text on unrotated pages only. Throws signing.anchor_pdf_invalid when pdf.js cannot read the file.
 */
export async function findAnchor(pdfBytes: Uint8Array, text: string, opts: FindAnchorOptions & { restOfLine: true }): Promise<(FoundAnchor & { rest?: RestOfLine }) | null>;
export async function findAnchor(pdfBytes: Uint8Array, text: string, opts?: FindAnchorOptions): Promise<FoundAnchor | null>;
export async function findAnchor(pdfBytes: Uint8Array, text: string, opts: FindAnchorOptions = {}): Promise<(FoundAnchor & { rest?: RestOfLine }) | null> {
  const needle = graphemes(text).map((g) => g.key);
  if (needle.length === 0) return null;
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  // pdf.js transfers the buffer to its worker: give it a copy so the caller's bytes stay usable.
  const task = getDocument({ data: new Uint8Array(pdfBytes), password: opts.password, verbosity: VerbosityLevel.ERRORS, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  try {
    const doc = await task.promise.catch((cause: unknown) => {
      // pdf.js: PasswordException code 1 = a password is needed, 2 = the one given is wrong.
      const e = cause as { name?: string; code?: number };
      if (e.name === 'PasswordException') throw e.code === 2 && opts.password !== undefined ? pdfPasswordWrong(undefined, { cause }) : pdfEncrypted(undefined, { cause });
      throw anchorPdfInvalid(undefined, { cause });
    });
    const pages = opts.pageIndex === undefined ? [...Array(doc.numPages).keys()] : [opts.pageIndex];
    const ordered = opts.occurrence === 'last' ? pages.reverse() : pages;
    for (const pageIndex of ordered) {
      if (pageIndex < 0 || pageIndex >= doc.numPages) return null;
      const page = await doc.getPage(pageIndex + 1);
      const content = await page.getTextContent();
      const items = content.items.filter((it): it is Item & typeof it => 'str' in it);
      const match = findIn(pageGlyphs(items), needle, opts.occurrence ?? 'first');
      if (!match) continue;
      const box = boxOf(items, match);
      const rest = opts.restOfLine ? restOf(items, match, box) : undefined;
      return { pageIndex, ...box, ...(rest ? { rest } : {}) };
    }
    return null;
  } finally {
    await task.destroy();
  }
}
