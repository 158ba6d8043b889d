import ExcelJS from 'exceljs';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { embedSerifFonts } from '../documents/pdf-fonts.ts';

/**
 * What a column holds, for Excel (the PDF prints every cell as its text): text (the default); a count or
 * ordinal (STT, số đến, số tờ, số lượng bản), written as a number; a number with a decimal comma ("1,5"
 * days on average in a report), written as that number; a number of years ("10 năm", thời hạn bảo quản),
 * written as the number shown with "năm". A cell that does not read so ("Vĩnh viễn", "1–3") stays text.
 */
export type ColumnKind = 'text' | 'count' | 'decimal' | 'years';

/** One register as printed: ND 30 Phụ lục IV cover fields, the columns and the rows (text). */
export type RegisterSheet = {
  title: string; // e.g. "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
  parentAgencyName?: string; // TÊN CƠ QUAN CHỦ QUẢN TRỰC TIẾP
  agencyName: string;
  /** «Năm: …» on the cover; absent for a table of no one year (a search's results). */
  year?: number;
  fromDate?: string;
  toDate?: string;
  fromNumber?: string;
  toNumber?: string;
  volume?: string; // Quyển số
  columns: readonly { header: string; width: number; kind?: ColumnKind }[];
  rows: string[][];
};

/** Sổ đăng ký văn bản đi: the ten columns of Phụ lục IV §3.1 (widths relative). */
export const OUTGOING_REGISTER_COLUMNS = [
  { header: 'Số, ký hiệu văn bản', width: 11 }, { header: 'Ngày tháng văn bản', width: 8 },
  { header: 'Tên loại và trích yếu nội dung văn bản', width: 24 }, { header: 'Người ký', width: 10 },
  { header: 'Nơi nhận văn bản', width: 14 }, { header: 'Đơn vị, người nhận bản lưu', width: 10 },
  { header: 'Số lượng bản', width: 5, kind: 'count' }, { header: 'Ngày chuyển', width: 7 }, { header: 'Ký nhận', width: 6 }, { header: 'Ghi chú', width: 7 },
] as const;

/** Sổ đăng ký văn bản đến: the ten columns of Phụ lục IV §3.2. */
export const INCOMING_REGISTER_COLUMNS = [
  { header: 'Ngày đến', width: 7 }, { header: 'Số đến', width: 5, kind: 'count' }, { header: 'Tác giả', width: 14 },
  { header: 'Số, ký hiệu văn bản', width: 10 }, { header: 'Ngày tháng văn bản', width: 8 },
  { header: 'Tên loại và trích yếu nội dung văn bản', width: 22 }, { header: 'Đơn vị hoặc người nhận', width: 14 },
  { header: 'Ngày chuyển', width: 7 }, { header: 'Ký nhận', width: 6 }, { header: 'Ghi chú', width: 7 },
] as const;

/** Sổ theo dõi giải quyết văn bản đến: the seven columns of Phụ lục IV §3.3. */
export const FOLLOW_UP_REGISTER_COLUMNS = [
  { header: 'Số đến', width: 5, kind: 'count' }, { header: 'Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản', width: 28 },
  { header: 'Đơn vị hoặc người nhận', width: 14 }, { header: 'Thời hạn giải quyết', width: 8 }, { header: 'Tiến độ giải quyết', width: 14 },
  { header: 'Số, ký hiệu văn bản trả lời', width: 12 }, { header: 'Ghi chú', width: 9 },
] as const;

/**
 * A cell as Excel should hold it: by its column's kind, a number (so it sums, and Excel shows no "number
 * stored as text" mark) with the format that prints it as the register does ("05", "10 năm"); else the text.
 */
export function excelCell(text: string, kind: ColumnKind = 'text'): { value: string | number; numFmt?: string } {
  if (kind === 'count' && /^\d{1,15}$/.test(text)) return { value: Number(text), ...(text.length > 1 && text.startsWith('0') && { numFmt: '0'.repeat(text.length) }) };
  if (kind === 'decimal' && /^\d{1,15}(,\d{1,15})?$/.test(text)) return { value: Number(text.replace(',', '.')) };
  const years = kind === 'years' ? /^(\d{1,4}) năm$/.exec(text) : null;
  if (years) return { value: Number(years[1]), numFmt: '0 "năm"' };
  return { value: text };
}

/** The register as an Excel workbook: cover lines, a bold header row with numbered columns, wrapped cells, counts and years as numbers. */
export async function exportRegisterXlsx(sheet: RegisterSheet): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'vanthu';
  const ws = wb.addWorksheet(sheet.title.slice(0, 31), { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = sheet.columns.length;
  const coverLines = [sheet.parentAgencyName ?? '', sheet.agencyName.toUpperCase(), sheet.title, sheet.year ? `Năm: ${sheet.year}` : '', coverRange(sheet)].filter(Boolean);
  for (const line of coverLines) {
    const row = ws.addRow([line]);
    ws.mergeCells(row.number, 1, row.number, n);
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(1).font = { bold: line === sheet.title, size: line === sheet.title ? 14 : 12, name: 'Times New Roman' };
  }
  ws.addRow([]);
  const header = ws.addRow(sheet.columns.map((c) => c.header));
  const numbers = ws.addRow(sheet.columns.map((_, i) => `(${i + 1})`));
  for (const row of [header, numbers]) row.eachCell((cell) => Object.assign(cell, { font: { bold: true, name: 'Times New Roman' }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true }, border: thinBorder }));
  for (const values of sheet.rows) {
    const cells = values.map((text, i) => excelCell(text, sheet.columns[i]?.kind));
    const row = ws.addRow(cells.map((c) => c.value));
    row.eachCell({ includeEmpty: true }, (cell, i) => Object.assign(cell, {
      font: { name: 'Times New Roman' }, alignment: { vertical: 'top', wrapText: true }, border: thinBorder, ...(cells[i - 1]?.numFmt && { numFmt: cells[i - 1]?.numFmt }),
    }));
  }
  sheet.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width * 1.6));
  ws.views = [{ state: 'frozen', ySplit: header.number + 1 }];
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const thinBorder = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;

function coverRange(s: RegisterSheet): string {
  const parts = [s.fromDate && s.toDate ? `Từ ngày ${s.fromDate} đến ngày ${s.toDate}` : '', s.fromNumber && s.toNumber ? `Từ số ${s.fromNumber} đến số ${s.toNumber}` : '', s.volume ? `Quyển số: ${s.volume}` : ''];
  return parts.filter(Boolean).join(' — ');
}

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
/** The page margin and the text size of printed tables (registers, reports: reports.pdf.ts). */
export const TABLE_MARGIN = 36;
export const TABLE_TEXT_SIZE = 9;
const [MARGIN, SIZE] = [TABLE_MARGIN, TABLE_TEXT_SIZE];

/** Each column's width in points: its share of `total` by the columns' relative widths. */
export function columnWidths(columns: RegisterSheet['columns'], total: number): number[] {
  const weight = columns.reduce((sum, c) => sum + c.width, 0);
  return columns.map((c) => (c.width / weight) * total);
}

/**
 * The register as a printable PDF (A4 landscape, Times-compatible Liberation Serif with Vietnamese): a
 * cover page as in Phụ lục IV, then the table with its header repeated on every page and page numbers,
 * ready to print and bind as Art. 16.2.b and 22.3.b require.
 */
export async function exportRegisterPdf(sheet: RegisterSheet): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle([sheet.title, sheet.agencyName, sheet.year].filter(Boolean).join(' — '));
  pdf.setCreator('vanthu');
  const { regular, bold } = await embedSerifFonts(pdf);
  drawCover(pdf.addPage(A4_LANDSCAPE), sheet, regular, bold);
  const widths = columnWidths(sheet.columns, A4_LANDSCAPE[0] - 2 * MARGIN);
  const pages: PDFPage[] = [];
  let page = newTablePage(pdf, pages, sheet, widths, bold);
  let y = page.y;
  for (const row of sheet.rows) {
    const cells = row.map((text, i) => wrap(text ?? '', regular, SIZE, (widths[i] ?? 20) - 6));
    const height = Math.max(1, ...cells.map((c) => c.length)) * (SIZE + 2) + 6;
    if (y - height < MARGIN + 14) {
      page = newTablePage(pdf, pages, sheet, widths, bold);
      y = page.y;
    }
    drawRow(page.page, cells, widths, y, height, regular);
    y -= height;
  }
  pages.forEach((p, i) => p.drawText(`Trang ${i + 1}/${pages.length}`, { x: A4_LANDSCAPE[0] - MARGIN - 60, y: MARGIN - 20, size: 8, font: regular }));
  return pdf.save({ useObjectStreams: true });
}

function drawCover(page: PDFPage, s: RegisterSheet, regular: PDFFont, bold: PDFFont) {
  const center = (text: string, y: number, font: PDFFont, size: number) =>
    page.drawText(text, { x: (A4_LANDSCAPE[0] - font.widthOfTextAtSize(text, size)) / 2, y, size, font });
  let y = 500;
  if (s.parentAgencyName) {
    center(s.parentAgencyName.toUpperCase(), y, regular, 13);
    y -= 20;
  }
  center(s.agencyName.toUpperCase(), y, bold, 13);
  center(s.title, 340, bold, 24);
  if (s.year) center(`Năm: ${s.year}`, 300, regular, 14);
  const range = coverRange(s);
  if (range) center(range, 270, regular, 12);
}

function newTablePage(pdf: PDFDocument, pages: PDFPage[], s: RegisterSheet, widths: number[], bold: PDFFont): { page: PDFPage; y: number } {
  const page = pdf.addPage(A4_LANDSCAPE);
  pages.push(page);
  return { page, y: drawTableHeader(page, s.columns, widths, A4_LANDSCAPE[1] - MARGIN, bold) };
}

/** A table's header row (names wrapped to their columns) and its row of column numbers (1), (2)…, from `top`; returns the y below them. */
export function drawTableHeader(page: PDFPage, columns: RegisterSheet['columns'], widths: number[], top: number, bold: PDFFont): number {
  const headers = columns.map((c, i) => wrap(c.header, bold, SIZE, (widths[i] ?? 20) - 6));
  const height = Math.max(1, ...headers.map((h) => h.length)) * (SIZE + 2) + 6;
  drawRow(page, headers, widths, top, height, bold);
  drawRow(page, columns.map((_, i) => [`(${i + 1})`]), widths, top - height, SIZE + 8, bold);
  return top - height - (SIZE + 8);
}

const isCount = (lines: string[]) => lines.length === 1 && /^\d+(,\d+)?$/.test(lines[0] ?? '');

/**
 * A row of bordered cells from the left margin, text from the top left of each; with `alignCounts` a
 * count sits at the right of its cell, so the columns of figures line up (reports; a register's số stay left).
 */
export function drawRow(page: PDFPage, cells: string[][], widths: number[], top: number, height: number, font: PDFFont, alignCounts = false) {
  let x = MARGIN;
  cells.forEach((lines, i) => {
    const w = widths[i] ?? 20;
    page.drawRectangle({ x, y: top - height, width: w, height, borderColor: rgb(0, 0, 0), borderWidth: 0.5 });
    const right = alignCounts && isCount(lines);
    lines.forEach((line, j) => page.drawText(line, { x: right ? x + w - 3 - font.widthOfTextAtSize(line, SIZE) : x + 3, y: top - 3 - (j + 1) * (SIZE + 2) + 2, size: SIZE, font }));
    x += w;
  });
}

/** Greedy word wrap by the font's real advance widths; words longer than a line are split. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}
