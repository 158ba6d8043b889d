import { degrees, PDFDocument, rgb, type PDFPage } from '@cantoo/pdf-lib';
import { embedSerifFont } from '../documents/pdf-fonts.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { filePdfCorrupt, filePrintNotPdf } from './files.errors.ts';

/** Who printed what, from where: the line every page of a print copy carries (ND 30 Phụ lục VI III.6.k). */
export type PrintMark = { agencyName: string; printedBy: string; at: Date };

const SIZE = 7;
const EDGE = 10; // the baseline's distance from the page's visible bottom edge, in points
const INSET = 18; // where the line starts, from the visible left edge

/** «Bản in từ Hệ thống quản lý văn bản — <cơ quan> — Người in: <họ tên> — 14:05 07/12/2026». */
export function printMarkText(m: PrintMark): string {
  const vn = new Date(m.at.getTime() + 7 * 3600_000);
  const time = `${String(vn.getUTCHours()).padStart(2, '0')}:${String(vn.getUTCMinutes()).padStart(2, '0')}`;
  return `Bản in từ Hệ thống quản lý văn bản — ${m.agencyName} — Người in: ${m.printedBy} — ${time} ${formatVnDate(m.at)}`;
}

/**
 * A print copy of a stored PDF: every page gets the print mark along its visible bottom edge, upright
 * as the page is shown (pages turned by /Rotate included), in a small grey Vietnamese serif. The copy is
 * a new file written whole: a signed original's signatures do not cover it (the original is untouched and
 * is what «Tải về» and the verification give). Throws files.print_not_pdf for anything but a PDF,
 * files.pdf_corrupt for a PDF that cannot be read.
 */
export async function printCopy(bytes: Uint8Array, contentType: string, mark: PrintMark): Promise<Uint8Array> {
  if (contentType !== 'application/pdf') throw filePrintNotPdf({ contentType });
  let pdf: PDFDocument;
  let pages: PDFPage[];
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    pages = pdf.getPages(); // pdf-lib reads lazily: a file without a page tree fails here, not in load
  } catch (cause) {
    throw filePdfCorrupt({ reason: String(cause) });
  }
  const font = await embedSerifFont(pdf, 'regular');
  const text = printMarkText(mark);
  for (const page of pages) {
    const box = page.getCropBox();
    const [left, bottom, right, top] = [box.x, box.y, box.x + box.width, box.y + box.height];
    const turn = ((page.getRotation().angle % 360) + 360) % 360;
    const width = turn === 90 || turn === 270 ? box.height : box.width;
    const size = Math.min(SIZE, (SIZE * (width - 2 * INSET)) / font.widthOfTextAtSize(text, SIZE));
    // The visible bottom edge and reading direction for each /Rotate (clockwise): 0 — bottom, left to
    // right; 90 — the right edge, bottom to top; 180 — the top edge, right to left; 270 — the left edge.
    const at = {
      0: { x: left + INSET, y: bottom + EDGE },
      90: { x: right - EDGE, y: bottom + INSET },
      180: { x: right - INSET, y: top - EDGE },
      270: { x: left + EDGE, y: top - INSET },
    }[turn as 0 | 90 | 180 | 270] ?? { x: left + INSET, y: bottom + EDGE };
    page.drawText(text, { ...at, size, font, color: rgb(0.35, 0.35, 0.35), rotate: degrees(turn) });
  }
  return pdf.save({ useObjectStreams: true });
}
