import { errorFactory } from '../../platform/errors.ts';

export const fileEmpty = errorFactory({ code: 'files.empty', status: 400, message: 'Tệp rỗng (0 byte).' });
export const fileNotPdf = errorFactory({ code: 'files.not_pdf', status: 415, message: 'Tệp không phải PDF hợp lệ (có thể đã bị đổi đuôi).' });
export const filePdfEncrypted = errorFactory({ code: 'files.pdf_encrypted', status: 422, message: 'Tệp PDF có mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.' });
export const filePdfCorrupt = errorFactory({ code: 'files.pdf_corrupt', status: 422, message: 'Tệp PDF bị hỏng, không đọc được.' });
export const fileTypeUnsupported = errorFactory({ code: 'files.type_unsupported', status: 415, message: 'Loại tệp không được hỗ trợ. Chỉ nhận PDF, DOCX hoặc ảnh JPEG/PNG/TIFF.' });
export const fileConvertUnavailable = errorFactory({ code: 'files.convert_unavailable', status: 422, message: 'Máy chủ chưa cài LibreOffice nên không chuyển được DOCX sang PDF. Hãy tải lên tệp PDF.' });
export const fileConvertFailed = errorFactory({ code: 'files.convert_failed', status: 422, message: 'Không chuyển được tệp sang PDF.' });
export const filePrintNotPdf = errorFactory({ code: 'files.print_not_pdf', status: 415, message: 'Chỉ in được tệp PDF. Hãy tải tệp về để mở bằng phần mềm của nó.' });
export const fileNotFound = errorFactory({ code: 'files.not_found', status: 404, message: 'Không tìm thấy tệp.' });
export const fileNameMissing = errorFactory({ code: 'files.name_missing', status: 400, message: 'Thiếu tên tệp.' });
export const filePreviewNotPdf = errorFactory({ code: 'files.preview_not_pdf', status: 415, message: 'Chỉ xem trước được trang 1 của tệp PDF.' });
export const filePreviewUnavailable = errorFactory({ code: 'files.preview_unavailable', status: 422, message: 'Máy chủ chưa cài poppler (pdftoppm) nên không tạo được ảnh trang 1. Tệp PDF vẫn xem được.' });
export const filePreviewFailed = errorFactory({ code: 'files.preview_failed', status: 422, message: 'Không tạo được ảnh trang 1 của tệp PDF này. Tệp PDF vẫn xem được.' });
