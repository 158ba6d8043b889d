import { exportRegisterXlsx, type RegisterSheet } from '../registers/register-export.ts';
import { printTablesPdf } from '../reports/reports.pdf.ts';
import { getRecordsFile, listRecordsFiles } from './records.service.ts';
import { getHandOverBatch } from './records-batch.service.ts';
import { listKeptFiles } from './records-hand-over.service.ts';
import { listPlan } from './records-plan.service.ts';
import { recordsRepo } from './records.repository.ts';
import type { TListFilesQuery } from './records.schemas.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import type { RecordsCtx } from './records.context.ts';
import type { TFiledDocumentView, TRecordsFileView } from './records.present.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';

/** The columns of the mục lục văn bản, tài liệu trong hồ sơ (ND 30 Phụ lục V). */
const FILE_INDEX_COLUMNS = [
  { header: 'STT', width: 5, kind: 'count' }, { header: 'Số, ký hiệu văn bản', width: 14 }, { header: 'Ngày tháng năm văn bản', width: 11 },
  { header: 'Tên loại và trích yếu nội dung văn bản', width: 40 }, { header: 'Tác giả văn bản', width: 20 }, { header: 'Tờ số/ Trang số', width: 8, kind: 'count' },
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
  const sheet = fileIndexSheet(file, documents);
  return { file, sheet, toPdf: () => printTablesPdf([sheet]), toXlsx: () => exportRegisterXlsx(sheet) };
}

/** The mục lục văn bản trong hồ sơ of a file already loaded (getRecordsFile), as a table to print. */
export function fileIndexSheet(file: TRecordsFileView, documents: readonly TFiledDocumentView[]): RegisterSheet {
  let page = 1;
  const rows = documents.map((d) => {
    const pages = d.pageCount ? (d.pageCount > 1 ? `${page}–${page + d.pageCount - 1}` : String(page)) : '';
    page += d.pageCount ?? 0;
    const subject = d.subject === null ? 'Văn bản mật' : [d.typeName, d.subject].filter(Boolean).join(' ');
    return [String(d.ordinal), d.number, vnDate(d.documentDate), subject, d.author, pages, d.ownerType === 'incoming' ? 'Văn bản đến' : 'Văn bản đi'];
  });
  return {
    title: `MỤC LỤC VĂN BẢN TRONG HỒ SƠ SỐ ${file.notation}`, agencyName: file.agencyName, year: file.year,
    fromDate: vnDate(file.startDate) || undefined, toDate: vnDate(file.endDate) || undefined, columns: FILE_INDEX_COLUMNS, rows,
  };
}

/** The columns of the mục lục hồ sơ (ND 30 Phụ lục V, "Mục lục hồ sơ, tài liệu nộp lưu"). */
const FILES_CATALOG_COLUMNS = [
  { header: 'Số TT', width: 5, kind: 'count' }, { header: 'Số, ký hiệu hồ sơ', width: 11 }, { header: 'Tiêu đề hồ sơ', width: 40 }, { header: 'Thời gian tài liệu', width: 16 },
  { header: 'Thời hạn bảo quản', width: 10, kind: 'years' }, { header: 'Số tờ/ Số trang', width: 8, kind: 'count' }, { header: 'Ghi chú', width: 16 },
] as const;

/**
 * The mục lục hồ sơ of the files a list shows (ND 30 Phụ lục V; Phụ lục VI mục V.6), by số/ký hiệu: of the
 * files handed over ("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", what the archivist receives with them) or of any
 * list, as PDF to print or XLSX. Only files the actor may see; the filters are the list's.
 */
export async function filesCatalog(c: RecordsCtx & { query: TListFilesQuery }) {
  const files = await listRecordsFiles(c);
  const title = `${c.query.status === 'handed_over' ? 'MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU' : 'MỤC LỤC HỒ SƠ'}${c.query.year ? ` NĂM ${c.query.year}` : ''}`;
  return catalogExport(catalogSheet(files, title, c.query.year ?? vietnamYear(new Date())));
}

/** The table of a mục lục hồ sơ (Phụ lục V columns) of some files, in order of year and số/ký hiệu. */
function catalogSheet(list: readonly TRecordsFileView[], title: string, year: number, agencyName = list[0]?.agencyName ?? ''): RegisterSheet {
  const files = [...list].sort((a, b) => a.year - b.year || a.notation.localeCompare(b.notation, 'vi', { numeric: true }));
  const rows = files.map((f, i) => [
    String(i + 1), f.notation, f.title, f.startDate ? `${vnDate(f.startDate)} – ${vnDate(f.endDate)}` : '', f.retentionText, f.pageTotal ? String(f.pageTotal) : '',
    f.handedOverAt ? `Nộp lưu ${vnDay(vietnamDay(new Date(f.handedOverAt)))}` : f.status === 'closed' ? 'Đã kết thúc' : 'Đang mở',
  ]);
  return { title, agencyName, year, columns: FILES_CATALOG_COLUMNS, rows };
}
const catalogExport = (sheet: RegisterSheet) => ({ sheet, toPdf: () => printTablesPdf([sheet]), toXlsx: () => exportRegisterXlsx(sheet) });

/**
 * The Mục lục hồ sơ, tài liệu nộp lưu of one hand-over batch (ND 30 Art. 30.3, Phụ lục V): its files, by số/ký hiệu,
 * under the unit that handed them over, as PDF or XLSX. Throws records.batch_not_found.
 */
export async function batchCatalog(c: RecordsCtx & { id: string }) {
  const { batch, files } = await getHandOverBatch(c);
  const day = vietnamDay(new Date(batch.handedOverAt ?? Date.now()));
  const title = `MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU${batch.unitName ? ` — ${batch.unitName.toUpperCase()}` : ''} (NỘP LƯU NGÀY ${vnDay(day)})`;
  return { batch, files, ...catalogExport(catalogSheet(files, title, Number(day.slice(0, 4)), batch.agencyName)) };
}

/** The columns of the Danh mục hồ sơ, tài liệu giữ lại (ND 30 Art. 31.3.d: sent to the agency archive). */
const KEPT_COLUMNS = [
  { header: 'Số TT', width: 5, kind: 'count' }, { header: 'Số, ký hiệu hồ sơ', width: 10 }, { header: 'Tiêu đề hồ sơ', width: 32 },
  { header: 'Đơn vị, người lập hồ sơ', width: 18 }, { header: 'Thời hạn bảo quản', width: 9, kind: 'years' }, { header: 'Ngày đến hạn nộp lưu', width: 10 },
  { header: 'Giữ lại đến ngày', width: 10 }, { header: 'Lý do giữ lại', width: 26 }, { header: 'Lãnh đạo đồng ý', width: 16 },
] as const;

/**
 * The Danh mục hồ sơ, tài liệu giữ lại (ND 30 Art. 31.3.d: «phải lập Danh mục hồ sơ, tài liệu giữ lại gửi Lưu trữ cơ
 * quan») of a year or all: the files the list «Hồ sơ giữ lại» shows the actor (listKeptFiles), soonest due first, as PDF
 * to print or XLSX, printed as the other mục lục are. Throws forbidden.
 */
export async function keptExport(c: RecordsCtx & { year?: number }) {
  const kept = await listKeptFiles(c);
  const rows = kept.map((k, i) => [
    String(i + 1), k.notation, k.title, [k.unitName, k.ownerName].filter(Boolean).join(' — '), k.retentionText, vnDate(k.legalDueDate), vnDate(k.keepUntil),
    k.reason, [k.decidedByName, k.decidedAt && `ngày ${vnDay(vietnamDay(new Date(k.decidedAt)))}`, k.note].filter(Boolean).join(', '),
  ]);
  const year = c.year ?? vietnamYear(new Date());
  const sheet: RegisterSheet = {
    title: `DANH MỤC HỒ SƠ, TÀI LIỆU GIỮ LẠI${c.year ? ` NĂM ${c.year}` : ''}`, agencyName: await recordsRepo.findAgencyName(c.db, c.actor.agencyId), year, columns: KEPT_COLUMNS, rows,
  };
  return { year: c.year, ...catalogExport(sheet) };
}

/** The columns of the Danh mục hồ sơ (ND 30 Phụ lục V, mẫu Danh mục hồ sơ). */
const PLAN_COLUMNS = [
  { header: 'Số và ký hiệu hồ sơ', width: 10 }, { header: 'Tên đề mục và tiêu đề hồ sơ', width: 44 }, { header: 'Thời hạn bảo quản', width: 10, kind: 'years' },
  { header: 'Người lập hồ sơ', width: 16 }, { header: 'Ghi chú', width: 14 },
] as const;

/**
 * The agency's Danh mục hồ sơ of a year as the mẫu of Phụ lục V prints it — each đề mục on its own line,
 * its files under it, and the closing sentence with how many files are kept for ever and for a term — as
 * PDF to print (and attach to the Quyết định) or XLSX. Throws forbidden.
 */
export async function planExport(c: RecordsCtx & { year?: number }) {
  const plan = await listPlan(c);
  const rows: string[][] = [];
  for (const heading of [...new Set(plan.entries.map((e) => e.heading))]) {
    if (heading) rows.push(['', heading, '', '', '']);
    for (const e of plan.entries.filter((x) => x.heading === heading)) rows.push([e.notation, e.title, e.retentionText, e.ownerName ?? '', e.note]);
  }
  const { all, permanent, term } = plan.totals;
  rows.push(['', `Danh mục hồ sơ này có ${all} hồ sơ, bao gồm: ${permanent} hồ sơ bảo quản vĩnh viễn; ${term} hồ sơ bảo quản có thời hạn.`, '', '', '']);
  const sheet: RegisterSheet = { title: 'DANH MỤC HỒ SƠ', agencyName: await recordsRepo.findAgencyName(c.db, c.actor.agencyId), year: plan.year, columns: PLAN_COLUMNS, rows };
  return { year: plan.year, toPdf: () => printTablesPdf([sheet]), toXlsx: () => exportRegisterXlsx(sheet) };
}
