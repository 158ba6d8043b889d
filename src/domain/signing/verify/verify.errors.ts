import { errorFactory } from '../../../platform/errors.ts';

/** The file is not a PDF we can read (no header, no catalog, unusable structure). */
export const verifyPdfUnreadable = errorFactory({ code: 'verify.pdf_unreadable', status: 422, message: 'Không đọc được tệp PDF để kiểm tra chữ ký số' });
/** The PDF is encrypted; its signatures cannot be checked here. */
export const verifyPdfEncrypted = errorFactory({ code: 'verify.pdf_encrypted', status: 422, message: 'Tệp PDF được mã hóa; chưa hỗ trợ kiểm tra chữ ký số của tệp mã hóa' });
