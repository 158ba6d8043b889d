import { splitPairs } from '../../i18n/pairs.ts';
/** The public signature-check page's strings: [Vietnamese, English] per key, spread into the catalogues. */
const M = {
  'check.title': ['Kiểm tra chữ ký số', 'Check digital signatures'],
  'check.subtitle': ['Kiểm tra tính xác thực và toàn vẹn của một văn bản điện tử (PDF) bạn nhận được. Tệp chỉ được kiểm tra, không được lưu lại.', 'Check the authenticity and integrity of an electronic document (PDF) you received. The file is only checked, never kept.'],
  'check.file': ['Tệp PDF cần kiểm tra', 'PDF file to check'],
  'check.pick': ['Chọn tệp PDF…', 'Choose a PDF…'],
  'check.submit': ['Kiểm tra', 'Check'],
  'check.again': ['Kiểm tra tệp khác', 'Check another file'],
  'check.tooLarge': ['Tệp quá lớn (tối đa 50 MB).', 'The file is too large (50 MB at most).'],
  'check.link': ['Kiểm tra chữ ký số của văn bản', 'Check the signatures of a document'],
  'check.back': ['Về trang đăng nhập', 'Back to sign-in'],
  'check.fileName': ['Tệp: {name}', 'File: {name}'],
  // the signature panel (here and on the document pages), when a chain reached no trusted root: report.missingIssuer
  'check.missing.issuer': ['Thiếu chứng thư của đơn vị cấp «{name}»{org}: đề nghị quản trị hệ thống thêm chứng thư này (chứng thư gốc hoặc trung gian) vào danh sách chứng thư tin cậy.',
    'The issuer certificate «{name}»{org} is missing: ask the administrator to add it (root or intermediate) to the trusted certificates.'],
  'check.missing.root': ['Chứng thư gốc «{name}»{org} chưa có trong danh sách chứng thư tin cậy: đề nghị quản trị hệ thống thêm chứng thư gốc này nếu đây là tổ chức chứng thực được công nhận.',
    'The root certificate «{name}»{org} is not trusted: ask the administrator to add it if it is a recognised certification authority.'],
  'check.missing.timestamp': ['Dấu thời gian: {text}', 'Timestamp: {text}'],
  'check.missing.tried': ['Đã thử tải từ {url}: {problem}', 'Tried {url}: {problem}'],
} as const satisfies Record<string, readonly [string, string]>;

export const [verificationVi, verificationEn] = splitPairs(M);
