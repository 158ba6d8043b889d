import { errorFactory } from '../../platform/errors.ts';

export const incomingNotFound = errorFactory({ code: 'incoming.not_found', status: 404, message: 'Không tìm thấy văn bản đến.' });
export const incomingBadStatus = errorFactory({ code: 'incoming.bad_status', status: 409, message: 'Không thực hiện được thao tác này ở trạng thái hiện tại của văn bản.' });
export const incomingConcurrentChange = errorFactory({ code: 'incoming.concurrent_change', status: 409, message: 'Văn bản vừa được người khác cập nhật. Hãy tải lại trang.' });
export const incomingSecrecyRefused = errorFactory({ code: 'incoming.secrecy_not_allowed', status: 422, message: 'Văn bản Tối mật, Tuyệt mật không được xử lý trên hệ thống nối mạng (Luật Bảo vệ bí mật nhà nước).' });
export const incomingPaperRefuse = errorFactory({ code: 'incoming.refuse_paper', status: 409, message: 'Chỉ văn bản điện tử mới trả lại được qua hệ thống; văn bản giấy hãy trả lại theo đường bưu chính.' });
export const incomingAssigneeInvalid = errorFactory({ code: 'incoming.assignee_invalid', status: 422, message: 'Đơn vị hoặc người được giao không thuộc cơ quan (hoặc đơn vị) của bạn.' });
export const incomingLeadRequired = errorFactory({ code: 'incoming.lead_required', status: 422, message: 'Phải giao đúng một đơn vị hoặc cá nhân chủ trì.' });
export const incomingLeaderInvalid = errorFactory({ code: 'incoming.leader_invalid', status: 422, message: 'Người nhận phải là lãnh đạo của cơ quan.' });
export const incomingAssignmentNotFound = errorFactory({ code: 'incoming.assignment_not_found', status: 404, message: 'Không tìm thấy phần việc được giao.' });
export const incomingUploadEmpty = errorFactory({ code: 'incoming.upload_missing', status: 400, message: 'Chưa chọn tệp quét (PDF hoặc ảnh JPEG/PNG/TIFF).' });
export const incomingUploadMixed = errorFactory({ code: 'incoming.upload_mixed', status: 415, message: 'Hãy tải lên một tệp PDF, hoặc một hay nhiều ảnh JPEG/PNG/TIFF (không trộn PDF với ảnh).' });
export const incomingImageConvertFailed = errorFactory({ code: 'incoming.image_convert_failed', status: 422, message: 'Không ghép được các ảnh quét thành PDF (ảnh hỏng hoặc định dạng không hỗ trợ).' });
export const incomingImageConvertUnavailable = errorFactory({ code: 'incoming.image_convert_unavailable', status: 422, message: 'Máy chủ chưa cài img2pdf nên không ghép được ảnh thành PDF. Hãy tải lên tệp PDF.' });
export const incomingDelegationInvalid = errorFactory({ code: 'incoming.delegation_invalid', status: 422, message: 'Chỉ ủy quyền cho lãnh đạo khác của cơ quan, với ngày kết thúc không trước ngày bắt đầu.' });
export const incomingResponseMissing = errorFactory({ code: 'incoming.response_missing', status: 422, message: 'Ghi kết quả phải có nội dung, tệp đính kèm hoặc văn bản trả lời.' });
export const incomingRequestNotFound = errorFactory({ code: 'incoming.request_not_found', status: 404, message: 'Không tìm thấy đề nghị thu hồi/cập nhật.' });
export const incomingRequestAnswered = errorFactory({ code: 'incoming.request_answered', status: 409, message: 'Đề nghị này đã được trả lời.' });
