import { errorFactory } from '../../../platform/errors.ts';

/** Errors of the axis service and client; messages are what the SDK shows as ErrorDesc. */
export const axisAuthMissing = errorFactory({ code: 'axis.auth_missing', status: 401, message: 'Thiếu tiêu đề xác thực XroadVnpt-sign-header hoặc XroadVnpt-hash-header.' });
export const axisAuthMalformed = errorFactory({ code: 'axis.auth_malformed', status: 401, message: 'Tiêu đề XroadVnpt-sign-header không phải một đối tượng JSON gồm các chuỗi XroadVnpt-*.' });
export const axisUnknownSystem = errorFactory({ code: 'axis.unknown_system', status: 401, message: 'Hệ thống (systemid) chưa được đăng ký hoặc đã bị khóa trên trục.' });
export const axisSecretUnreadable = errorFactory({ code: 'axis.secret_unreadable', status: 500, message: 'Trục không giải mã được khóa bí mật của hệ thống (tệp khóa keys/secret.key trong thư mục dữ liệu bị thay hoặc mất).' });
export const axisBadSignature = errorFactory({ code: 'axis.bad_signature', status: 401, message: 'Chữ ký XroadVnpt-hash-header không khớp: sai khóa bí mật (secret) hoặc tiêu đề đã bị sửa.' });
export const axisHeaderMismatch = errorFactory({ code: 'axis.header_mismatch', status: 401, message: 'Tiêu đề gửi kèm không khớp với giá trị đã ký trong XroadVnpt-sign-header.' });
export const axisParamMissing = errorFactory({ code: 'axis.param_missing', status: 400, message: 'Thiếu tham số bắt buộc trong tiêu đề đã ký.' });
export const axisHashFileMismatch = errorFactory({ code: 'axis.hash_file_mismatch', status: 400, message: 'Mã băm tệp (XroadVnpt-hash-file) không khớp với nội dung gói tin: gói tin đã bị sửa hoặc truyền lỗi.' });
export const axisTooLarge = errorFactory({ code: 'axis.too_large', status: 413, message: 'Gói tin vượt quá dung lượng trục cho phép.' });
export const axisNotEdxml = errorFactory({ code: 'axis.not_edxml', status: 400, message: 'Nội dung gửi lên không phải gói tin edXML hợp lệ.' });
export const axisFromNotServed = errorFactory({ code: 'axis.from_not_served', status: 403, message: 'Hệ thống không được gửi văn bản thay cho cơ quan ghi trong From của gói tin.' });
export const axisNoRecipient = errorFactory({ code: 'axis.no_recipient', status: 422, message: 'Gói tin không có cơ quan nhận nào mà trục chuyển tới được.' });
export const axisDocNotFound = errorFactory({ code: 'axis.doc_not_found', status: 404, message: 'Không tìm thấy văn bản.' });
export const axisBadStatus = errorFactory({ code: 'axis.bad_status', status: 400, message: 'Trạng thái không hợp lệ (chỉ chữ thường a–z, ví dụ done hoặc fail).' });
export const axisBadAgency = errorFactory({ code: 'axis.bad_agency', status: 400, message: 'Dữ liệu cơ quan không hợp lệ (cần code, name).' });
export const axisRegisterForbidden = errorFactory({ code: 'axis.register_forbidden', status: 403, message: 'Chỉ trục cấp dưới mới được đăng ký hoặc xóa cơ quan qua giao thức.' });
export const axisCodeTaken = errorFactory({ code: 'axis.code_taken', status: 409, message: 'Mã cơ quan đã do một hệ thống khác phục vụ trên trục.' });
export const axisAgencyNotFound = errorFactory({ code: 'axis.agency_not_found', status: 404, message: 'Không tìm thấy cơ quan do hệ thống này phục vụ.' });
export const axisSystemExists = errorFactory({ code: 'axis.system_exists', status: 409, message: 'Hệ thống (systemid) đã tồn tại trên trục.' });
export const axisBadSecret = errorFactory({ code: 'axis.bad_secret', status: 400, message: 'Khóa bí mật phải dài ít nhất 8 ký tự ASCII in được.' });
export const axisRemoteError = errorFactory({ code: 'axis.remote_error', status: 502, message: 'Trục liên thông trả về lỗi.' });
export const axisUnreachable = errorFactory({ code: 'axis.unreachable', status: 503, message: 'Không kết nối được tới trục liên thông.' });
export const axisBadResponse = errorFactory({ code: 'axis.bad_response', status: 502, message: 'Trục liên thông trả về dữ liệu không đúng định dạng.' });
export const axisBodyCorrupt = errorFactory({ code: 'axis.body_corrupt', status: 500, message: 'Gói tin lưu trên trục không còn nguyên vẹn (mã băm SHA-256 không khớp hoặc tệp lưu trữ bị thiếu); trục không gửi gói tin này.' });
export const axisBodyExpired = errorFactory({ code: 'axis.body_expired', status: 410, message: 'Nội dung gói tin đã hết thời hạn lưu trên trục (mọi cơ quan nhận đã nhận xong); trục chỉ còn giữ thông tin và nhật ký chuyển nhận của gói tin này.' });
