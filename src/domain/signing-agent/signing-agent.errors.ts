/** Errors of the signing agent (vanthu signing-agent): stable codes, Vietnamese messages for the leader. */
import { errorFactory } from '../../platform/errors.ts';

export const agentNoToken = errorFactory({ code: 'signing_agent.no_token', status: 503, message: 'Không thấy USB token: hãy cắm USB token ký số vào máy tính rồi thử lại.' });
export const agentNoCertificate = errorFactory({ code: 'signing_agent.no_certificate', status: 422, message: 'USB token không có chứng thư số dùng để ký (hoặc không có chứng thư số đã chọn).' });
export const agentPinRequired = errorFactory({ code: 'signing_agent.pin_required', status: 400, message: 'Cần nhập mã PIN của USB token.' });
export const agentOriginRefused = errorFactory({ code: 'signing_agent.origin_refused', status: 403, message: 'Trang web này không được phép dùng phần mềm ký số trên máy tính (địa chỉ không nằm trong danh sách --origin).' });
export const agentHostRefused = errorFactory({ code: 'signing_agent.host_refused', status: 403, message: 'Yêu cầu không gửi tới 127.0.0.1: phần mềm ký số từ chối.' });
export const agentBadRequest = errorFactory({ code: 'signing_agent.bad_request', status: 400, message: 'Yêu cầu gửi tới phần mềm ký số không hợp lệ.' });
export const agentNotFound = errorFactory({ code: 'signing_agent.not_found', status: 404, message: 'Phần mềm ký số không có chức năng này.' });
export const agentDigestMismatch = errorFactory({ code: 'signing_agent.digest_mismatch', status: 422, message: 'Giá trị băm (digest) không khớp với dữ liệu cần ký: văn bản không được ký.' });
export const agentNeedsSignedAttributes = errorFactory({ code: 'signing_agent.signed_attributes_required', status: 422, message: 'Phần mềm ký số cần dữ liệu signedAttributes (không ký giá trị băm rời).' });
export const agentNotBuilt = errorFactory({ code: 'signing_agent.not_built', status: 404, message: 'Máy chủ chưa có bản tải về của phần mềm ký số (quản trị cần chạy npm run build:signing-agent).' });
