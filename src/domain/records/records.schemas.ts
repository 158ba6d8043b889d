import { z } from 'zod';
import { DOCUMENT_ORDERS } from '../documents/search-text.ts';

/** Thời hạn bảo quản: Vĩnh viễn or a number of years (ND 30 Phụ lục V.I.4; TT 02/2019 `maintenance` codes). */
export const RETENTIONS = ['permanent', '70', '50', '30', '20', '10', '5', '2'] as const;
export const ZRetention = z.enum(RETENTIONS).describe('Thời hạn bảo quản: permanent (Vĩnh viễn) hoặc số năm');
const ZYear = z.coerce.number().int().min(2000).max(2100);
const ZNotation = z.string().trim().min(1).max(20).describe('Số và ký hiệu hồ sơ, ví dụ 01.TH');
const ZTitle = z.string().trim().min(1).max(500).describe('Tiêu đề hồ sơ');

export const ZPlanQuery = z.object({ year: ZYear.optional().describe('Năm của danh mục (mặc định: năm nay)') });
export const ZPlanEntryBody = z.object({
  year: ZYear.describe('Năm của danh mục'),
  heading: z.string().trim().max(200).default('').describe('Đề mục (ví dụ I. TỔNG HỢP)'),
  notation: ZNotation,
  title: ZTitle,
  retention: ZRetention,
  unitId: z.uuid().nullable().default(null).describe('Đơn vị lập hồ sơ'),
  ownerId: z.uuid().nullable().default(null).describe('Người lập hồ sơ'),
  note: z.string().trim().max(500).default('').describe('Ghi chú'),
}).strict();
export type TPlanEntryBody = z.infer<typeof ZPlanEntryBody>;

export const ZCopyPlanBody = z.object({ fromYear: ZYear.describe('Năm chép từ'), toYear: ZYear.describe('Năm chép sang') }).strict();

export const ZListFilesQuery = z.object({
  scope: z.enum(['mine', 'unit', 'agency']).default('mine').describe('Hồ sơ của tôi, của đơn vị, của cơ quan'),
  year: ZYear.optional().describe('Năm hình thành hồ sơ'),
  status: z.enum(['open', 'closed', 'handed_over']).optional().describe('Trạng thái'),
  handOver: z.enum(['due']).optional().describe('due: hồ sơ đã kết thúc đến hạn (trong 30 ngày tới) hoặc quá hạn nộp lưu vào Lưu trữ cơ quan'),
  q: z.string().trim().max(200).optional().describe('Từ trong số/ký hiệu, tiêu đề hồ sơ, hoặc trích yếu, số/ký hiệu, nơi gửi của văn bản trong hồ sơ'),
  order: z.enum(DOCUMENT_ORDERS).optional()
    .describe('relevance: liên quan nhất trước (cần q; không có q thì như mặc định); newest: mới mở trước; oldest: cũ nhất trước (mặc định: năm mới trước, rồi theo số/ký hiệu)'),
});
export type TListFilesQuery = z.infer<typeof ZListFilesQuery>;

/** Open a file from a plan entry, or ad hoc with its own số/ký hiệu, title and retention. */
export const ZOpenFileBody = z.union([
  z.object({ planEntryId: z.uuid().describe('Mục trong danh mục hồ sơ'), description: z.string().trim().max(500).default('') }).strict(),
  z.object({ notation: ZNotation, title: ZTitle, retention: ZRetention, description: z.string().trim().max(500).default('').describe('Ghi chú') }).strict(),
]);
export type TOpenFileBody = z.infer<typeof ZOpenFileBody>;

export const ZDocumentRef = z.object({
  ownerType: z.enum(['incoming', 'outgoing']).describe('Văn bản đến hoặc văn bản đi'),
  ownerId: z.uuid().describe('Mã văn bản'),
}).strict();
export type TDocumentRef = z.infer<typeof ZDocumentRef>;
export const ZDocumentQuery = z.object({ ownerType: z.enum(['incoming', 'outgoing']), ownerId: z.uuid() });

export const ZDocumentChoicesQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Từ trong trích yếu, số/ký hiệu hoặc nơi gửi (để trống: các văn bản mới nhất)'),
});

/** A request to keep a due file back (ND 30 Art. 31.3.d). */
export const ZKeepRequestBody = z.object({
  until: z.iso.date().describe('Giữ lại đến ngày (sau ngày đến hạn nộp lưu, không quá 02 năm kể từ ngày đó)'),
  reason: z.string().trim().min(1).max(1000).describe('Lý do giữ lại'),
}).strict();
export type TKeepRequestBody = z.infer<typeof ZKeepRequestBody>;
/** A leader's answer to a keep-back request. */
export const ZKeepDecisionBody = z.object({
  approve: z.boolean().describe('true: đồng ý giữ lại; false: không đồng ý'),
  note: z.string().trim().max(1000).default('').describe('Ý kiến của lãnh đạo'),
}).strict();
export type TKeepDecisionBody = z.infer<typeof ZKeepDecisionBody>;
/** Whether a file is a construction file (hồ sơ xây dựng cơ bản) and the day its works were settled (ND 30 Art. 30.2.a). */
export const ZConstructionBody = z.object({
  isConstruction: z.boolean().describe('Hồ sơ xây dựng cơ bản'),
  settledOn: z.iso.date().nullable().default(null).describe('Ngày công trình được quyết toán (hạn nộp lưu: 03 tháng sau ngày này); null: chưa quyết toán'),
}).strict();
export type TConstructionBody = z.infer<typeof ZConstructionBody>;
export const ZKeptQuery = z.object({ year: ZYear.optional().describe('Năm hình thành hồ sơ (để trống: mọi năm)') });
export const ZHandOverBatchBody = z.object({
  fileIds: z.array(z.uuid()).min(1).max(200).describe('Các hồ sơ đã kết thúc của cùng một đơn vị'),
  note: z.string().trim().max(1000).default('').describe('Ghi chú của đợt nộp lưu'),
}).strict();
export const ZBatchListQuery = z.object({ status: z.enum(['waiting', 'received']).optional().describe('waiting: chờ Lưu trữ cơ quan tiếp nhận; received: đã tiếp nhận') });
