/**
 * The forms of ND 30 Phụ lục V as vanthu prints them — Danh mục hồ sơ, Mục lục hồ sơ, tài liệu nộp lưu, Mục lục văn
 * bản, tài liệu, and the Biên bản giao nhận hồ sơ, tài liệu (records-batch-minutes.ts) — on A4 portrait in the layout
 * of Phụ lục I: the agency (ô 2) left, Quốc hiệu (bold 13) and Tiêu ngữ (bold 14, underlined) right, the form's name in
 * bold 14, its table with the columns numbered (1), (2)…, the fixed closing lines, and who signs. The model text is
 * in docs/records.md; a form is data here (`RecordsForm`), drawn by `drawForm` (PDF) and `formsXlsx` (XLSX).
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import ExcelJS from 'exceljs';
import { embedSerifFont } from '../documents/pdf-fonts.ts';
import { excelCell, wrap, type ColumnKind } from '../registers/register-export.ts';

const [WIDTH, HEIGHT] = [595.28, 841.89]; // A4 portrait
/** Phụ lục I's margins: top and bottom 20 mm, left 30 mm, right 20 mm. */
export const PAGE = { left: 85, right: WIDTH - 57, top: HEIGHT - 57, bottom: 57 };
/** The body's size (Phụ lục I: 13–14; Phụ lục V's models print 14); a table's (ours: 12, so seven columns fit a portrait page). */
const BODY = 14;
const CELL = 12;
const LINE = BODY + 2; // single spacing
/** Both header columns, each line centred in its own: ô 2 (the agency) and ô 1 (Quốc hiệu and Tiêu ngữ). */
const [LEFT_COL, RIGHT_COL] = [{ x: 28, w: 236 }, { x: 272, w: 292 }];
const TABLE = { x: 65, w: 485 };
/** The dotted line of a blank to fill in by hand. */
export const DOTS = '…………………';

export type FormFonts = { regular: PDFFont; bold: PDFFont; italic: PDFFont };
export type Cursor = { page: PDFPage; y: number };
type Column = { x: number; w: number };

/** Ô 2, with ô 3 and ô 4 when the form has them: the tên cơ quan chủ quản (if any) and the tên cơ quan or đơn vị; «Số: …»; «Địa danh, ngày … tháng … năm …». */
export type FormHeader = { parentName?: string | null; organName: string; number?: string; placeDate?: string };
/** Who signs at the foot, at the right: the place and day, «Người lập», the hint in italics, then the name and position printed. */
export type FormSignature = { placeDate?: string; title: string; hint: string; name?: string | null; position?: string | null };

/** A Phụ lục V form: its header (none for the mục lục văn bản), title lines, a line in italics under them, the table, the closing lines, who signs. */
export type RecordsForm = {
  sheetName: string;
  header?: FormHeader;
  title: readonly string[];
  note?: string;
  columns: readonly { header: string; width: number; kind?: ColumnKind }[];
  /** Rows of cells; a `strong` row (a đề mục of the Danh mục hồ sơ) is printed in bold. */
  rows: readonly { cells: readonly string[]; strong?: boolean }[];
  footer: readonly string[];
  signature?: FormSignature;
};

export async function embedFormFonts(pdf: PDFDocument): Promise<FormFonts> {
  return { regular: await embedSerifFont(pdf, 'regular'), bold: await embedSerifFont(pdf, 'bold'), italic: await embedSerifFont(pdf, 'italic') };
}

/** Forms as one PDF, each from a new page. */
export async function formsPdf(forms: readonly RecordsForm[], title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreator('vanthu');
  const fonts = await embedFormFonts(pdf);
  for (const form of forms) drawForm(pdf, fonts, form);
  return pdf.save({ useObjectStreams: true });
}

/** One form on new pages of `pdf`: header, title, table (its header repeated on each page), closing lines, signature; pages from the second numbered at the top (Phụ lục I). */
export function drawForm(pdf: PDFDocument, fonts: FormFonts, form: RecordsForm) {
  const pages: PDFPage[] = [];
  const newPage = () => {
    const page = pdf.addPage([WIDTH, HEIGHT]);
    pages.push(page);
    return { page, y: PAGE.top };
  };
  let at = newPage();
  if (form.header) at.y = drawHeader(at.page, fonts, form.header, at.y) - 20;
  at.y = drawTitle(at.page, fonts, form.title, form.note, at.y);
  at = drawTable(fonts, form, at, newPage);
  at.y -= 10;
  for (const text of form.footer) at = paragraph(at, fonts, { text }, newPage);
  if (form.signature) {
    const needed = 5 * LINE + 60;
    if (at.y - needed < PAGE.bottom) at = newPage();
    at.y = drawSignatures(at.page, fonts, [{ col: { x: WIDTH / 2 - 10, w: WIDTH / 2 - 10 }, ...form.signature }], at.y - 12);
  }
  numberPages(pages, fonts.regular);
}

/** Ô 2 at the left, ô 1 at the right, and, on the line under them, ô 3 and ô 4; returns the y below. */
export function drawHeader(page: PDFPage, fonts: FormFonts, h: FormHeader, top: number): number {
  let left = top;
  if (h.parentName) for (const t of wrap(h.parentName.toLocaleUpperCase('vi'), fonts.regular, 13, LEFT_COL.w)) left = centred(page, t, fonts.regular, 13, LEFT_COL, left);
  const organ = wrap(h.organName.toLocaleUpperCase('vi'), fonts.bold, 13, LEFT_COL.w);
  for (const t of organ) left = centred(page, t, fonts.bold, 13, LEFT_COL, left);
  // under the agency a line of 1/3 to 1/2 of its length (Phụ lục I)
  rule(page, LEFT_COL, left - 4, fonts.bold.widthOfTextAtSize(organ.at(-1) ?? '', 13) * 0.4);
  let right = centred(page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', fonts.bold, 13, RIGHT_COL, top);
  right = centred(page, 'Độc lập - Tự do - Hạnh phúc', fonts.bold, 14, RIGHT_COL, right);
  // under the Tiêu ngữ a line as long as it
  rule(page, RIGHT_COL, right - 4, fonts.bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', 14));
  if (!h.number && !h.placeDate) return Math.min(left, right) - 6;
  const y = Math.min(left, right) - 12;
  const below = [y];
  if (h.number) below.push(centred(page, h.number, fonts.regular, 13, LEFT_COL, y));
  if (h.placeDate) {
    const size = placeDateSize(fonts, h.placeDate, RIGHT_COL.w);
    below.push(wrap(h.placeDate, fonts.italic, size, RIGHT_COL.w).reduce((yy, t) => centred(page, t, fonts.italic, size, RIGHT_COL, yy), y));
  }
  return Math.min(...below);
}

/** Ô 4 is italic 13–14 (Phụ lục I): 14 when it fits on one line, 13 for a long place name («Thành phố Hồ Chí Minh, ngày 07 tháng 12 năm 2026»); wrapped only past that. */
function placeDateSize(fonts: FormFonts, text: string, width: number): number {
  return fonts.italic.widthOfTextAtSize(text, 14) <= width ? 14 : 13;
}

/** The form's name and title lines in bold 14, a line in italics under them, then a short rule; returns the y below. */
export function drawTitle(page: PDFPage, fonts: FormFonts, lines: readonly string[], note: string | undefined, top: number): number {
  const whole = { x: 0, w: WIDTH };
  let y = top;
  for (const t of lines.flatMap((l) => wrap(l, fonts.bold, BODY, PAGE.right - PAGE.left))) y = centred(page, t, fonts.bold, BODY, whole, y);
  if (note) for (const t of wrap(note, fonts.italic, BODY, PAGE.right - PAGE.left)) y = centred(page, t, fonts.italic, BODY, whole, y);
  rule(page, whole, y - 6, 60);
  return y - 20;
}

/** A paragraph of the body: an optional lead in bold («BÊN GIAO:»), the text, first line indented 1 cm (Phụ lục I); a new page when it does not fit. */
export function paragraph(at: Cursor, fonts: FormFonts, p: { lead?: string; text: string }, newPage: () => Cursor): Cursor {
  const indent = 28;
  const width = PAGE.right - PAGE.left;
  const lead = p.lead ? `${p.lead} ` : '';
  const leadWidth = lead ? fonts.bold.widthOfTextAtSize(lead, BODY) : 0;
  const [first = '', ...rest] = wrap(p.text, fonts.regular, BODY, width - indent - leadWidth);
  const lines = [first, ...(rest.length ? wrap(rest.join(' '), fonts.regular, BODY, width) : [])];
  let cur = at;
  lines.forEach((t, i) => {
    if (cur.y - LINE < PAGE.bottom) cur = newPage();
    const x = PAGE.left + (i === 0 ? indent : 0);
    if (i === 0 && lead) cur.page.drawText(lead, { x, y: cur.y - BODY, size: BODY, font: fonts.bold });
    cur.page.drawText(t, { x: x + (i === 0 ? leadWidth : 0), y: cur.y - BODY, size: BODY, font: fonts.regular });
    cur.y -= LINE;
  });
  cur.y -= 2;
  return cur;
}

/** Signature blocks side by side, each centred in its column: place and day, title, hint, room to sign, name and position; returns the y below. */
export function drawSignatures(page: PDFPage, fonts: FormFonts, blocks: readonly (FormSignature & { col: Column })[], top: number): number {
  const bottoms = blocks.map((b) => {
    let y = top;
    if (b.placeDate) y = centred(page, b.placeDate, fonts.italic, placeDateSize(fonts, b.placeDate, b.col.w), b.col, y);
    y = centred(page, b.title, fonts.bold, BODY, b.col, y);
    y = centred(page, b.hint, fonts.italic, BODY, b.col, y) - 50;
    if (b.name) y = centred(page, b.name, fonts.bold, BODY, b.col, y);
    if (b.position) y = centred(page, b.position, fonts.regular, BODY, b.col, y);
    return y;
  });
  return Math.min(...bottoms);
}

/** The table: header and column numbers, then the rows, the header again on each new page; counts and years centred. */
function drawTable(fonts: FormFonts, form: RecordsForm, start: Cursor, newPage: () => Cursor): Cursor {
  const total = form.columns.reduce((s, c) => s + c.width, 0);
  const widths = form.columns.map((c) => (c.width / total) * TABLE.w);
  const centredCol = form.columns.map((c) => c.kind === 'count' || c.kind === 'years');
  const cellsOf = (texts: readonly string[], font: PDFFont) => texts.map((t, i) => wrap(t, font, CELL, (widths[i] ?? 20) - 6));
  const head = (at: Cursor) => {
    const everyCol = form.columns.map(() => true);
    at.y = row(at.page, cellsOf(form.columns.map((c) => c.header), fonts.bold), widths, at.y, fonts.bold, everyCol, true);
    at.y = row(at.page, form.columns.map((_, i) => [`(${i + 1})`]), widths, at.y, fonts.regular, everyCol, true);
  };
  let at = { ...start };
  head(at);
  for (const r of form.rows) {
    const font = r.strong ? fonts.bold : fonts.regular;
    const cells = cellsOf(r.cells, font);
    if (at.y - rowHeight(cells) < PAGE.bottom) {
      at = newPage();
      head(at);
    }
    at.y = row(at.page, cells, widths, at.y, font, r.strong ? [] : centredCol);
  }
  return at;
}

const rowHeight = (cells: string[][]) => Math.max(1, ...cells.map((c) => c.length)) * (CELL + 2) + 6;

/** One row of bordered cells from the table's left edge, text at the top of each (`middle`: in the middle, as the header); returns the y below it. */
function row(page: PDFPage, cells: string[][], widths: number[], top: number, font: PDFFont, centredCol: readonly boolean[], middle = false): number {
  const height = rowHeight(cells);
  let x = TABLE.x;
  cells.forEach((lines, i) => {
    const w = widths[i] ?? 20;
    page.drawRectangle({ x, y: top - height, width: w, height, borderColor: rgb(0, 0, 0), borderWidth: 0.5 });
    lines.forEach((t, j) => {
      const dx = centredCol[i] ? (w - font.widthOfTextAtSize(t, CELL)) / 2 : 3;
      const dy = middle ? (height - rowHeight([lines])) / 2 : 0;
      page.drawText(t, { x: x + dx, y: top - dy - 3 - (j + 1) * (CELL + 2) + 2, size: CELL, font });
    });
    x += w;
  });
  return top - height;
}

/** Page numbers from the second page, centred in the top margin (Phụ lục I: «Số trang»). */
function numberPages(pages: readonly PDFPage[], font: PDFFont) {
  pages.forEach((p, i) => {
    if (i === 0) return;
    const text = String(i + 1);
    p.drawText(text, { x: (WIDTH - font.widthOfTextAtSize(text, 13)) / 2, y: HEIGHT - 35, size: 13, font });
  });
}

/** One line centred in a column; returns the y below it. */
function centred(page: PDFPage, text: string, font: PDFFont, size: number, col: Column, y: number): number {
  page.drawText(text, { x: col.x + (col.w - font.widthOfTextAtSize(text, size)) / 2, y: y - size, size, font });
  return y - size - 3;
}

/** A line of `length` centred in a column, at `y`. */
function rule(page: PDFPage, col: Column, y: number, length: number) {
  page.drawLine({ start: { x: col.x + (col.w - length) / 2, y }, end: { x: col.x + (col.w + length) / 2, y }, thickness: 0.6 });
}

/**
 * Forms as one workbook, a worksheet each: the header (the agency over the left columns, Quốc hiệu and Tiêu ngữ over
 * the right), the title lines, the table with its numbered columns (counts and years as numbers, as the registers'
 * XLSX), the closing lines and the signature, in Times New Roman.
 */
export async function formsXlsx(forms: readonly RecordsForm[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'vanthu';
  const names = new Set<string>();
  for (const form of forms) {
    let name = form.sheetName.slice(0, 31);
    for (let i = 2; names.has(name); i++) name = `${form.sheetName.slice(0, 27)} (${i})`;
    names.add(name);
    formSheet(wb.addWorksheet(name, { pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } }), form);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

type CellStyle = { bold?: boolean; italic?: boolean; size?: number; align?: 'left' | 'center' };

function formSheet(ws: ExcelJS.Worksheet, form: RecordsForm) {
  const n = form.columns.length;
  const split = Math.floor(n / 2);
  /** A row of up to two merged spans (the left columns, the right ones), or one over all columns. */
  const line = (parts: readonly { text: string; from: number; to: number; style: CellStyle }[]) => {
    const r = ws.addRow([]);
    for (const p of parts) {
      if (!p.text) continue;
      if (p.to > p.from) ws.mergeCells(r.number, p.from, r.number, p.to);
      const cell = r.getCell(p.from);
      cell.value = p.text;
      cell.font = { name: 'Times New Roman', size: p.style.size ?? 13, bold: p.style.bold, italic: p.style.italic };
      cell.alignment = { horizontal: p.style.align ?? 'center', wrapText: true };
    }
  };
  const left = (text: string, style: CellStyle) => ({ text, from: 1, to: split, style });
  const right = (text: string, style: CellStyle) => ({ text, from: split + 1, to: n, style });
  const all = (text: string, style: CellStyle) => ({ text, from: 1, to: n, style });
  const h = form.header;
  if (h) {
    line([left((h.parentName ?? '').toLocaleUpperCase('vi'), {}), right('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true })]);
    line([left(h.organName.toLocaleUpperCase('vi'), { bold: true }), right('Độc lập - Tự do - Hạnh phúc', { bold: true, size: 14 })]);
    if (h.number || h.placeDate) line([left(h.number ?? '', {}), right(h.placeDate ?? '', { italic: true, size: 14 })]);
    ws.addRow([]);
  }
  for (const t of form.title) line([all(t, { bold: true, size: 14 })]);
  if (form.note) line([all(form.note, { italic: true, size: 14 })]);
  ws.addRow([]);
  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  const tableStyle = (r: ExcelJS.Row, bold: boolean, centre: boolean) => r.eachCell({ includeEmpty: true }, (cell, i) => Object.assign(cell, {
    font: { name: 'Times New Roman', size: 12, bold }, border,
    alignment: { horizontal: centre || ['count', 'years'].includes(form.columns[i - 1]?.kind ?? '') ? 'center' : 'left', vertical: centre ? 'middle' : 'top', wrapText: true },
  }));
  const headerRow = ws.addRow(form.columns.map((c) => c.header));
  tableStyle(headerRow, true, true);
  tableStyle(ws.addRow(form.columns.map((_, i) => `(${i + 1})`)), false, true);
  for (const r of form.rows) {
    const cells = r.cells.map((text, i) => excelCell(text, form.columns[i]?.kind));
    const added = ws.addRow(cells.map((c) => c.value));
    while (added.cellCount < n) added.getCell(added.cellCount + 1).value = null;
    tableStyle(added, !!r.strong, false);
    cells.forEach((c, i) => c.numFmt && (added.getCell(i + 1).numFmt = c.numFmt));
  }
  ws.addRow([]);
  for (const t of form.footer) line([all(t, { align: 'left', size: 14 })]);
  const s = form.signature;
  if (s) {
    ws.addRow([]);
    for (const [text, style] of [[s.placeDate ?? '', { italic: true, size: 14 }], [s.title, { bold: true, size: 14 }], [s.hint, { italic: true, size: 14 }], ['', {}], [s.name ?? '', { bold: true, size: 14 }], [s.position ?? '', { size: 14 }]] as const) {
      line([right(text, style)]);
    }
  }
  form.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width * 1.6));
  ws.views = [{ state: 'frozen', ySplit: headerRow.number + 1 }];
}

const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** 0–999 in words; `full` reads the hundreds and a lone unit as a group after a higher one does («không trăm linh năm»). */
function hundredsInWords(n: number, full: boolean): string[] {
  const [h, t, u] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  const words: string[] = [];
  if (h > 0 || full) words.push(DIGIT_WORDS[h] ?? '', 'trăm');
  if (t === 0 && u > 0 && words.length > 0) words.push('linh');
  if (t === 1) words.push('mười');
  if (t > 1) words.push(DIGIT_WORDS[t] ?? '', 'mươi');
  if (u > 0) words.push(u === 1 && t > 1 ? 'mốt' : u === 5 && t > 0 ? 'lăm' : u === 4 && t > 1 ? 'tư' : DIGIT_WORDS[u] ?? '');
  return words;
}

/** A count in Vietnamese words, for «Viết bằng chữ» (Phụ lục V): 2 «hai», 15 «mười lăm», 21 «hai mươi mốt», 105 «một trăm linh năm», 1 005 «một nghìn không trăm linh năm». */
export function numberInWords(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a count: ${n}`);
  if (n === 0) return 'không';
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1000)) groups.unshift(rest % 1000);
  const scale = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ'];
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    words.push(...hundredsInWords(g, i > 0), scale[groups.length - 1 - i] ?? '');
  });
  return words.filter(Boolean).join(' ');
}
