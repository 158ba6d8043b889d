/**
 * The fonts of every PDF vanthu draws with pdf-lib — registers, reports and search exports, records lists
 * and the biên bản giao nhận, print copies, sample drafts: Liberation Serif (Vietnamese, metric-compatible
 * with Times New Roman), each style embedded as the subset of the glyphs the document draws with it, so a
 * one-page PDF weighs tens of KiB on a phone's slow network instead of ~230 KiB per whole font.
 *
 * pdf-lib's own subsetting needs one adapter with @pdf-lib/fontkit 1.x: @cantoo/pdf-lib serialises a
 * subset by calling `subset.encode()` with no argument when `encode` is a function (fontkit 2's synchronous
 * encoder), and uses `encodeStream()` only otherwise. A fontkit 1.x TrueType subset has an internal
 * `encode(stream)`, so pdf-lib calls it without a stream and saving throws ("Cannot read properties of
 * undefined (reading 'pos')"). The fontkit registered here gives pdf-lib subsets whose `encode()` runs
 * that encoder into a buffer with `encodeSubset`, as the signature stamps do.
 *
 * The encoder runs on a second parse of the same file: it reads each glyph it copies (accents' base letters
 * too) through fontkit's per-font glyph cache, creating the entry without the glyph's characters, and pdf-lib
 * writes /ToUnicode from the characters of the glyphs layout returns from that cache. With one parse, a
 * later document's «A» of «ỦY BAN» would extract as nothing.
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PDFDocument, PDFFont } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { Subset } from '@pdf-lib/fontkit';
import { FONT_DIR } from '../signing/appearance/appearance.font.ts';
import { encodeSubset } from '../signing/appearance/appearance.subset.ts';

const SERIF_FILES = { regular: 'LiberationSerif-Regular.ttf', bold: 'LiberationSerif-Bold.ttf', italic: 'LiberationSerif-Italic.ttf' } as const;
export type SerifStyle = keyof typeof SERIF_FILES;

/** The fontkit shape pdf-lib expects, and the font and subset it asks of it. */
type PdfFontkit = Parameters<PDFDocument['registerFontkit']>[0];
type PdfFontkitFont = Extract<Awaited<ReturnType<PdfFontkit['create']>>, { createSubset: unknown }>;
type PdfFontkitSubset = ReturnType<PdfFontkitFont['createSubset']>;

type ParsedFont = { bytes: Uint8Array; font: PdfFontkitFont };
const parsed = new Map<SerifStyle, Promise<ParsedFont>>();
const parsedByBytes = new WeakMap<Uint8Array, PdfFontkitFont>();

/** A TrueType subset as pdf-lib calls it: `encode()` gives the bytes of the subset font (for /FontFile2). */
const encodable = (subset: Subset): PdfFontkitSubset => ({
  includeGlyph: (glyph) => subset.includeGlyph(typeof glyph === 'number' ? glyph : glyph.id),
  encode: () => encodeSubset(subset),
});

/** The font file parsed for pdf-lib (layout, metrics), its subsets encoded from a second parse (see above). */
function parseForPdfLib(bytes: Uint8Array): PdfFontkitFont {
  const encoder = fontkit.create(bytes);
  const font: PdfFontkitFont = fontkit.create(bytes);
  font.createSubset = () => encodable(encoder.createSubset());
  return font;
}

/** pdf-lib's fontkit: the fonts parsed once per process (below), any other font file parsed as it comes. */
const SUBSETTING_FONTKIT: PdfFontkit = {
  create: (bytes) => parsedByBytes.get(bytes) ?? parseForPdfLib(bytes),
};

/**
 * A style's file read and parsed once per process: every document draws in the same few fonts, and
 * parsing is a quarter of the time a one-page document takes (fontkit's font objects are only read by pdf-lib).
 */
function serifFont(style: SerifStyle): Promise<ParsedFont> {
  let font = parsed.get(style);
  if (!font) {
    font = readFile(new URL(SERIF_FILES[style], FONT_DIR)).then((bytes) => {
      const parsedFont = parseForPdfLib(bytes);
      parsedByBytes.set(bytes, parsedFont);
      return { bytes, font: parsedFont };
    });
    parsed.set(style, font);
  }
  return font;
}

/** The six capital letters that mark a subset font's name (PDF 32000-1 §9.6.4), random so two subsets of one font in a document (pages copied in) never share a name. */
const subsetTag = () => Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(26))).join('');

/**
 * One style of Liberation Serif in `pdf`, embedded when the document is saved as the subset of the glyphs
 * drawn with it (Type0/CIDFontType2, Identity-H, /ToUnicode, named «ABCDEF+LiberationSerif…»).
 */
export async function embedSerifFont(pdf: PDFDocument, style: SerifStyle): Promise<PDFFont> {
  const { bytes, font } = await serifFont(style);
  pdf.registerFontkit(SUBSETTING_FONTKIT);
  return pdf.embedFont(bytes, { subset: true, customName: `${subsetTag()}+${font.postscriptName ?? SERIF_FILES[style].replace('.ttf', '')}` });
}

/** Liberation Serif regular and bold in `pdf`, each as a subset (`embedSerifFont`): the fonts of printed tables and letters. */
export async function embedSerifFonts(pdf: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  return { regular: await embedSerifFont(pdf, 'regular'), bold: await embedSerifFont(pdf, 'bold') };
}
