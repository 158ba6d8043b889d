import { errorFactory } from '../../platform/errors.ts';

export const recordsPlanEntryNotFound = errorFactory({ code: 'records.plan_entry_not_found', status: 404, message: 'Không tìm thấy mục này trong danh mục hồ sơ.' });
export const recordsPlanEntryDuplicate = errorFactory({ code: 'records.plan_entry_duplicate', status: 409, message: 'Danh mục hồ sơ năm này đã có một hồ sơ mang số và ký hiệu này.' });
export const recordsPlanEntryInUse = errorFactory({ code: 'records.plan_entry_in_use', status: 409, message: 'Đã có hồ sơ được lập theo mục này nên không xóa được.' });
export const recordsFileNotFound = errorFactory({ code: 'records.file_not_found', status: 404, message: 'Không tìm thấy hồ sơ.' });
export const recordsFileDuplicate = errorFactory({ code: 'records.file_duplicate', status: 409, message: 'Năm này đã có hồ sơ mang số và ký hiệu này (có thể hồ sơ đã được lập theo danh mục).' });
export const recordsBadStatus = errorFactory({ code: 'records.bad_status', status: 409, message: 'Không thực hiện được thao tác này ở trạng thái hiện tại của hồ sơ.' });
export const recordsReadOnly = errorFactory({ code: 'records.read_only', status: 409, message: 'Hồ sơ đã nộp lưu vào Lưu trữ cơ quan nên không thay đổi được.' });
export const recordsDocumentNotFound = errorFactory({ code: 'records.document_not_found', status: 404, message: 'Không tìm thấy văn bản, hoặc bạn không có quyền xem văn bản này.' });
export const recordsDocumentNotFileable = errorFactory({ code: 'records.document_not_fileable', status: 409, message: 'Chỉ đưa vào hồ sơ được văn bản đến đã vào sổ và văn bản đi đã phát hành.' });
export const recordsDocumentAlreadyFiled = errorFactory({ code: 'records.document_already_filed', status: 409, message: 'Văn bản này đã có trong hồ sơ.' });
export const recordsDocumentNotInFile = errorFactory({ code: 'records.document_not_in_file', status: 404, message: 'Văn bản này không có trong hồ sơ.' });
export const recordsFileEmpty = errorFactory({ code: 'records.file_empty', status: 409, message: 'Hồ sơ chưa có văn bản nào nên chưa kết thúc được.' });
export const recordsDocumentsUnfinished = errorFactory({ code: 'records.documents_unfinished', status: 409, message: 'Hồ sơ còn văn bản đến chưa giải quyết xong. Hãy hoàn thành (hoặc bỏ khỏi hồ sơ) các văn bản đó rồi kết thúc hồ sơ.' });
export const recordsKeepNotDue = errorFactory({ code: 'records.keep_not_due', status: 409, message: 'Chỉ đề nghị giữ lại được hồ sơ đã kết thúc và có hạn nộp lưu (thời hạn bảo quản từ 05 năm trở lên; hồ sơ xây dựng cơ bản: đã có ngày quyết toán công trình).' });
export const recordsKeepPending = errorFactory({ code: 'records.keep_pending', status: 409, message: 'Hồ sơ đang có đề nghị giữ lại chờ lãnh đạo cơ quan cho ý kiến.' });
export const recordsHandOverKeepPending = errorFactory({
  code: 'records.hand_over_keep_pending', status: 409,
  message: 'Hồ sơ đang có đề nghị giữ lại (hoặc gia hạn giữ lại) chờ lãnh đạo cơ quan cho ý kiến, nên chưa nộp lưu được. Hãy chờ lãnh đạo cho ý kiến, rồi nộp lưu.',
});
export const recordsKeepAlreadyApproved = errorFactory({ code: 'records.keep_already_approved', status: 409, message: 'Hồ sơ đã được lãnh đạo cơ quan đồng ý giữ lại.' });
export const recordsKeepNotRequested = errorFactory({ code: 'records.keep_not_requested', status: 409, message: 'Hồ sơ không có đề nghị giữ lại nào đang chờ ý kiến.' });
export const recordsConstructionSettledFuture = errorFactory({ code: 'records.construction_settled_future', status: 422, message: 'Ngày quyết toán công trình không được sau ngày hôm nay.' });
export const recordsConstructionKept = errorFactory({ code: 'records.construction_kept', status: 409, message: 'Hồ sơ đang có đề nghị giữ lại hoặc đã được đồng ý giữ lại nên không đổi được ngày quyết toán. Hãy mở lại hồ sơ rồi thay đổi.' });
export const recordsKeepUntilOutOfRange = errorFactory({ code: 'records.keep_until_out_of_range', status: 422, message: 'Ngày giữ lại phải sau ngày đến hạn nộp lưu và không quá 02 năm kể từ ngày đến hạn nộp lưu (Nghị định 30/2020/NĐ-CP, Điều 31 khoản 3 điểm d).' });
export const recordsKeepNotApproved = errorFactory({ code: 'records.keep_not_approved', status: 409, message: 'Chỉ gia hạn được hồ sơ đã được lãnh đạo cơ quan đồng ý giữ lại.' });
export const recordsKeepAtLimit = errorFactory({ code: 'records.keep_at_limit', status: 409, message: 'Hồ sơ đã được giữ lại đến hết thời hạn tối đa (02 năm kể từ ngày đến hạn nộp lưu) nên không gia hạn thêm được (Nghị định 30/2020/NĐ-CP, Điều 31 khoản 3 điểm d).' });
export const recordsKeepExtensionOutOfRange = errorFactory({ code: 'records.keep_extension_out_of_range', status: 422, message: 'Ngày gia hạn phải sau ngày đang được giữ lại đến và không quá 02 năm kể từ ngày đến hạn nộp lưu (Nghị định 30/2020/NĐ-CP, Điều 31 khoản 3 điểm d).' });
export const recordsBatchNotFound = errorFactory({ code: 'records.batch_not_found', status: 404, message: 'Không tìm thấy đợt nộp lưu.' });
export const recordsBatchEmpty = errorFactory({ code: 'records.batch_empty', status: 422, message: 'Hãy chọn ít nhất một hồ sơ để nộp lưu.' });
export const recordsBatchMixedUnits = errorFactory({ code: 'records.batch_mixed_units', status: 422, message: 'Một đợt nộp lưu chỉ gồm hồ sơ của cùng một đơn vị. Hãy nộp lưu hồ sơ của từng đơn vị riêng.' });
export const recordsBatchAlreadyReceived = errorFactory({ code: 'records.batch_already_received', status: 409, message: 'Lưu trữ cơ quan đã tiếp nhận đợt nộp lưu này.' });
