import { exportRegisterXlsx, type RegisterSheet } from '../registers/register-export.ts';
import { printTablesPdf } from '../reports/reports.pdf.ts';
import { getRecordsFile, listRecordsFiles } from './records.service.ts';
import { listKeptFiles } from './records-hand-over.service.ts';
import { listPlan } from './records-plan.service.ts';
import { findUsersByIds } from '../users/users.directory.ts';
import { agencyHeading } from '../orgs/orgs.service.ts';
import type { TListFilesQuery } from './records.schemas.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import type { RecordsCtx } from './records.context.ts';
import type { TFiledDocumentView, TRecordsFileView } from './records.present.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { byNotation, getHandOverBatch } from './records-batch.service.ts';
import { formsPdf, formsXlsx, numberInWords, type FormHeader, type FormSignature, type RecordsForm } from './records-forms.ts';

/**
 * The columns of the mục lục văn bản, tài liệu trong hồ sơ (ND 30 Phụ lục V). Số, ký hiệu is wide enough for a number such as
 * «13250/BTC-NSNN» or «1187/SKHCN-CĐS» on one line of the A4 page (it broke inside the ký hiệu: «1187/SKHC» «N-CĐS»), and the date
 * for dd/mm/yyyy; the trích yếu and the tác giả wrap.
 */
const FILE_INDEX_COLUMNS = [
  { header: 'STT', width: 6, kind: 'count' }, { header: 'Số, ký hiệu văn bản', width: 21 }, { header: 'Ngày tháng năm văn bản', width: 13 },
  { header: 'Tên loại và trích yếu nội dung văn bản', width: 26 }, { header: 'Tác giả văn bản', width: 14 }, { header: 'Tờ số/ Trang số', width: 11, kind: 'count' },
  { header: 'Ghi chú', width: 9 },
] as const;

const vnDate = (iso: string | null) => (iso ? vnDay(iso) : '');

/**
 * The Mục lục văn bản, tài liệu of one file (Phụ lục V mục IV; Phụ lục VI mục V.5), as PDF to print or XLSX.
 * Pages run on from one document to the next (Tờ số/Trang số). A Mật document the actor may not open is listed
 * as "Văn bản mật". Throws records.file_not_found.
 */
export async function fileIndex(c: RecordsCtx & { id: string }) {
  const { file, documents } = await getRecordsFile(c);
  const form = fileIndexForm(file, documents);
  return { file, form, toPdf: () => formsPdf([form], `Mục lục văn bản, tài liệu — ${file.notation}`), toXlsx: () => formsXlsx([form]) };
}

/** The Mục lục văn bản, tài liệu of a file already loaded (getRecordsFile), as the model prints it: no header, «Số, ký hiệu hồ sơ» and «Năm» under the name. */
export function fileIndexForm(file: TRecordsFileView, documents: readonly TFiledDocumentView[]): RecordsForm {
  let page = 1;
  const rows = documents.map((d) => {
    const pages = d.pageCount ? (d.pageCount > 1 ? `${page}–${page + d.pageCount - 1}` : String(page)) : '';
    page += d.pageCount ?? 0;
    const subject = d.subject === null ? 'Văn bản mật' : [d.typeName, d.subject].filter(Boolean).join(' ');
    return { cells: [String(d.ordinal), d.number, vnDate(d.documentDate), subject, d.author, pages, d.ownerType === 'incoming' ? 'Văn bản đến' : 'Văn bản đi'] };
  });
  return {
    sheetName: 'Mục lục văn bản', title: ['MỤC LỤC VĂN BẢN, TÀI LIỆU', `Số, ký hiệu hồ sơ: ${file.notation}`, `Năm ${file.year}`],
    columns: FILE_INDEX_COLUMNS, rows, footer: [],
  };
}

/** The columns of the mục lục hồ sơ (ND 30 Phụ lục V mục III, "Mục lục hồ sơ, tài liệu nộp lưu"). */
const FILES_CATALOG_COLUMNS = [
  { header: 'Số TT', width: 6, kind: 'count' }, { header: 'Số, ký hiệu hồ sơ', width: 12 }, { header: 'Tiêu đề hồ sơ', width: 34 }, { header: 'Thời gian tài liệu', width: 15 },
  { header: 'Thời hạn bảo quản', width: 10, kind: 'years' }, { header: 'Số tờ/ Số trang', width: 10, kind: 'count' }, { header: 'Ghi chú', width: 13 },
] as const;

/**
 * Phụ lục V's two mục lục: «Mục lục hồ sơ, tài liệu bảo quản vĩnh viễn và Mục lục hồ sơ, tài liệu bảo quản có thời hạn
 * được lập riêng thành 02 Mục lục khác nhau. Đối với Mục lục hồ sơ, tài liệu bảo quản vĩnh viễn bỏ cột thời hạn bảo quản.»
 */
const RETENTION_CLASSES = [
  { name: 'Bảo quản vĩnh viễn', permanent: true, columns: FILES_CATALOG_COLUMNS.filter((col) => col.header !== 'Thời hạn bảo quản') },
  { name: 'Bảo quản có thời hạn', permanent: false, columns: FILES_CATALOG_COLUMNS },
] as const;

/** The signature of a mục lục hồ sơ (Phụ lục V mục III): who drew it up, where and when. */
const catalogSignature = (placeDate: string, name: string | null, position: string | null): FormSignature =>
  ({ placeDate, title: 'Người lập', hint: '(Ký và ghi rõ họ và tên, chức vụ)', name, position: position || null });

/**
 * The mục lục hồ sơ of some files as Phụ lục V mục III prints it, one for the files kept for ever and one for those kept
 * for a term (either left out when it has none), each numbered from 1, in order of year and số/ký hiệu, closed by
 * «Mục lục này gồm: N hồ sơ (đơn vị bảo quản).» with N in words, and signed by the Người lập.
 */
function catalogForms(list: readonly TRecordsFileView[], o: { title: string; header: FormHeader; signature: FormSignature; year: number }): RecordsForm[] {
  const files = [...list].sort(byNotation);
  const forms = RETENTION_CLASSES.map(({ name, permanent, columns }) => {
    const mine = files.filter((f) => (f.retention === 'permanent') === permanent);
    const rows = mine.map((f, i) => ({
      cells: [
        String(i + 1), f.notation, f.title, f.startDate ? `${vnDate(f.startDate)} – ${vnDate(f.endDate)}` : '', ...(permanent ? [] : [f.retentionText]), f.pageTotal ? String(f.pageTotal) : '',
        f.handedOverAt ? `Nộp lưu ${vnDay(vietnamDay(new Date(f.handedOverAt)))}` : f.status === 'closed' ? 'Đã kết thúc' : 'Đang mở',
      ],
    }));
    const years = [...new Set(mine.map((f) => f.year))].sort();
    return { sheetName: name, header: o.header, title: [o.title, name, `Năm ${years.join(', ')}`], columns, rows, footer: catalogFooter(mine.length), signature: o.signature };
  }).filter((f) => f.rows.length > 0);
  return forms.length > 0 ? forms : [{ sheetName: 'Mục lục hồ sơ', header: o.header, title: [o.title, `Năm ${o.year}`], columns: FILES_CATALOG_COLUMNS, rows: [], footer: catalogFooter(0), signature: o.signature }];
}
/** The position (chức vụ) of the one who prints a form and signs it as its Người lập, '' when none is recorded. */
const printerPosition = async (c: RecordsCtx) =>
  (await findUsersByIds(c.db, [c.actor.id])).find((u) => u.agencyId === c.actor.agencyId)?.position ?? '';

const catalogFooter = (n: number) => [`Mục lục này gồm: ${n} hồ sơ (đơn vị bảo quản).`, `Viết bằng chữ: ${numberInWords(n)} hồ sơ (đơn vị bảo quản).`];

/**
 * The mục lục hồ sơ of the files a list shows (ND 30 Phụ lục V; Phụ lục VI mục V.6): of the files handed over
 * ("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU") or of any list ("MỤC LỤC HỒ SƠ"), under the agency, signed by whoever prints it,
 * as PDF to print or XLSX. Only files the actor may see; the filters are the list's.
 */
export async function filesCatalog(c: RecordsCtx & { query: TListFilesQuery }) {
  const files = await listRecordsFiles(c);
  const agency = await agencyHeading(c.db, c.actor.agencyId);
  const title = c.query.status === 'handed_over' ? 'MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU' : 'MỤC LỤC HỒ SƠ';
  const forms = catalogForms(files, {
    title, header: { parentName: agency.governingName, organName: agency.name }, year: c.query.year ?? vietnamYear(new Date()),
    signature: catalogSignature(formatIssueDate(agency.placeName, new Date()), c.actor.fullName, await printerPosition(c)),
  });
  return { forms, toPdf: () => formsPdf(forms, `${title} — ${agency.name}`), toXlsx: () => formsXlsx(forms) };
}

/**
 * The Mục lục hồ sơ, tài liệu nộp lưu of one hand-over batch (ND 30 Art. 30.3, Phụ lục V mục III): its files under the
 * unit that handed them over (ô 2: the agency as its cơ quan chủ quản, then TÊN ĐƠN VỊ, «Tên đơn vị nộp lưu hồ sơ, tài
 * liệu»), signed by the one who handed them over, dated the day of the hand-over at the agency's place, as PDF or XLSX.
 * Throws records.batch_not_found.
 */
export async function batchCatalog(c: RecordsCtx & { id: string }) {
  const { batch, files } = await getHandOverBatch(c);
  const agency = await agencyHeading(c.db, c.actor.agencyId); // a batch is seen only in its own agency (records.batch.view)
  const handedOverAt = new Date(batch.handedOverAt ?? Date.now());
  const header = { parentName: batch.unitName ? agency.name : agency.governingName, organName: batch.unitName ?? agency.name };
  const forms = catalogForms(files, {
    title: 'MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU', header, year: vietnamYear(handedOverAt),
    signature: catalogSignature(formatIssueDate(agency.placeName, handedOverAt), batch.handedOverByName, batch.handedOverByPosition),
  });
  return { batch, agency, files, forms, toPdf: () => formsPdf(forms, `Mục lục hồ sơ, tài liệu nộp lưu — ${header.organName}`), toXlsx: () => formsXlsx(forms) };
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
  const agency = await agencyHeading(c.db, c.actor.agencyId);
  const sheet: RegisterSheet = {
    title: `DANH MỤC HỒ SƠ, TÀI LIỆU GIỮ LẠI${c.year ? ` NĂM ${c.year}` : ''}`, parentAgencyName: agency.governingName ?? undefined, agencyName: agency.name, year, columns: KEPT_COLUMNS, rows,
  };
  return { year: c.year, toPdf: () => printTablesPdf([sheet]), toXlsx: () => exportRegisterXlsx(sheet) };
}

/** The columns of the Danh mục hồ sơ (ND 30 Phụ lục V, mẫu Danh mục hồ sơ). */
const PLAN_COLUMNS = [
  { header: 'Số và ký hiệu hồ sơ', width: 13 }, { header: 'Tên đề mục và tiêu đề hồ sơ', width: 44 }, { header: 'Thời hạn bảo quản', width: 11, kind: 'years' },
  { header: 'Người lập hồ sơ', width: 18 }, { header: 'Ghi chú', width: 12 },
] as const;

/**
 * The agency's Danh mục hồ sơ of a year as the model of Phụ lục V mục II prints it — the agency and the Quốc hiệu over
 * «DANH MỤC HỒ SƠ», «Năm …» and the Quyết định it goes with (dotted: vanthu does not hold that decision), each đề mục
 * on its own line in bold, its files under it, and the closing lines with how many files are kept for ever and for a
 * term — as PDF to print (and attach to the Quyết định) or XLSX. Throws forbidden.
 */
export async function planExport(c: RecordsCtx & { year?: number }) {
  const plan = await listPlan(c);
  const rows: RecordsForm['rows'][number][] = [];
  for (const heading of [...new Set(plan.entries.map((e) => e.heading))]) {
    if (heading) rows.push({ cells: ['', heading, '', '', ''], strong: true });
    for (const e of plan.entries.filter((x) => x.heading === heading)) rows.push({ cells: [e.notation, e.title, e.retentionText, e.ownerName ?? e.unitName ?? '', e.note] });
  }
  const { all, permanent, term } = plan.totals;
  const agency = await agencyHeading(c.db, c.actor.agencyId);
  const form: RecordsForm = {
    sheetName: 'Danh mục hồ sơ', header: { parentName: agency.governingName, organName: agency.name },
    title: ['DANH MỤC HỒ SƠ', `Năm ${plan.year}`], note: '(Kèm theo Quyết định số ….. ngày ….. tháng ….. năm …… của……)', columns: PLAN_COLUMNS, rows,
    footer: [`Danh mục hồ sơ này có ${all} hồ sơ, bao gồm:`, `${permanent} hồ sơ bảo quản vĩnh viễn;`, `${term} hồ sơ bảo quản có thời hạn.`],
  };
  return { year: plan.year, form, toPdf: () => formsPdf([form], `Danh mục hồ sơ năm ${plan.year} — ${agency.name}`), toXlsx: () => formsXlsx([form]) };
}
