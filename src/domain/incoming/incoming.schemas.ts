import { z } from 'zod';
import { DOCUMENT_ORDERS } from '../documents/search-text.ts';
import { DOCUMENT_TYPE_CODES, SECRECY_CODES, URGENCY_CODES } from '../registers/document-types.ts';
import { INCOMING_STATUSES } from './incoming.status.ts';

const text = (max: number, what: string) => z.string().trim().max(max).describe(what);

/** The register entry (ND 30 Art. 22, Phụ lục VI Mục II): prefilled from the package for electronic documents. */
export const ZRegisterIncomingBody = z.object({
  arrivedAt: z.iso.datetime({ offset: true }).optional().describe('Ngày, giờ đến (mặc định: lúc tiếp nhận)'),
  issuerName: z.string().trim().min(1).max(200).describe('Tác giả: tên cơ quan, tổ chức ban hành'),
  issuerCode: text(30, 'Mã định danh cơ quan ban hành (nếu có)').default(''),
  number: text(11, 'Số của văn bản').default(''),
  notation: text(30, 'Ký hiệu của văn bản (hoặc cả số và ký hiệu, ví dụ 15/QĐ-UBND)').default(''),
  documentDate: z.iso.date().describe('Ngày tháng văn bản'),
  typeCode: z.enum(DOCUMENT_TYPE_CODES).describe('Tên loại văn bản'),
  subject: z.string().trim().min(1).max(500).describe('Trích yếu nội dung'),
  urgency: z.enum(URGENCY_CODES).default('thuong').describe('Độ khẩn'),
  secrecy: z.enum(SECRECY_CODES).default('thuong').describe('Độ mật'),
  pageCount: z.number().int().min(1).max(100_000).nullable().optional().describe('Số trang'),
  signerName: text(50, 'Họ tên người ký').default(''),
  signerPosition: text(100, 'Chức vụ người ký').default(''),
  dueDate: z.iso.date().nullable().optional().describe('Thời hạn giải quyết'),
  notes: text(500, 'Ghi chú').default(''),
  confirmDuplicate: z.boolean().optional().describe('Vẫn vào sổ khi đã có văn bản cùng số, ký hiệu, ngày và nơi gửi trong sổ (văn thư đã xác nhận, văn bản vẫn được đánh dấu «Có thể trùng»)'),
}).strict();
export type TRegisterIncomingBody = z.infer<typeof ZRegisterIncomingBody>;

export const ZRefuseIncomingBody = z.object({ reason: z.string().trim().min(3).max(500).describe('Lý do trả lại (gửi về nơi gửi)') }).strict();
export const ZForwardIncomingBody = z.object({
  leaderId: z.uuid().describe('Lãnh đạo nhận văn bản để cho ý kiến chỉ đạo'),
  note: text(500, 'Ghi chú của văn thư').default(''),
}).strict();

const ZAssignee = z.object({
  unitId: z.uuid().optional().describe('Đơn vị'),
  userId: z.uuid().optional().describe('Cá nhân'),
}).strict().refine((a) => !!a.unitId !== !!a.userId, 'Chọn một đơn vị hoặc một cá nhân');
export type TAssignee = z.infer<typeof ZAssignee>;

/** Phiếu giải quyết văn bản đến, part 1: the leader's direction (ý kiến chỉ đạo) and assignment. */
export const ZDirectIncomingBody = z.object({
  direction: z.string().trim().min(1).max(4000).describe('Ý kiến chỉ đạo (bút phê)'),
  lead: ZAssignee.describe('Đơn vị hoặc cá nhân chủ trì'),
  support: z.array(ZAssignee).max(50).default([]).describe('Phối hợp'),
  info: z.array(ZAssignee).max(100).default([]).describe('Để biết'),
  deadline: z.iso.date().nullable().default(null).describe('Thời hạn giải quyết'),
}).strict();
export type TDirectIncomingBody = z.infer<typeof ZDirectIncomingBody>;

/** Phiếu giải quyết, part 2: the unit head gives their unit's part to people inside the unit. */
export const ZReassignBody = z.object({
  assignmentId: z.uuid().describe('Phần việc của đơn vị'),
  users: z.array(z.object({ userId: z.uuid(), role: z.enum(['lead', 'support', 'info']) }).strict()).min(1).max(50).describe('Người được giao'),
  note: text(2000, 'Ý kiến của lãnh đạo đơn vị').default(''),
  deadline: z.iso.date().nullable().default(null).describe('Thời hạn (không muộn hơn hạn của đơn vị)'),
}).strict();
export type TReassignBody = z.infer<typeof ZReassignBody>;

export const ZProgressBody = z.object({
  assignmentId: z.uuid().describe('Phần việc'),
  text: text(4000, 'Tiến độ, ý kiến đề xuất của người giải quyết').default(''),
  fileId: z.uuid().optional().describe('Tệp kết quả đã tải lên'),
  response: z.object({
    outgoingId: z.uuid().optional().describe('Văn bản đi trả lời (trên hệ thống)'),
    notation: z.string().trim().min(1).max(50).describe('Số, ký hiệu văn bản trả lời'),
    date: z.iso.date().optional().describe('Ngày văn bản trả lời'),
  }).strict().optional().describe('Văn bản trả lời'),
  isDone: z.boolean().default(false).describe('Hoàn thành phần việc của mình'),
}).strict();
export type TProgressBody = z.infer<typeof ZProgressBody>;

export const ZCloseBody = z.object({ note: text(2000, 'Kết quả giải quyết').default('') }).strict();
export const ZReopenBody = z.object({ reason: z.string().trim().min(3).max(2000).describe('Lý do mở lại') }).strict();

export const ZDelegationBody = z.object({
  deputyId: z.uuid().describe('Lãnh đạo được ủy quyền cho ý kiến chỉ đạo'),
  startsOn: z.iso.date().describe('Từ ngày'),
  endsOn: z.iso.date().describe('Đến ngày'),
}).strict();

export const INCOMING_BOXES = ['all', 'intake', 'direct', 'mine', 'unit', 'following'] as const;
export const ZListIncomingQuery = z.object({
  box: z.enum(INCOMING_BOXES).default('all').describe('intake: chờ vào sổ/chuyển (văn thư); direct: chờ chỉ đạo (lãnh đạo); mine: việc của tôi; unit: việc của đơn vị chưa giao cho cán bộ; following: việc của đơn vị đã giao cho cán bộ, đang theo dõi'),
  status: z.enum(INCOMING_STATUSES).optional().describe('Trạng thái'),
  q: z.string().trim().min(1).max(200).optional().describe('Tìm trong trích yếu, số ký hiệu, cơ quan ban hành và nội dung OCR'),
  from: z.iso.date().optional().describe('Từ ngày văn bản (ngày đến nếu văn bản không ghi ngày)'),
  to: z.iso.date().optional().describe('Đến ngày văn bản (ngày đến nếu văn bản không ghi ngày)'),
  typeCode: z.enum(DOCUMENT_TYPE_CODES).optional().describe('Loại văn bản'),
  issuer: z.string().trim().min(1).max(200).optional().describe('Một phần tên cơ quan ban hành'),
  order: z.enum(DOCUMENT_ORDERS).optional()
    .describe('relevance: liên quan nhất trước (cần q; không có q thì như mặc định); newest: mới nhất trước; oldest: cũ nhất trước (mặc định: độ khẩn rồi mới đến trước)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TListIncomingQuery = z.infer<typeof ZListIncomingQuery>;

export const ZRegisterBookQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2999).optional().describe('Năm (mặc định: năm nay)'),
  secret: z.enum(['0', '1']).default('0').describe('1: sổ văn bản Mật'),
  format: z.enum(['xlsx', 'pdf']).default('pdf').describe('Định dạng tải về'),
});

export const ZRequestsQuery = z.object({ status: z.enum(['pending', 'agreed', 'refused']).optional().describe('Trạng thái đề nghị (mặc định: tất cả)') }).strict();
export const ZAnswerRequestBody = z.object({
  agree: z.boolean().describe('Đồng ý (15) hay từ chối (16)'),
  note: z.string().trim().max(500).default('').describe('Ghi chú gửi cơ quan gửi'),
}).strict();
export type TAnswerRequestBody = z.infer<typeof ZAnswerRequestBody>;
