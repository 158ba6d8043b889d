import { PDFDocument } from '@cantoo/pdf-lib';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { batchCatalog } from './records-export.service.ts';
import { countFilesOfRecord } from './records-file-export.ts';
import { batchRepo } from './records-batch.repository.ts';
import { DOTS, drawForm, drawHeader, drawSignatures, drawTitle, embedFormFonts, PAGE, paragraph, type Cursor } from './records-forms.ts';
import type { RecordsCtx } from './records.context.ts';

const [WIDTH, HEIGHT] = [595.28, 841.89]; // A4 portrait
const SHORT_DOTS = '………';

/**
 * The Biên bản giao nhận hồ sơ, tài liệu of one hand-over batch (ND 30 Art. 30.3: both sides keep one), as one PDF, in
 * the words of the model of Phụ lục V mục V (docs/records.md): the agency and «Số: 03/BB-UBND» (Phụ lục III Mẫu 1.9)
 * left, the Quốc hiệu and Tiêu ngữ and the place and day of the hand-over right; BIÊN BẢN «Giao nhận hồ sơ, tài liệu»; the
 * grounds; BÊN GIAO (the unit, who handed over, their position) and BÊN NHẬN (Lưu trữ cơ quan, the archivist once they
 * received it); the name, time, quantity and state of what is handed over; the two signature blocks; then the Mục lục hồ
 * sơ, tài liệu nộp lưu it refers to. What vanthu does not hold — paper boxes and shelf metres, an unrecorded position,
 * the archivist before receipt — is left dotted to fill in by hand. Throws records.batch_not_found.
 */
export async function batchMinutesPdf(c: RecordsCtx & { id: string }) {
  const catalog = await batchCatalog(c);
  const { batch, agency, files } = catalog;
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Biên bản giao nhận hồ sơ, tài liệu — ${batch.unitName ?? batch.agencyName}`);
  pdf.setCreator('vanthu');
  const fonts = await embedFormFonts(pdf);
  const newPage = (): Cursor => ({ page: pdf.addPage([WIDTH, HEIGHT]), y: PAGE.top });
  let at = newPage();
  const handedOverAt = new Date(batch.handedOverAt ?? Date.now());
  const header = { parentName: agency.governingName, organName: agency.name, number: `Số: ${batch.minutesNumber}`, placeDate: formatIssueDate(agency.placeName, handedOverAt) };
  at.y = drawHeader(at.page, fonts, header, at.y) - 14;
  at.y = drawTitle(at.page, fonts, ['BIÊN BẢN', 'Giao nhận hồ sơ, tài liệu'], undefined, at.y);

  for (const p of minutesBody(batch, files, await countFilesOfRecord(c.db, await batchRepo.documentRefs(c.db, batch.id)))) at = paragraph(at, fonts, p, newPage);

  // the two signature blocks, kept together (a new page when they do not fit)
  if (at.y - 110 < PAGE.bottom) at = newPage();
  const half = (WIDTH - 60) / 2;
  drawSignatures(at.page, fonts, [
    { col: { x: 30, w: half }, title: 'ĐẠI DIỆN BÊN GIAO', hint: '(Ký và ghi rõ họ và tên)', name: batch.handedOverByName },
    { col: { x: 30 + half, w: half }, title: 'ĐẠI DIỆN BÊN NHẬN', hint: '(Ký và ghi rõ họ và tên)', name: batch.receivedByName },
  ], at.y - 10);

  // «5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo»: the batch's mục lục, after the biên bản
  for (const form of catalog.forms) drawForm(pdf, fonts, form);
  return { batch, fileName: `bien-ban-giao-nhan-${vietnamDay(handedOverAt)}.pdf`, bytes: await pdf.save({ useObjectStreams: true }) };
}

type Batch = Awaited<ReturnType<typeof batchCatalog>>['batch'];
type BatchFile = Awaited<ReturnType<typeof batchCatalog>>['files'][number];

/** The biên bản's paragraphs, the model's fixed text with what the batch knows filled in. */
function minutesBody(batch: Batch, files: readonly BatchFile[], filesOfRecord: number): { lead?: string; text: string }[] {
  const years = (list: readonly BatchFile[]) => [...new Set(list.map((f) => f.year))].sort().join(', ');
  const fromPlan = files.filter((f) => f.planEntryId !== null);
  const starts = files.map((f) => f.startDate).filter((d): d is string => !!d).sort();
  const ends = files.map((f) => f.endDate).filter((d): d is string => !!d).sort();
  const [from, to] = [starts[0], ends.at(-1)];
  const [docs, pages] = [files.reduce((n, f) => n + f.docTotal, 0), files.reduce((n, f) => n + f.pageTotal, 0)];
  const giver = batch.unitName ?? batch.handedOverByName;
  const received = batch.receivedByName !== null;
  return [
    { text: 'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;' },
    // the files opened from the agency's Danh mục hồ sơ cite it; a batch of ad hoc files leaves the ground to fill in
    { text: `Căn cứ ${fromPlan.length > 0 ? `Danh mục hồ sơ năm ${years(fromPlan)} của ${batch.agencyName}` : `${DOTS}${DOTS}`},` },
    { text: 'Chúng tôi gồm:' },
    { lead: 'BÊN GIAO:', text: giver },
    { text: `Ông (bà): ${batch.handedOverByName}` },
    { text: `Chức vụ công tác: ${batch.handedOverByPosition || DOTS}` },
    { lead: 'BÊN NHẬN:', text: 'Lưu trữ cơ quan' },
    { text: `Ông (bà): ${batch.receivedByName ?? `${DOTS}${DOTS}`}` },
    { text: `Chức vụ công tác: ${received ? batch.receivedByPosition || DOTS : DOTS}` },
    { text: 'Thống nhất lập biên bản giao nhận tài liệu với những nội dung như sau:' },
    { text: `1. Tên khối tài liệu giao nộp: Hồ sơ, tài liệu của ${giver} năm ${years(files)}` },
    { text: `2. Thời gian của hồ sơ, tài liệu: ${from && to ? `từ ngày ${vnDay(from)} đến ngày ${vnDay(to)}` : DOTS}` },
    { text: '3. Số lượng tài liệu:' },
    // vanthu hands over electronic files: the paper ones, if any go with them, are counted by hand
    { text: 'a) Đối với hồ sơ, tài liệu giấy' },
    { text: `- Tổng số hộp (cặp): ${DOTS}` },
    { text: `- Tổng số hồ sơ (đơn vị bảo quản): ${SHORT_DOTS} Quy ra mét giá: ${SHORT_DOTS} mét.` },
    { text: 'b) Đối với hồ sơ, tài liệu điện tử' },
    { text: `- Tổng số hồ sơ: ${files.length} (gồm ${docs} văn bản, ${pages} trang).` },
    { text: `- Tổng số tệp tin trong hồ sơ: ${filesOfRecord}.` },
    { text: '4. Tình trạng tài liệu giao nộp: tài liệu điện tử; chữ ký số của văn bản được Hệ thống gia hạn để kiểm tra được trong suốt thời hạn bảo quản.' },
    { text: '5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo.' },
    ...(batch.note ? [{ text: `Ghi chú: ${batch.note}` }] : []),
    { text: 'Biên bản này được lập thành hai bản; bên giao giữ một bản, bên nhận giữ một bản./.' },
  ];
}
