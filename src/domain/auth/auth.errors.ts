import { errorFactory } from '../../platform/errors.ts';

export const authRequired = errorFactory({ code: 'auth.required', status: 401, message: 'Bạn cần đăng nhập.' });
export const authInvalidCredentials = errorFactory({ code: 'auth.invalid_credentials', status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
export const authLocked = errorFactory({ code: 'auth.locked', status: 423, message: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.' });
export const authRateLimited = errorFactory({ code: 'auth.rate_limited', status: 429, message: 'Quá nhiều lần thử đăng nhập. Vui lòng đợi vài phút rồi thử lại.' });
export const authInactive = errorFactory({ code: 'auth.inactive', status: 403, message: 'Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị viên.' });
export const authTotpRequired = errorFactory({ code: 'auth.totp_required', status: 401, message: 'Nhập mã xác thực 6 số từ ứng dụng trên điện thoại.' });
export const authTotpInvalid = errorFactory({ code: 'auth.totp_invalid', status: 401, message: 'Mã xác thực không đúng hoặc đã hết hạn.' });
export const authTotpNotSetUp = errorFactory({ code: 'auth.totp_not_set_up', status: 409, message: 'Chưa khởi tạo xác thực hai lớp.' });
export const authWrongPassword = errorFactory({ code: 'auth.wrong_password', status: 400, message: 'Mật khẩu hiện tại không đúng.' });
export const authWeakPassword = errorFactory({ code: 'auth.weak_password', status: 400, message: 'Mật khẩu phải dài ít nhất 8 ký tự, có chữ và số, và không chứa tên đăng nhập.' });
export const authResetInvalid = errorFactory({ code: 'auth.reset_invalid', status: 400, message: 'Liên kết đặt lại mật khẩu không hợp lệ, đã dùng hoặc đã hết hạn.' });
export const authCsrf = errorFactory({ code: 'auth.csrf', status: 403, message: 'Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang.' });
