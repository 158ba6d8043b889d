/**
 * Errors of the signing engine: stable `signing.*` codes, Vietnamese messages. Callers pass
 * `{ message }` to be more specific, and `details` for machine-readable context.
 */
import { errorFactory } from '../../platform/errors.ts';

export const pdfInvalid = errorFactory({ code: 'signing.pdf_invalid', status: 422, message: 'Tệp PDF bị hỏng hoặc không đúng định dạng.' });
export const pdfEncrypted = errorFactory({ code: 'signing.pdf_encrypted', status: 422, message: 'Tệp PDF được mã hóa (có mật khẩu); hãy nhập mật khẩu mở tệp hoặc gỡ mật khẩu trước khi ký số.' });
export const pdfPasswordWrong = errorFactory({ code: 'signing.pdf_password_wrong', status: 422, message: 'Mật khẩu mở tệp PDF không đúng.' });
export const pageNotFound = errorFactory({ code: 'signing.page_not_found', status: 422, message: 'Không tìm thấy trang cần đặt chữ ký trong tệp PDF.' });
export const anchorNotFound = errorFactory({ code: 'signing.anchor_not_found', status: 422, message: 'Không tìm thấy đoạn văn bản neo vị trí chữ ký trong tệp PDF.' });
export const p12BadPassword = errorFactory({ code: 'signing.p12_bad_password', status: 422, message: 'Mật khẩu tệp PKCS#12 không đúng.' });
export const p12Invalid = errorFactory({ code: 'signing.p12_invalid', status: 422, message: 'Tệp PKCS#12 không hợp lệ hoặc không chứa khóa bí mật và chứng thư số.' });
export const certExpired = errorFactory({ code: 'signing.cert_expired', status: 422, message: 'Chứng thư số đã hết hạn.' });
export const certNotYetValid = errorFactory({ code: 'signing.cert_not_yet_valid', status: 422, message: 'Chứng thư số chưa đến thời gian có hiệu lực.' });
export const certKeyUsage = errorFactory({ code: 'signing.cert_key_usage', status: 422, message: 'Chứng thư số không được phép dùng để ký số (thiếu mục đích digitalSignature/nonRepudiation).' });
export const keyUnsupported = errorFactory({ code: 'signing.key_unsupported', status: 422, message: 'Loại khóa của chứng thư số chưa được hỗ trợ (chỉ hỗ trợ RSA, RSA-PSS, ECDSA).' });
export const tokenError = errorFactory({ code: 'signing.token_error', status: 502, message: 'Lỗi khi làm việc với thiết bị ký số (token/HSM).' });
export const tokenBadPin = errorFactory({ code: 'signing.token_bad_pin', status: 422, message: 'Mã PIN của thiết bị ký số không đúng.' });
export const tokenKeyNotFound = errorFactory({ code: 'signing.token_key_not_found', status: 422, message: 'Không tìm thấy khóa bí mật hoặc chứng thư số trên thiết bị ký số.' });
export const tokenRemoved = errorFactory({ code: 'signing.token_removed', status: 502, message: 'Thiết bị ký số đã bị rút ra hoặc mất kết nối trong khi ký.' });
export const tsaFailed = errorFactory({ code: 'signing.tsa_failed', status: 502, message: 'Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA).' });
export const revocationFailed = errorFactory({ code: 'signing.revocation_failed', status: 502, message: 'Không lấy được thông tin thu hồi (OCSP/CRL) của chứng thư số.' });
export const prepareExpired = errorFactory({ code: 'signing.prepare_expired', status: 410, message: 'Phiên ký số đã hết hạn; hãy chuẩn bị ký lại.' });
export const stateInvalid = errorFactory({ code: 'signing.state_invalid', status: 422, message: 'Dữ liệu phiên ký số không hợp lệ.' });
export const signatureMismatch = errorFactory({ code: 'signing.signature_mismatch', status: 422, message: 'Chữ ký số nhận được không khớp với dữ liệu cần ký hoặc với chứng thư số của phiên ký.' });
export const signatureTooLarge = errorFactory({ code: 'signing.signature_too_large', status: 500, message: 'Chữ ký số vượt quá vùng dành sẵn trong tệp PDF.' });
export const signFailed = errorFactory({ code: 'signing.sign_failed', status: 500, message: 'Ký số thất bại.' });
export const outputFailed = errorFactory({ code: 'signing.output_failed', status: 500, message: 'Không ghi được tệp PDF đã ký.' });
export const badOptions = errorFactory({ code: 'signing.bad_options', status: 400, message: 'Tham số ký số không hợp lệ.' });
export const inputUnreadable = errorFactory({ code: 'signing.input_unreadable', status: 422, message: 'Không đọc được tệp PDF đầu vào.' });

/** Runs `fn`, turning the PDF reader's typed errors (syntax, corrupt streams) into `signing.pdf_invalid`. */
export function withPdfErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error && (error.name === 'PdfSyntaxError' || error.name === 'PdfFilterError')) throw pdfInvalid({ reason: error.message }, { cause: error });
    throw error;
  }
}
export const pdfCertifiedLocked = errorFactory({ code: 'signing.pdf_certified_locked', status: 422, message: 'Tệp PDF đã được chứng thực với quyền "không cho phép thay đổi" (DocMDP P=1); không thể ký thêm.' });
