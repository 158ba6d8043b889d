import { errorFactory } from '../../platform/errors.ts';

export const outgoingNotFound = errorFactory({ code: 'outgoing.not_found', status: 404, message: 'Không tìm thấy văn bản đi.' });
export const outgoingBadStatus = errorFactory({ code: 'outgoing.bad_status', status: 409, message: 'Thao tác không thực hiện được ở trạng thái hiện tại của văn bản.' });
export const outgoingSecrecyRefused = errorFactory({ code: 'outgoing.secrecy_refused', status: 422, message: 'Văn bản Tối mật, Tuyệt mật không được soạn thảo, xử lý trên hệ thống có kết nối mạng (Luật Bảo vệ bí mật nhà nước 2018). Hãy xử lý theo quy trình văn bản giấy.' });
export const outgoingBadType = errorFactory({ code: 'outgoing.bad_type', status: 400, message: 'Loại văn bản không có trong danh mục của Nghị định 30/2020/NĐ-CP.' });
export const outgoingNoFile = errorFactory({ code: 'outgoing.no_file', status: 409, message: 'Dự thảo chưa có tệp văn bản chính (PDF hoặc DOCX).' });
export const outgoingNoSigner = errorFactory({ code: 'outgoing.no_signer', status: 409, message: 'Chưa chọn người ký văn bản.' });
export const outgoingBadUser = errorFactory({ code: 'outgoing.bad_user', status: 400, message: 'Người được chọn không thuộc cơ quan hoặc không còn hoạt động.' });
export const outgoingBadRecipient = errorFactory({ code: 'outgoing.bad_recipient', status: 400, message: 'Nơi nhận không hợp lệ (đơn vị, cơ quan hoặc mã định danh không tồn tại).' });
export const outgoingNoRecipients = errorFactory({ code: 'outgoing.no_recipients', status: 409, message: 'Văn bản chưa có nơi nhận.' });
export const outgoingRecipientNotFound = errorFactory({ code: 'outgoing.recipient_not_found', status: 404, message: 'Cơ quan này không có trong danh sách nơi nhận của văn bản.' });
export const outgoingNoCertificate = errorFactory({ code: 'outgoing.no_certificate', status: 409, message: 'Chưa có chứng thư số để ký.' });
export const outgoingNoAnchor = errorFactory({ code: 'outgoing.no_number_anchor', status: 422, message: 'Không tìm thấy vị trí ghi số, ký hiệu trong văn bản (cần dòng "Số:" hoặc ô "[SỐ]" và dòng "[NGÀY BAN HÀNH]" hoặc "Độc lập - Tự do - Hạnh phúc").' });
export const outgoingSessionNotFound = errorFactory({ code: 'outgoing.signing_session_not_found', status: 404, message: 'Không tìm thấy phiên ký số hoặc phiên đã kết thúc.' });
export const outgoingBadDelegation = errorFactory({ code: 'outgoing.bad_delegation', status: 400, message: 'Ủy quyền không hợp lệ (người nhận ủy quyền phải là lãnh đạo cùng cơ quan, thời gian hợp lệ).' });
export const outgoingNotParticipant = errorFactory({ code: 'outgoing.not_participant', status: 400, message: 'Văn bản Mật: người này chưa được chỉ định là người tham gia xử lý văn bản.' });
export const outgoingBadUnit = errorFactory({ code: 'outgoing.bad_unit', status: 400, message: 'Đơn vị được chọn không thuộc cơ quan.' });
export const outgoingNotReplaceable = errorFactory({ code: 'outgoing.not_replaceable', status: 409, message: 'Chỉ thay thế được văn bản đã phát hành và chưa bị thay thế, thu hồi.' });
