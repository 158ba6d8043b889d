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
