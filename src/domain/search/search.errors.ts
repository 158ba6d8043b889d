import { errorFactory } from '../../platform/errors.ts';

export const savedSearchNotFound = errorFactory({ code: 'search.saved_not_found', status: 404, message: 'Không tìm thấy tìm kiếm đã lưu.' });
export const savedSearchDuplicate = errorFactory({ code: 'search.saved_duplicate', status: 409, message: 'Bạn đã lưu một tìm kiếm mang tên này. Hãy đặt tên khác hoặc xóa tìm kiếm cũ.' });
export const savedSearchTooMany = errorFactory({ code: 'search.saved_too_many', status: 409, message: 'Mỗi người lưu được tối đa 50 tìm kiếm. Hãy xóa bớt tìm kiếm không dùng nữa.' });
export const searchExportEmpty = errorFactory({ code: 'search.export_empty', status: 400, message: 'Hãy nhập từ cần tìm (ít nhất 2 ký tự) hoặc chọn điều kiện tìm kiếm trước khi xuất kết quả.' });
