import { errorFactory } from '../../platform/errors.ts';

export const agencyNotFound = errorFactory({ code: 'agency.not_found', status: 404, message: 'Không tìm thấy cơ quan.' });
export const agencyCodeTaken = errorFactory({ code: 'agency.code_taken', status: 409, message: 'Mã định danh này đã được dùng cho cơ quan khác.' });
export const unitNotFound = errorFactory({ code: 'unit.not_found', status: 404, message: 'Không tìm thấy đơn vị.' });
export const unitNameTaken = errorFactory({ code: 'unit.name_taken', status: 409, message: 'Đã có đơn vị cùng tên ở cùng cấp.' });
export const unitHasMembers = errorFactory({ code: 'unit.not_empty', status: 409, message: 'Không xóa được đơn vị còn người dùng hoặc đơn vị con.' });
export const unitBadParent = errorFactory({ code: 'unit.bad_parent', status: 400, message: 'Đơn vị cấp trên không hợp lệ.' });
