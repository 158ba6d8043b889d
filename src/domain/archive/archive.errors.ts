import { errorFactory } from '../../platform/errors.ts';

export const archiveTsaNotConfigured = errorFactory({ code: 'archive.tsa_not_configured', status: 503, message: 'Chưa cấu hình máy chủ cấp dấu thời gian (VANTHU_TSA_URL) nên chưa gia hạn được bằng chứng chữ ký.' });
export const archiveRenewedInvalid = errorFactory({ code: 'archive.renewed_invalid', status: 500, message: 'Tệp sau khi thêm dấu thời gian không đạt kiểm tra (B-LTA) nên không được lưu; tệp gốc giữ nguyên.' });
