import { anchorPdfInvalid } from './appearance.errors.ts';
import type { AnchorBox } from './appearance.presets.ts';
import { pdfEncrypted, pdfPasswordWrong } from '../signing.errors.ts';

/** A text match on a page, in PDF user space (points, origin bottom-left of the page's coordinate system). */
export type FoundAnchor = AnchorBox & { pageIndex: number; baseline: number; fontSize: number };

export type FindAnchorOptions = {
  /** Only this page (0-based); default: every page. */
  pageIndex?: number;
  /** Which match to return when there are several; signature blocks are usually the 'last'. Default 'first'. */
  occurrence?: 'first' | 'last';
  /** User or owner password of an encrypted PDF. */
  password?: string;
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
export async function findAnchor(pdfBytes: Uint8Array, text: string, opts: FindAnchorOptions = {}): Promise<FoundAnchor | null> {
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
      if (match) return { pageIndex, ...boxOf(items, match) };
    }
    return null;
  } finally {
    await task.destroy();
  }
}
