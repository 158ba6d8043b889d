import { PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { embedSerifFonts } from '../documents/pdf-fonts.ts';
import { columnWidths, drawRow, drawTableHeader, TABLE_MARGIN as MARGIN, TABLE_TEXT_SIZE as SIZE, wrap, type RegisterSheet } from '../registers/register-export.ts';

const [WIDTH, HEIGHT] = [841.89, 595.28]; // A4 landscape
const LINE = SIZE + 2;
const TITLE_SIZE = 14;

type Fonts = { regular: PDFFont; bold: PDFFont };
type Cursor = { page: PDFPage; y: number };

/**
 * Report tables as one printable PDF (A4 landscape, Liberation Serif with Vietnamese): the agency at the
 * top of the first page, then each table under its own title and period — the next table on the same
 * page when it fits — with its header repeated on every page it runs onto, and "Trang i/n" over the
 * whole document. Unlike a register, a report has no cover page; a long title wraps within the page.
 */
export async function printTablesPdf(sheets: readonly RegisterSheet[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${sheets[0]?.title ?? ''} — ${sheets[0]?.agencyName ?? ''}`);
  pdf.setCreator('vanthu');
  const fonts = await embedSerifFonts(pdf);
  let at: Cursor = { page: pdf.addPage([WIDTH, HEIGHT]), y: HEIGHT - MARGIN };
  const first = sheets[0];
  if (first?.parentAgencyName) at.y = line(at, first.parentAgencyName.toUpperCase(), fonts.regular, 11, MARGIN);
  if (first) at.y = line(at, first.agencyName.toUpperCase(), fonts.bold, 11, MARGIN) - 10;
  for (const sheet of sheets) at = drawSheet(pdf, at, sheet, fonts);
  const pages = pdf.getPages();
  pages.forEach((p, i) => p.drawText(`Trang ${i + 1}/${pages.length}`, { x: WIDTH - MARGIN - 50, y: MARGIN - 20, size: 8, font: fonts.regular }));
  return pdf.save({ useObjectStreams: true });
}

/** Draws one line of text at the cursor (centred when x is undefined); returns the y below it. */
function line(at: Cursor, text: string, font: PDFFont, size: number, x?: number): number {
  at.page.drawText(text, { x: x ?? (WIDTH - font.widthOfTextAtSize(text, size)) / 2, y: at.y - size, size, font });
  return at.y - size - 4;
}

/** One table: its title and period (or year), then the header and rows; a new page when even the title, header and first row do not fit. */
function drawSheet(pdf: PDFDocument, start: Cursor, s: RegisterSheet, fonts: Fonts): Cursor {
  const widths = columnWidths(s.columns, WIDTH - 2 * MARGIN);
  const title = wrap(s.title, fonts.bold, TITLE_SIZE, WIDTH - 2 * MARGIN);
  const range = s.fromDate && s.toDate ? `Từ ngày ${s.fromDate} đến ngày ${s.toDate}` : s.year ? `Năm: ${s.year}` : '';
  const header = s.columns.map((c, i) => wrap(c.header, fonts.bold, SIZE, (widths[i] ?? 20) - 6));
  const firstRow = s.rows[0] ? rowHeight(s.rows[0], widths, fonts.regular) : 0;
  const needed = title.length * (TITLE_SIZE + 4) + 16 + 20 + tableHeaderHeight(header) + firstRow;
  const at = start.y - needed < MARGIN ? { page: pdf.addPage([WIDTH, HEIGHT]), y: HEIGHT - MARGIN } : { ...start };
  for (const t of title) at.y = line(at, t, fonts.bold, TITLE_SIZE);
  if (range) at.y = line(at, range, fonts.regular, 11);
  at.y -= 8;
  at.y = drawTableHeader(at.page, s.columns, widths, at.y, fonts.bold);
  for (const row of s.rows) {
    const height = rowHeight(row, widths, fonts.regular);
    if (at.y - height < MARGIN) {
      at.page = pdf.addPage([WIDTH, HEIGHT]);
      at.y = drawTableHeader(at.page, s.columns, widths, HEIGHT - MARGIN, fonts.bold);
    }
    drawRow(at.page, row.map((text, i) => wrap(text ?? '', fonts.regular, SIZE, (widths[i] ?? 20) - 6)), widths, at.y, height, fonts.regular, true);
    at.y -= height;
  }
  return { page: at.page, y: at.y - 24 };
}

const tableHeaderHeight = (header: string[][]) => Math.max(1, ...header.map((h) => h.length)) * LINE + 6 + LINE + 6;
const rowHeight = (row: string[], widths: number[], font: PDFFont) =>
  Math.max(1, ...row.map((text, i) => wrap(text ?? '', font, SIZE, (widths[i] ?? 20) - 6).length)) * LINE + 6;
