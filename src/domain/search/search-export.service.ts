import { vietnamDay, vnDay } from '../../platform/dates.ts';
import type { TListIncomingQuery } from '../incoming/incoming.schemas.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { presentOutgoing } from '../outgoing/outgoing.present.ts';
import { listOutgoing } from '../outgoing/outgoing.service.ts';
import { listRecordsFiles } from '../records/records.service.ts';
import { documentType } from '../registers/document-types.ts';
import { exportSearchDocx } from './search-export.docx.ts';
import { printTablesPdf } from '../reports/reports.pdf.ts';
import { searchExportEmpty } from './search.errors.ts';
import { searchRepo } from './search.repository.ts';
import { isSearchAsked, resultOrderOf, searchedKinds, searchWords, type SearchKind, type SearchOrder, type TSearchQuery } from './search.schemas.ts';
import type { SearchCtx } from './search.service.ts';

/** The most rows of one kind an export writes; past it the file says it was cut (ND 30 Phụ lục VI III.6.h). */
export const EXPORT_LIMIT = 1000;
/** The work-file list answers at most this many (records.repository listFiles), so an export of files stops there too. */
const FILES_LIST_LIMIT = 500;

/** One kind's results as the export writes them: a title, columns (relative widths) and rows of text. */
export type ExportTable = { kind: SearchKind; title: string; columns: { header: string; width: number }[]; rows: string[][]; days: string[]; cutNote: string | null };
/** The whole export: who and what, then a table per kind searched. */
export type SearchExport = { agencyName: string; exportedOn: string; criteria: string; tables: ExportTable[] };

const KIND_NAMES: Record<SearchKind, string> = { incoming: 'VĂN BẢN ĐẾN', outgoing: 'VĂN BẢN ĐI', records: 'HỒ SƠ CÔNG VIỆC' };
const STATUS_NAMES: Record<string, string> = {
  // văn bản đến
  received: 'Chờ vào sổ', registered: 'Đã vào sổ', forwarded: 'Chờ chỉ đạo', assigned: 'Đã giao', in_progress: 'Đang xử lý', done: 'Đã xong', refused: 'Đã trả lại',
  // văn bản đi (recalled: both)
  draft: 'Dự thảo', in_review: 'Đang trình duyệt', returned: 'Bị trả lại', awaiting_signature: 'Chờ ký', signed: 'Đã ký', issued: 'Đã phát hành',
  recalled: 'Đã thu hồi', replaced: 'Đã bị thay thế', cancelled: 'Đã hủy',
  // hồ sơ
  open: 'Đang mở', closed: 'Đã kết thúc', handed_over: 'Đã nộp lưu',
};
const statusName = (s: string) => STATUS_NAMES[s] ?? s;
const numbered = (rows: string[][]) => rows.map((r, i) => [String(i + 1), ...r]);

/**
 * The search page's current results as a PDF or DOCX file (ND 30 Phụ lục VI III.6.h): the same lists,
 * asked with the same fields, as the signed-in user sees them — so nothing the user may not see — with
 * the columns the page shows, at most 1000 rows a kind (500 work files) and a line saying when cut.
 * Throws search.export_empty when the search asks nothing.
 */
export async function exportSearch(c: SearchCtx & { query: TSearchQuery; format: 'pdf' | 'docx'; hide?: string }): Promise<{ bytes: Uint8Array; fileName: string; contentType: string }> {
  if (!isSearchAsked(c.query) || searchedKinds(c.query).length === 0) throw searchExportEmpty();
  const built = await buildSearchExport({ ...c, hidden: new Set(c.hide?.split(',') ?? []) });
  const name = `ket-qua-tim-kiem-${built.exportedOn.split('/').reverse().join('-')}`;
  return c.format === 'pdf'
    ? { bytes: await printTablesPdf(built.tables.map((t) => sheetOf(built, t))), fileName: `${name}.pdf`, contentType: 'application/pdf' }
    : { bytes: await exportSearchDocx(built), fileName: `${name}.docx`, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
}

/** Runs the lists of every kind searched and shapes their rows. */
export async function buildSearchExport(c: SearchCtx & { query: TSearchQuery; hidden?: ReadonlySet<string> }): Promise<SearchExport> {
  const tables: ExportTable[] = [];
  for (const kind of searchedKinds(c.query)) tables.push(withoutHidden(await TABLES[kind](c, c.query), c.hidden ?? new Set()));
  return { agencyName: (await searchRepo.agencyName(c.db, c.actor.agencyId)) ?? '', exportedOn: vnDay(vietnamDay()), criteria: describeSearch(c.query), tables };
}

type TableOf = (c: SearchCtx, q: TSearchQuery) => Promise<ExportTable>;
const statusIf = (q: TSearchQuery, kind: SearchKind) => (q.kind === kind ? q.status : undefined);

const TABLES: Record<SearchKind, TableOf> = {
  incoming: async (c, q) => {
    const query = { box: 'all', limit: EXPORT_LIMIT + 1, offset: 0, q: searchWords(q), from: q.from, to: q.to, typeCode: q.type, issuer: q.issuer || undefined, order: resultOrderOf(q),
      status: statusIf(q, 'incoming') } as TListIncomingQuery;
    const docs = await listIncoming({ db: c.db, actor: c.actor, query });
    return table('incoming', docs.slice(0, EXPORT_LIMIT).map((d) => [
      d.arrivalNumberText ?? '', [d.number, d.notation].filter(Boolean).join('/'), d.documentDate ? vnDay(d.documentDate) : vnDay(vietnamDay(new Date(d.arrivedAt))),
      d.issuerName, d.subject || d.ocrGuess?.subject || 'Văn bản giấy chưa vào sổ', statusName(d.status),
    ]), docs.length > EXPORT_LIMIT, EXPORT_LIMIT, docs.map((d) => d.documentDate ?? vietnamDay(new Date(d.arrivedAt))));
  },
  outgoing: async (c, q) => {
    const rows = await listOutgoing({ db: c.db, actor: c.actor, query: {
      box: 'all', limit: EXPORT_LIMIT + 1, offset: 0, search: searchWords(q), from: q.from, to: q.to, typeCode: q.type, order: resultOrderOf(q), status: statusIf(q, 'outgoing'),
    } });
    const docs = rows.map(presentOutgoing);
    return table('outgoing', docs.slice(0, EXPORT_LIMIT).map((d) => [
      d.numberText ?? '', d.issuedAt ? vnDay(vietnamDay(new Date(d.issuedAt))) : '', documentType(d.typeCode)?.name ?? d.typeCode, d.subject, statusName(d.status),
    ]), docs.length > EXPORT_LIMIT, EXPORT_LIMIT, docs.map((d) => vietnamDay(new Date(d.issuedAt ?? d.createdAt))));
  },
  records: async (c, q) => {
    const files = await listRecordsFiles({ db: c.db, actor: c.actor, query: {
      scope: 'agency', q: searchWords(q), year: q.year ? Number(q.year) : undefined, order: resultOrderOf(q), status: statusIf(q, 'records') as 'open' | 'closed' | 'handed_over' | undefined,
    } });
    return table('records', files.map((f) => [f.notation, f.title, String(f.year), f.ownerName ?? '', f.unitName ?? '', f.retentionText, statusName(f.status)]),
      files.length >= FILES_LIST_LIMIT, FILES_LIST_LIMIT, files.flatMap((f) => [f.startDate ?? '', f.endDate ?? '']));
  },
};

/** Each kind's columns; `field` names the result field (SEARCH_FIELDS) a user may hide, the others always show. */
const COLUMNS: Record<SearchKind, (ExportTable['columns'][number] & { field?: string })[]> = {
  incoming: [{ header: 'STT', width: 4 }, { header: 'Số đến', width: 5, field: 'arrival' }, { header: 'Số, ký hiệu văn bản', width: 11, field: 'number' },
    { header: 'Ngày tháng văn bản', width: 8, field: 'date' }, { header: 'Cơ quan ban hành', width: 16, field: 'issuer' }, { header: 'Trích yếu nội dung', width: 30 },
    { header: 'Trạng thái', width: 9, field: 'status' }],
  outgoing: [{ header: 'STT', width: 4 }, { header: 'Số, ký hiệu văn bản', width: 11, field: 'number' }, { header: 'Ngày ban hành', width: 8, field: 'date' },
    { header: 'Loại văn bản', width: 9, field: 'type' }, { header: 'Trích yếu nội dung', width: 38 }, { header: 'Trạng thái', width: 10, field: 'status' }],
  records: [{ header: 'STT', width: 4 }, { header: 'Số, ký hiệu hồ sơ', width: 9 }, { header: 'Tiêu đề hồ sơ', width: 30 }, { header: 'Năm', width: 5, field: 'year' },
    { header: 'Người lập hồ sơ', width: 12, field: 'owner' }, { header: 'Đơn vị', width: 12, field: 'unit' }, { header: 'Thời hạn bảo quản', width: 8, field: 'retention' },
    { header: 'Trạng thái', width: 9, field: 'status' }],
};

/** The table less the columns of the fields the user hides on the page. */
function withoutHidden(t: ExportTable, hidden: ReadonlySet<string>): ExportTable {
  const keep = COLUMNS[t.kind].map((c) => !c.field || !hidden.has(`${t.kind}.${c.field}`));
  return { ...t, columns: COLUMNS[t.kind].filter((_, i) => keep[i]).map(({ header, width }) => ({ header, width })), rows: t.rows.map((r) => r.filter((_, i) => keep[i])) };
}
const UNITS: Record<SearchKind, string> = { incoming: 'văn bản', outgoing: 'văn bản', records: 'hồ sơ' };

function table(kind: SearchKind, rows: string[][], isCut: boolean, limit: number, days: string[]): ExportTable {
  const count = isCut ? `${limit} ${UNITS[kind]} đầu tiên` : `${rows.length} ${UNITS[kind]}`;
  // a cut table says so under its title, in both formats
  const cutNote = isCut ? `Chỉ xuất ${limit} ${UNITS[kind]} đầu tiên theo thứ tự đã chọn; còn kết quả khác — hãy thu hẹp điều kiện tìm kiếm để xuất đủ.` : null;
  return { kind, title: `${KIND_NAMES[kind]} (${count})`, columns: COLUMNS[kind], rows: numbered(rows), days, cutNote };
}

const ORDER_NAMES: Record<SearchOrder, string> = { relevance: 'liên quan nhất trước', newest: 'mới nhất trước', oldest: 'cũ nhất trước' };

/** The search in words, for the top of the file: «Từ: …; Loại: …». */
export function describeSearch(q: TSearchQuery): string {
  const order = resultOrderOf(q);
  const parts = [
    searchWords(q) && `từ cần tìm «${searchWords(q)}»`, q.kind && `chỉ ${KIND_NAMES[q.kind].toLowerCase()}`, q.from && `từ ngày ${vnDay(q.from)}`, q.to && `đến ngày ${vnDay(q.to)}`,
    q.type && `loại ${documentType(q.type)?.name ?? q.type}`, q.issuer && `cơ quan ban hành «${q.issuer}»`, q.status && `trạng thái ${statusName(q.status)}`,
    q.year && `năm ${q.year}`, order && ORDER_NAMES[order],
  ].filter(Boolean);
  return `Điều kiện: ${parts.join('; ')}.`;
}

/** A table as the register PDF machinery prints it: the search and the cut note under its title, the days its results span under them. */
function sheetOf(e: SearchExport, t: ExportTable) {
  const span = t.days.filter(Boolean).sort();
  return {
    title: [`KẾT QUẢ TÌM KIẾM — ${t.title}`, e.criteria, ...(t.cutNote ? [t.cutNote] : [])].join('\n'), agencyName: e.agencyName,
    fromDate: span[0] && vnDay(span[0]), toDate: span.at(-1) && vnDay(span.at(-1) ?? ''), columns: t.columns, rows: t.rows,
  };
}
