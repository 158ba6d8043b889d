import { exportRegisterXlsx, type RegisterSheet } from '../registers/register-export.ts';
import { printTablesPdf } from '../reports/reports.pdf.ts';
import { getRecordsFile } from './records.service.ts';
import type { RecordsCtx } from './records.context.ts';
import { vnDay } from '../../platform/dates.ts';

/** The columns of the mục lục văn bản, tài liệu trong hồ sơ (ND 30 Phụ lục V). */
const FILE_INDEX_COLUMNS = [
  { header: 'STT', width: 5 }, { header: 'Số, ký hiệu văn bản', width: 14 }, { header: 'Ngày tháng năm văn bản', width: 11 },
  { header: 'Tên loại và trích yếu nội dung văn bản', width: 40 }, { header: 'Tác giả văn bản', width: 20 }, { header: 'Tờ số/ Trang số', width: 8 },
  { header: 'Ghi chú', width: 12 },
] as const;

const vnDate = (iso: string | null) => (iso ? vnDay(iso) : '');

/**
 * The mục lục văn bản trong hồ sơ of one file (Phụ lục V; Phụ lục VI mục V.5), as PDF to print or XLSX,
 * the table printed as the reports are (no register cover page), XLSX as the registers. Pages run on from one document to the next (Tờ số/Trang số).
 * A Mật document the actor may not open is listed as "Văn bản mật". Throws records.file_not_found.
 */
export async function fileIndex(c: RecordsCtx & { id: string }) {
  const { file, documents } = await getRecordsFile(c);
  let page = 1;
  const rows = documents.map((d) => {
    const pages = d.pageCount ? (d.pageCount > 1 ? `${page}–${page + d.pageCount - 1}` : String(page)) : '';
    page += d.pageCount ?? 0;
    const subject = d.subject === null ? 'Văn bản mật' : [d.typeName, d.subject].filter(Boolean).join(' ');
    return [String(d.ordinal), d.number, vnDate(d.documentDate), subject, d.author, pages, d.ownerType === 'incoming' ? 'Văn bản đến' : 'Văn bản đi'];
  });
  const sheet: RegisterSheet = {
    title: `MỤC LỤC VĂN BẢN TRONG HỒ SƠ SỐ ${file.notation}`, agencyName: file.agencyName, year: file.year,
    fromDate: vnDate(file.startDate) || undefined, toDate: vnDate(file.endDate) || undefined, columns: FILE_INDEX_COLUMNS, rows,
  };
  return { file, sheet, toPdf: () => printTablesPdf([sheet]), toXlsx: () => exportRegisterXlsx(sheet) };
}
