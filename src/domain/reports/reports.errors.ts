import { errorFactory } from '../../platform/errors.ts';

export const reportPeriodInvalid = errorFactory({ code: 'reports.period_invalid', status: 400, message: 'Khoảng thời gian báo cáo không hợp lệ: cần đủ từ ngày, đến ngày (không quá 5 năm).' });
export const reportNotOverdue = errorFactory({ code: 'reports.not_overdue', status: 409, message: 'Văn bản này không còn quá hạn nên không cần đôn đốc.' });
export const reportDocumentNotFound = errorFactory({ code: 'reports.not_found', status: 404, message: 'Không tìm thấy đơn vị, người hoặc văn bản này trong cơ quan.' });
export const reportNoHolder = errorFactory({ code: 'reports.no_holder', status: 409, message: 'Văn bản chưa có người hoặc lãnh đạo đơn vị chủ trì để đôn đốc.' });
