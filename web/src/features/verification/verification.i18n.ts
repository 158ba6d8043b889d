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
} as const satisfies Record<string, readonly [string, string]>;

export const [verificationVi, verificationEn] = splitPairs(M);
