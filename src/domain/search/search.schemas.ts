import { z } from 'zod';
import { INCOMING_STATUSES } from '../incoming/incoming.status.ts';
import { OUTGOING_STATUSES } from '../outgoing/outgoing.status.ts';
import { RECORDS_FILE_STATUSES } from '../records/records.status.ts';
import { DOCUMENT_TYPE_CODES } from '../registers/document-types.ts';
import { DOCUMENT_ORDERS } from '../documents/search-text.ts';

/** What the search page looks in: incoming documents, outgoing documents, work files. */
export const SEARCH_KINDS = ['incoming', 'outgoing', 'records'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
/** The statuses one may filter each kind by (only when one kind is searched). */
export const SEARCH_STATUSES = { incoming: INCOMING_STATUSES, outgoing: OUTGOING_STATUSES, records: RECORDS_FILE_STATUSES } as const;
/**
 * The result orders: relevance («Liên quan nhất»: the documents whose số/ký hiệu, trích yếu or issuer hold
 * the words — the work files whose số/ký hiệu or title do — first, then those whose body alone does: a
 * document's text, the documents of a file), newest or oldest first. Absent, relevance when words are typed,
 * else each list's own order (incoming: most urgent first).
 */
export const SEARCH_ORDERS = DOCUMENT_ORDERS;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];
const ALL_STATUSES = [...new Set<string>([...INCOMING_STATUSES, ...OUTGOING_STATUSES, ...RECORDS_FILE_STATUSES])] as [string, ...string[]];

/**
 * One search of the search page, as its address holds it (/search?q=…&kind=…): what a saved search keeps
 * and what an export runs. Every field is optional; an absent kind searches all three.
 */
export const ZSearchQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Từ cần tìm (trích yếu, số/ký hiệu, nơi gửi, nội dung OCR, tiêu đề hồ sơ)'),
  kind: z.enum(SEARCH_KINDS).optional().describe('Chỉ tìm một loại: văn bản đến, văn bản đi hoặc hồ sơ (mặc định: cả ba)'),
  from: z.iso.date().optional().describe('Từ ngày (ngày văn bản; văn bản đi: ngày ban hành)'),
  to: z.iso.date().optional().describe('Đến ngày'),
  type: z.enum(DOCUMENT_TYPE_CODES).optional().describe('Loại văn bản'),
  issuer: z.string().trim().max(200).optional().describe('Cơ quan ban hành (văn bản đến)'),
  status: z.enum(ALL_STATUSES).optional().describe('Trạng thái (khi tìm một loại)'),
  year: z.string().regex(/^\d{4}$/).optional().describe('Năm hình thành hồ sơ'),
  order: z.enum(SEARCH_ORDERS).optional().describe('Thứ tự: liên quan nhất, mới nhất hoặc cũ nhất trước (mặc định: liên quan nhất khi có từ cần tìm, không thì thứ tự của từng danh sách)'),
}).strict();
export type TSearchQuery = z.infer<typeof ZSearchQuery>;

/**
 * The kinds a search looks in: the one asked, or all three, less those a field cannot apply to
 * (work files have no type, date or issuer; outgoing documents no issuer; only work files a year).
 * The page shows these sections and the export writes these tables.
 */
export function searchedKinds(q: TSearchQuery): SearchKind[] {
  return (q.kind ? [q.kind] : [...SEARCH_KINDS]).filter((kind) => {
    if (kind === 'records') return !q.from && !q.to && !q.type && !q.issuer;
    if (kind === 'outgoing') return !q.issuer && !q.year;
    return !q.year;
  });
}

/** The words a search looks for: two letters or more, else none (the lists are then asked without words). */
export const searchWords = (q: TSearchQuery): string | undefined => (q.q && q.q.trim().length >= 2 ? q.q.trim() : undefined);

/**
 * The order every list (incoming, outgoing, work files) is asked in: the one chosen, else relevance when there
 * are words — the page, a saved search and the export all read it here, so they show the same order.
 */
export const resultOrderOf = (q: TSearchQuery): SearchOrder | undefined => q.order ?? (searchWords(q) ? 'relevance' : undefined);

/** Whether a search asks anything: two letters or more, or a field (a kind or an order alone lists nothing). */
export const isSearchAsked = (q: TSearchQuery): boolean =>
  (q.q?.trim().length ?? 0) >= 2 || Boolean(q.from || q.to || q.type || q.issuer || q.status || q.year);

/** The most saved searches one user keeps. */
export const MAX_SAVED_SEARCHES = 50;
export const ZSaveSearchBody = z.object({
  name: z.string().trim().min(1).max(100).describe('Tên tìm kiếm (1–100 ký tự)'),
  query: ZSearchQuery.describe('Các điều kiện tìm kiếm'),
}).strict();
export type TSaveSearchBody = z.infer<typeof ZSaveSearchBody>;

/**
 * What a result of each kind may show besides its title (ND 30 Phụ lục VI III.6.đ): the user hides some
 * on the page (remembered in the browser) and the export leaves the same out. Ids are `kind.field`.
 */
export const SEARCH_FIELDS = {
  incoming: ['arrival', 'number', 'date', 'issuer', 'status'],
  outgoing: ['number', 'date', 'type', 'status'],
  records: ['year', 'owner', 'unit', 'retention', 'status'],
} as const satisfies Record<SearchKind, readonly string[]>;

/** An export of the current results: the search's fields, the file format and the result fields hidden. */
export const ZExportQuery = ZSearchQuery.extend({
  format: z.enum(['pdf', 'docx']).default('pdf').describe('PDF để in, hoặc DOCX để sửa trong Word'),
  hide: z.string().max(500).regex(/^[a-z_]+\.[a-z_]+(,[a-z_]+\.[a-z_]+)*$/).optional().describe('Các trường không hiển thị, cách nhau bởi dấu phẩy (ví dụ incoming.issuer,records.unit)'),
});
