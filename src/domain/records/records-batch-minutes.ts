import { PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { embedSerifFont, embedSerifFonts } from '../documents/pdf-fonts.ts';
import { wrap } from '../registers/register-export.ts';
import { batchCatalog } from './records-export.service.ts';
import type { RecordsCtx } from './records.context.ts';

const [WIDTH, HEIGHT] = [595.28, 841.89]; // A4 portrait
const MARGIN = 56;
const SIZE = 13;
const LINE = SIZE + 5;
const DOTS = '……………………';

/** «ngày 07 tháng 12 năm 2026» of a YYYY-MM-DD day. */
const longDay = (day: string) => `ngày ${day.slice(8, 10)} tháng ${day.slice(5, 7)} năm ${day.slice(0, 4)}`;

type Fonts = { regular: PDFFont; bold: PDFFont };
type Cursor = { page: PDFPage; y: number };

/**
 * The Biên bản giao nhận hồ sơ, tài liệu of one hand-over batch (ND 30 Art. 30.3: both sides keep one), as one PDF:
 * the administrative layout (agency left, national motto right, BIÊN BẢN), the grounds, the two sides — Bên nhận
 * named once the archivist received the batch, else left to fill in — what is handed over (the files, their time,
 * how many files, documents and pages, their state), the two signature blocks, then the Mục lục hồ sơ, tài liệu nộp
 * lưu it refers to. Our rendering of the model of Phụ lục V, not a verbatim copy (docs/records.md). Throws records.batch_not_found.
 */
export async function batchMinutesPdf(c: RecordsCtx & { id: string }) {
  const catalog = await batchCatalog(c);
  const { batch } = catalog;
  const { files } = catalog;
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Biên bản giao nhận hồ sơ, tài liệu — ${batch.unitName ?? batch.agencyName}`);
  pdf.setCreator('vanthu');
  const fonts = await embedSerifFonts(pdf);
  const at: Cursor = { page: pdf.addPage([WIDTH, HEIGHT]), y: HEIGHT - MARGIN };

  // the header: TÊN CƠ QUAN, TỔ CHỨC left, Quốc hiệu and Tiêu ngữ right, each centred in its column
  const [left, right] = [{ x: MARGIN - 30, w: 230 }, { x: 255, w: WIDTH - 255 - MARGIN + 25 }];
  let yLeft = at.y;
  for (const t of wrap(batch.agencyName.toUpperCase(), fonts.bold, 12, left.w)) yLeft = centred(at.page, t, fonts.bold, 12, left, yLeft);
  rule(at.page, left, yLeft + 2, 60);
  let yRight = centred(at.page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', fonts.bold, 12, right, at.y);
  yRight = centred(at.page, 'Độc lập - Tự do - Hạnh phúc', fonts.bold, 13, right, yRight);
  rule(at.page, right, yRight + 2, 170);
  // ô 3 under the agency, «Số: 03/BB-UBND»; ô 4 on the same line under the motto, «Thái Hòa, ngày 07 tháng 12 năm 2026» in italics
  const italic = await embedSerifFont(pdf, 'italic'); // ND 30 Phụ lục I: the place and date «kiểu chữ nghiêng»
  const numberY = Math.min(yLeft, yRight) - 8;
  yLeft = centred(at.page, `Số: ${batch.minutesNumber}`, fonts.regular, SIZE, left, numberY);
  yRight = numberY;
  for (const t of wrap(formatIssueDate(batch.placeName, new Date(batch.handedOverAt ?? Date.now())), italic, SIZE, right.w)) yRight = centred(at.page, t, italic, SIZE, right, yRight);
  at.y = Math.min(yLeft, yRight) - 24;

  at.y = centred(at.page, 'BIÊN BẢN', fonts.bold, 14, { x: 0, w: WIDTH }, at.y);
  at.y = centred(at.page, 'Về việc giao nhận hồ sơ, tài liệu', fonts.bold, 13, { x: 0, w: WIDTH }, at.y) - 14;

  const handedDay = vietnamDay(new Date(batch.handedOverAt ?? Date.now()));
  const years = [...new Set(files.map((f) => f.year))].sort();
  const starts = files.map((f) => f.startDate).filter((d): d is string => !!d).sort();
  const ends = files.map((f) => f.endDate).filter((d): d is string => !!d).sort();
  const [from, to] = [starts[0], ends[ends.length - 1]];
  const docs = files.reduce((n, f) => n + f.docTotal, 0);
  const pages = files.reduce((n, f) => n + f.pageTotal, 0);
  const giver = batch.unitName ?? batch.agencyName;
  const paragraphs: [string, boolean?][] = [
    ['Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;'],
    [`Căn cứ Danh mục hồ sơ năm ${years.join(', ')} của ${batch.agencyName};`],
    [`Hôm nay, ${longDay(handedDay)}, tại ${batch.agencyName}.`],
    ['Chúng tôi gồm:', true],
    [`Bên giao: ${giver}, ông (bà) ${batch.handedOverByName}, chức vụ ${batch.handedOverByPosition || DOTS}.`],
    [`Bên nhận: Lưu trữ cơ quan, ông (bà) ${batch.receivedByName ?? DOTS}, chức vụ ${batch.receivedByName ? batch.receivedByPosition || DOTS : DOTS}${batch.receivedAt ? `; tiếp nhận ${longDay(vietnamDay(new Date(batch.receivedAt)))}` : ''}.`],
    ['Thống nhất lập biên bản giao nhận tài liệu như sau:', true],
    [`1. Tên khối tài liệu giao nộp: Hồ sơ, tài liệu của ${giver} năm ${years.join(', ')}.`],
    [`2. Thời gian của tài liệu: ${from && to ? `từ ngày ${vnDay(from)} đến ngày ${vnDay(to)}` : DOTS}.`],
    [`3. Số lượng tài liệu: tổng số hồ sơ: ${files.length}; số văn bản: ${docs}; số trang: ${pages}.`],
    ['4. Tình trạng tài liệu giao nộp: tài liệu điện tử, giao nộp trên Hệ thống; các tệp PDF ký số của văn bản được Hệ thống theo dõi và gia hạn để chữ ký số kiểm tra được trong suốt thời hạn bảo quản.'],
    [`5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo (${files.length} hồ sơ).`],
    ...(batch.note ? [[`Ghi chú: ${batch.note}`] as [string]] : []),
    ['Biên bản này được lập thành hai bản; mỗi bên giữ một bản.'],
  ];
  for (const [text, bold] of paragraphs) {
    const font = bold ? fonts.bold : fonts.regular;
    wrap(text, font, SIZE, WIDTH - 2 * MARGIN).forEach((t, i) => {
      const indent = i === 0 ? 24 : 0;
      at.page.drawText(t, { x: MARGIN + indent, y: at.y - SIZE, size: SIZE, font });
      at.y -= LINE;
    });
    at.y -= 3;
  }

  // the two signature blocks; a new page when they do not fit
  if (at.y < MARGIN + 120) Object.assign(at, { page: pdf.addPage([WIDTH, HEIGHT]), y: HEIGHT - MARGIN });
  at.y -= 16;
  const [giving, receiving] = [{ x: MARGIN - 20, w: 240 }, { x: WIDTH / 2 + 10, w: 240 }];
  for (const [col, title, name] of [[giving, 'ĐẠI DIỆN BÊN GIAO', batch.handedOverByName], [receiving, 'ĐẠI DIỆN BÊN NHẬN', batch.receivedByName ?? '']] as const) {
    const y = centred(at.page, title, fonts.bold, SIZE, col, at.y);
    centred(at.page, '(Ký tên, ghi rõ họ tên)', fonts.regular, 11, col, y);
    if (name) centred(at.page, name, fonts.bold, SIZE, col, y - 80);
  }

  // «kèm theo»: the batch's Mục lục hồ sơ, tài liệu nộp lưu, after the biên bản
  const attached = await PDFDocument.load(await catalog.toPdf());
  for (const p of await pdf.copyPages(attached, attached.getPageIndices())) pdf.addPage(p);
  return { batch, fileName: `bien-ban-giao-nhan-${handedDay}.pdf`, bytes: await pdf.save({ useObjectStreams: true }) };
}



/** One line centred in a column; returns the y below it. */
function centred(page: PDFPage, text: string, font: PDFFont, size: number, col: { x: number; w: number }, y: number): number {
  page.drawText(text, { x: col.x + (col.w - font.widthOfTextAtSize(text, size)) / 2, y: y - size, size, font });
  return y - size - 5;
}

/** A short line under a heading, centred in its column. */
function rule(page: PDFPage, col: { x: number; w: number }, y: number, length: number) {
  page.drawLine({ start: { x: col.x + (col.w - length) / 2, y }, end: { x: col.x + (col.w + length) / 2, y }, thickness: 0.6 });
}
