import { z } from 'zod';

/**
 * The JSON shape of an edXML header (QCVN 102:2016). Every key is the edXML element name in
 * lowerCamelCase (`MessageHeader/From/OrganId` → `messageHeader.from.organId`). Repeated elements are
 * arrays under their own name (`to`, `traceHeader`, `responseFor`, `staffInfo`); list wrappers whose
 * only child repeats (`ToPlaces/Place*`, `Appendixes/Appendix*`, `OrganIdList/OrganId*`) are arrays of
 * strings under the wrapper's name. `parseEdxml` produces this shape and `buildEdxml` consumes it, so a
 * build → parse round trip is an identity. Types are checked here; the value formats of the standard
 * (dates, DocumentId, agency codes, code lists) are checked by `checkEdxmlHeader` at build time only,
 * because foreign packages are read leniently.
 */

const str = (what: string) => z.string().describe(what);
const int = (what: string) => z.number().int().describe(what);

export const ZOrganization = z.object({
  organId: str('Mã định danh cơ quan (OrganId), dạng 000.00.00.G22'),
  organizationInCharge: str('Cơ quan chủ quản (OrganizationInCharge)').optional(),
  organName: str('Tên cơ quan (OrganName)').optional(),
  organAdd: str('Địa chỉ (OrganAdd)').optional(),
  email: str('Thư điện tử (Email)').optional(),
  telephone: str('Điện thoại (Telephone)').optional(),
  fax: str('Fax').optional(),
  website: str('Trang thông tin (Website)').optional(),
}).strict();
export type TOrganization = z.infer<typeof ZOrganization>;

export const ZCode = z.object({
  codeNumber: str('Số văn bản (CodeNumber)'),
  codeNotation: str('Ký hiệu văn bản (CodeNotation)'),
}).strict();

export const ZPromulgationInfo = z.object({
  place: str('Địa danh ban hành (Place)').optional(),
  promulgationDate: str('Ngày ban hành, yyyy/MM/dd (PromulgationDate)'),
}).strict();

export const ZDocumentType = z.object({
  type: int('Mã loại văn bản (Type)'),
  typeDetail: int('Mã chi tiết loại (TypeDetail)').optional(),
  typeName: str('Tên loại văn bản, ví dụ "Công văn" (TypeName)'),
}).strict();

export const ZSignerInfo = z.object({
  competence: str('Thẩm quyền ký: TM., KT., TL., … (Competence)').optional(),
  position: str('Chức vụ người ký (Position)').optional(),
  fullName: str('Họ tên người ký (FullName)').optional(),
}).strict();

export const ZOtherInfo = z.object({
  priority: int('Độ khẩn 0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ (Priority)').optional(),
  sphereOfPromulgation: str('Phạm vi lưu hành (SphereOfPromulgation)').optional(),
  typerNotation: str('Ký hiệu người đánh máy (TyperNotation)').optional(),
  promulgationAmount: int('Số bản phát hành (PromulgationAmount)').optional(),
  pageAmount: int('Số trang (PageAmount)').optional(),
  appendixes: z.array(z.string()).describe('Phụ lục (Appendixes/Appendix*)').optional(),
  replyFors: str('ReplyFors').optional(),
  referenceCodes: str('ReferenceCodes').optional(),
  direction: z.boolean().describe('Văn bản chỉ đạo (Direction)').optional(),
}).strict();

export const ZResponseFor = z.object({
  organId: str('Mã cơ quan đã gửi văn bản được trả lời (OrganId)'),
  code: str('Số/ký hiệu văn bản được trả lời (Code)').optional(),
  promulgationDate: str('Ngày ban hành văn bản được trả lời, yyyy/MM/dd').optional(),
  documentId: str('DocumentId của văn bản được trả lời').optional(),
}).strict();
export type TResponseFor = z.infer<typeof ZResponseFor>;

export const ZMessageHeader = z.object({
  from: ZOrganization.describe('Cơ quan gửi (From)'),
  to: z.array(ZOrganization).min(1).describe('Cơ quan nhận (To, 1..n)'),
  documentId: str('Mã văn bản "OrganId,yyyy/MM/dd,số/ký hiệu" (DocumentId)').optional(),
  code: ZCode.describe('Số, ký hiệu (Code)'),
  promulgationInfo: ZPromulgationInfo.describe('Nơi, ngày ban hành (PromulgationInfo)'),
  documentType: ZDocumentType.describe('Loại văn bản (DocumentType)'),
  subject: str('Trích yếu (Subject)'),
  content: str('Nội dung (Content)').optional(),
  signerInfo: ZSignerInfo.describe('Người ký (SignerInfo)').optional(),
  dueDate: str('Hạn xử lý, yyyy/MM/dd (DueDate)').optional(),
  toPlaces: z.array(z.string()).describe('Nơi nhận (ToPlaces/Place*)').optional(),
  otherInfo: ZOtherInfo.describe('Thông tin khác (OtherInfo)').optional(),
  responseFor: z.array(ZResponseFor).describe('Văn bản được trả lời (ResponseFor*)').optional(),
  steeringType: int('0 không chỉ đạo, 1 chỉ đạo, 2 báo cáo chỉ đạo (SteeringType)').optional(),
  responseForTask: z.object({ taskCode: z.array(z.string()).describe('TaskCode*') }).strict()
    .describe('ResponseForTask').optional(),
  applicationType: str('ApplicationType').optional(),
}).strict();
export type TMessageHeader = z.infer<typeof ZMessageHeader>;

export const ZTraceHeader = z.object({
  organId: str('Mã cơ quan đã xử lý gói tin (OrganId)'),
  timestamp: str('Thời điểm, yyyy/MM/dd HH:mm:ss (Timestamp)'),
}).strict();

export const ZStaffInfo = z.object({
  department: str('Department').optional(),
  departmentId: str('DepartmentId').optional(),
  staff: str('Staff').optional(),
  staffId: str('StaffId').optional(),
  email: str('Email').optional(),
  mobile: str('Mobile').optional(),
}).strict();
export type TStaffInfo = z.infer<typeof ZStaffInfo>;

export const ZBussiness = z.object({
  bussinessDocType: int('0 văn bản mới, 1 thu hồi, 2 cập nhật, 3 thay thế (BussinessDocType)'),
  bussinessDocReason: str('Lý do thu hồi/cập nhật/thay thế (BussinessDocReason)').optional(),
  documentId: str('DocumentId của văn bản bị thu hồi/cập nhật/thay thế').optional(),
  paper: int('1 nếu có gửi kèm bản giấy (Paper)').optional(),
  staffInfo: z.array(ZStaffInfo).describe('Cán bộ xử lý (StaffInfo*)').optional(),
  bussinessDocumentInfo: z.object({
    documentInfo: int('1 = cập nhật thông tin văn bản (DocumentInfo)').optional(),
    documentReceiver: int('1 = cập nhật nơi nhận (DocumentReceiver)').optional(),
    receiverList: z.array(z.object({
      organId: str('OrganId'),
      receiverType: int('ReceiverType').optional(),
    }).strict()).describe('ReceiverList/Receiver*').optional(),
  }).strict().describe('BussinessDocumentInfo (cập nhật)').optional(),
  replacementInfoList: z.array(z.object({
    documentId: str('DocumentId của văn bản bị thay thế'),
    organIdList: z.array(z.string()).describe('OrganIdList/OrganId*'),
  }).strict()).describe('ReplacementInfoList/ReplacementInfo* (thay thế)').optional(),
}).strict();
export type TBussiness = z.infer<typeof ZBussiness>;

export const ZTraceHeaderList = z.object({
  traceHeader: z.array(ZTraceHeader).describe('Vết xử lý (TraceHeader*)'),
  bussiness: ZBussiness.describe('Nghiệp vụ (Bussiness, viết đúng như chuẩn)').optional(),
}).strict();

export const ZEdxmlHeader = z.object({
  messageHeader: ZMessageHeader,
  traceHeaderList: ZTraceHeaderList,
}).strict();
/** Header of a document package (văn bản mới, thu hồi, cập nhật, thay thế). */
export type TEdxmlHeader = z.infer<typeof ZEdxmlHeader>;

export const ZStatusMessageHeader = z.object({
  responseFor: ZResponseFor.describe('Văn bản mà trạng thái này nói về (ResponseFor)'),
  from: ZOrganization.describe('Cơ quan gửi trạng thái (From)'),
  statusCode: str('Mã trạng thái 01–06, 13, 15, 16 (StatusCode)'),
  description: str('Mô tả trạng thái (Description)').optional(),
  timestamp: str('Thời điểm, yyyy/MM/dd HH:mm:ss (Timestamp)'),
  staffInfo: ZStaffInfo.describe('Cán bộ xử lý (StaffInfo)').optional(),
}).strict();

export const ZStatusHeader = z.object({
  messageHeader: ZStatusMessageHeader,
  traceHeaderList: z.object({ traceHeader: z.array(ZTraceHeader) }).strict().optional(),
}).strict();
/** Header of a status package (gói tin trạng thái). */
export type TStatusHeader = z.infer<typeof ZStatusHeader>;

export const STATUS_CODES = {
  '01': 'Đã đến',
  '02': 'Từ chối tiếp nhận',
  '03': 'Đã tiếp nhận',
  '04': 'Phân công',
  '05': 'Đang xử lý',
  '06': 'Hoàn thành',
  '13': 'Yêu cầu lấy lại / thu hồi',
  '15': 'Đồng ý lấy lại / cập nhật',
  '16': 'Từ chối lấy lại / cập nhật',
} as const;
export type TStatusCode = keyof typeof STATUS_CODES;

export const BUSSINESS_DOC_TYPES = ['Văn bản mới', 'Thu hồi', 'Cập nhật', 'Thay thế'] as const;
export const PRIORITIES = ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc', 'Hỏa tốc hẹn giờ'] as const;
