import { z } from 'zod';
import { DOCUMENT_ORDERS } from '../documents/search-text.ts';
import { DOCUMENT_TYPE_CODES, SECRECY_CODES, URGENCY_CODES } from '../registers/document-types.ts';
import { OUTGOING_STATUSES, RECIPIENT_STATUS_CODES, SIGNER_COMPETENCES } from './outgoing.status.ts';

export const ZRecipientInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unitId: z.uuid().describe('Đơn vị nội bộ') }).strict(),
  z.object({ kind: z.literal('agency'), agencyId: z.uuid().describe('Cơ quan cùng hệ thống') }).strict(),
  z.object({ kind: z.literal('external'), agencyCode: z.string().trim().regex(/^[0-9A-Z.]{5,20}$/).describe('Mã định danh cơ quan nhận (QCVN 102)'), name: z.string().trim().max(300).optional().describe('Tên cơ quan (lấy từ danh bạ nếu trống)') }).strict(),
]);
export type TRecipientInput = z.infer<typeof ZRecipientInput>;

const draftFields = {
  typeCode: z.enum(DOCUMENT_TYPE_CODES).describe('Loại văn bản (Điều 7, Phụ lục III)'),
  subject: z.string().trim().min(1).max(500).describe('Trích yếu nội dung'),
  urgency: z.enum(URGENCY_CODES).default('thuong').describe('Độ khẩn'),
  secrecy: z.enum(SECRECY_CODES).default('thuong').describe('Độ mật (Tối mật, Tuyệt mật bị từ chối)'),
  signerId: z.uuid().nullable().default(null).describe('Người ký'),
  signerCompetence: z.enum(SIGNER_COMPETENCES).nullable().default(null).describe('Quyền hạn ký: TM., KT., Q., TL., TUQ.'),
  signerPosition: z.string().trim().max(100).default('').describe('Chức vụ người ký'),
  recipients: z.array(ZRecipientInput).max(500).default([]).describe('Nơi nhận'),
  recipientsText: z.string().max(4000).default('').describe('Phần "Nơi nhận" in trên văn bản'),
  archiveNote: z.string().max(200).default('').describe('Đơn vị, người nhận bản lưu'),
  copies: z.number().int().min(0).max(999).default(1).describe('Số lượng bản'),
  dueDate: z.iso.date().nullable().default(null).describe('Hạn trả lời'),
  note: z.string().max(500).default('').describe('Ghi chú'),
  participantIds: z.array(z.uuid()).max(100).default([]).describe('Người tham gia (bắt buộc cho văn bản Mật)'),
  replacesId: z.uuid().nullable().default(null).describe('Văn bản bị thay thế'),
};
export const ZCreateDraftBody = z.object(draftFields).strict();
export type TCreateDraftBody = z.infer<typeof ZCreateDraftBody>;
export const ZUpdateDraftBody = z.object({
  typeCode: draftFields.typeCode.optional(), subject: draftFields.subject.optional(), urgency: z.enum(URGENCY_CODES).optional(),
  secrecy: z.enum(SECRECY_CODES).optional(), signerId: z.uuid().nullable().optional(), signerCompetence: z.enum(SIGNER_COMPETENCES).nullable().optional(),
  signerPosition: z.string().trim().max(100).optional(), recipients: z.array(ZRecipientInput).max(500).optional(),
  recipientsText: z.string().max(4000).optional(), archiveNote: z.string().max(200).optional(), copies: z.number().int().min(0).max(999).optional(),
  dueDate: z.iso.date().nullable().optional(), note: z.string().max(500).optional(), participantIds: z.array(z.uuid()).max(100).optional(),
}).strict();
export type TUpdateDraftBody = z.infer<typeof ZUpdateDraftBody>;

export const ZSubmitBody = z.object({
  reviewerIds: z.array(z.uuid()).max(10).optional().describe('Chuỗi trình duyệt cho văn bản này (trống: theo cấu hình của cơ quan)'),
  comment: z.string().max(2000).default('').describe('Lời trình'),
}).strict();
export const ZReviewBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), comment: z.string().max(2000).default('') }).strict(),
  z.object({ action: z.literal('return'), comment: z.string().trim().min(1).max(2000).describe('Ý kiến (bắt buộc khi trả lại)'), page: z.number().int().min(1).nullable().default(null).describe('Trang được góp ý') }).strict(),
  z.object({ action: z.literal('forward'), toUserId: z.uuid().describe('Chuyển cho người xem xét tiếp'), comment: z.string().max(2000).default('') }).strict(),
]);
export type TReviewBody = z.infer<typeof ZReviewBody>;
export const ZReturnBody = z.object({ comment: z.string().trim().min(1).max(2000), page: z.number().int().min(1).nullable().default(null) }).strict();
export const ZSignBody = z.object({
  ids: z.array(z.uuid()).min(1).max(200).describe('Các văn bản ký trong một lần (ký hàng loạt)'),
  pin: z.string().min(1).max(100).describe('Mã PIN của chứng thư số (một lần cho cả lô)'),
}).strict();
export const ZSealCertificateBody = z.object({
  p12: z.base64().min(1).describe('Tệp chứng thư số của cơ quan (PKCS#12: .p12, .pfx), base64'),
  password: z.string().max(200).describe('Mật khẩu tệp PKCS#12'),
  image: z.base64().optional().describe('Ảnh con dấu (PNG nền trong suốt), base64'),
}).strict();
export const ZPersonalCertificateBody = z.object({
  userId: z.uuid().describe('Người dùng của cơ quan'),
  certificate: z.base64().describe('Tệp chứng thư số cá nhân, base64: .cer/.crt (DER hoặc PEM), .pem hoặc .p7b kèm chuỗi chứng thư, hoặc PKCS#12 (.p12/.pfx: chỉ lấy chứng thư, không giữ khóa bí mật); khóa bí mật ở trên USB token của người đó'),
  chain: z.base64().optional().describe('Tệp chuỗi chứng thư của tổ chức cấp (CA trung gian, CA gốc): .p7b, .pem, .cer, .crt, base64'),
  password: z.string().max(200).optional().describe('Mật khẩu khi tệp chứng thư số là PKCS#12'),
  image: z.base64().optional().describe('Ảnh chữ ký (PNG nền trong suốt), base64'),
  confirmNameMismatch: z.boolean().optional().describe('Quản trị xác nhận đăng ký dù tên trên chứng thư số khác tên người dùng'),
}).strict();
export const ZPrepareBody = z.object({
  ids: z.array(z.uuid()).min(1).max(200),
  certificate: z.base64().optional().describe('Chứng thư số của người ký (DER, base64); trống: chứng thư đã đăng ký'),
  chain: z.array(z.base64().max(20_000)).max(10).optional().describe('Chứng thư của các CA trên USB token (DER, base64): dùng khi chưa đăng ký chứng thư số, chỉ lấy các chứng thư trong chuỗi cấp'),
}).strict();
export const ZFinishBody = z.object({
  signatures: z.array(z.object({ id: z.uuid(), signature: z.base64().optional(), cms: z.base64().optional() }).strict()).min(1).max(200),
}).strict();
export const ZRecallBody = z.object({ reason: z.string().trim().min(1).max(2000).describe('Lý do thu hồi') }).strict();
export const ZUpdateIssuedBody = z.object({
  reason: z.string().trim().min(1).max(500).describe('Lý do cập nhật'),
  subject: z.string().trim().min(1).max(500).optional().describe('Trích yếu mới'),
  dueDate: z.iso.date().nullable().optional().describe('Hạn xử lý mới'),
}).strict().refine((b) => b.subject !== undefined || b.dueDate !== undefined, { message: 'Nhập trích yếu mới hoặc hạn xử lý mới' });
export const ZRecipientStatusBody = z.object({
  code: z.enum(RECIPIENT_STATUS_CODES), at: z.iso.datetime({ offset: true }).optional(), description: z.string().max(500).optional(),
}).strict();
export const ZDelegationBody = z.object({
  toUserId: z.uuid().describe('Cấp phó được ủy quyền ký duyệt'), startsOn: z.iso.date(), endsOn: z.iso.date(),
}).strict();
/** One step of a review chain: the head of the drafting unit, the head of a named unit, or one named person. */
export const ZChainStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drafting_unit_head').describe('Trưởng đơn vị soạn thảo') }).strict(),
  z.object({ kind: z.literal('unit_head'), unitId: z.uuid().describe('Trưởng đơn vị này (ví dụ Chánh Văn phòng)') }).strict(),
  z.object({ kind: z.literal('user'), userId: z.uuid().describe('Người xem xét cụ thể') }).strict(),
]);
export type TChainStep = z.infer<typeof ZChainStep>;
export const ZChainBody = z.object({
  steps: z.array(ZChainStep).max(10).describe('Các bước trình duyệt theo thứ tự'),
  typeCode: z.enum(DOCUMENT_TYPE_CODES).nullable().default(null).describe('Loại văn bản có chuỗi riêng (trống: chuỗi chung của cơ quan)'),
}).strict();
export const ZChainTypeParam = z.object({ typeCode: z.enum(DOCUMENT_TYPE_CODES) });
export const ZListQuery = z.object({
  box: z.enum(['drafts', 'review', 'signature', 'to_issue', 'issued', 'all']).default('all'),
  search: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
  status: z.enum(OUTGOING_STATUSES).optional().describe('Trạng thái'),
  from: z.iso.date().optional().describe('Từ ngày (ngày ban hành, hoặc ngày tạo dự thảo nếu chưa ban hành)'),
  to: z.iso.date().optional().describe('Đến ngày (ngày ban hành, hoặc ngày tạo dự thảo nếu chưa ban hành)'),
  typeCode: z.enum(DOCUMENT_TYPE_CODES).optional().describe('Loại văn bản'),
  order: z.enum(DOCUMENT_ORDERS).optional()
    .describe('relevance: liên quan nhất trước (cần search; không có thì như mặc định); newest: mới nhất trước; oldest: cũ nhất trước (mặc định: mới sửa trước)'),
});
export type TListOutgoingQuery = z.infer<typeof ZListQuery>;
export const ZRegisterQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2999).optional(), secret: z.enum(['true', 'false']).optional(),
  from: z.iso.date().optional(), to: z.iso.date().optional(), typeCode: z.enum(DOCUMENT_TYPE_CODES).optional(), search: z.string().max(200).optional(),
  format: z.enum(['json', 'xlsx', 'pdf']).default('json'),
});
export const ZFileParam = z.object({ id: z.uuid(), fileId: z.uuid() });
export const ZDelegationParam = z.object({ id: z.uuid() });
