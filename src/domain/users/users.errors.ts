import { errorFactory } from '../../platform/errors.ts';

export const userNotFound = errorFactory({ code: 'user.not_found', status: 404, message: 'Không tìm thấy người dùng.' });
export const usernameTaken = errorFactory({ code: 'user.username_taken', status: 409, message: 'Tên đăng nhập đã có người dùng.' });
export const emailTaken = errorFactory({ code: 'user.email_taken', status: 409, message: 'Thư điện tử đã được dùng cho tài khoản khác.' });
export const userBadUnit = errorFactory({ code: 'user.bad_unit', status: 400, message: 'Đơn vị không thuộc cơ quan của bạn.' });
export const userSelfLockout = errorFactory({ code: 'user.self_lockout', status: 409, message: 'Không thể tự khóa hoặc bỏ quyền quản trị của chính mình.' });
