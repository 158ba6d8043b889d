import { errorFactory } from '../../../platform/errors.ts';

/** Errors of the PKI network clients (TSA, OCSP, CRL, AIA). Codes are stable; messages are Vietnamese. */
export const pkiUnreachable = errorFactory({ code: 'pki.unreachable', status: 502, message: 'Không kết nối được máy chủ dịch vụ chứng thực (TSA/OCSP/CRL)' });
export const pkiTimeout = errorFactory({ code: 'pki.timeout', status: 504, message: 'Máy chủ dịch vụ chứng thực không trả lời kịp thời hạn' });
export const pkiResponseTooLarge = errorFactory({ code: 'pki.response_too_large', status: 502, message: 'Phản hồi từ máy chủ dịch vụ chứng thực quá lớn' });
export const pkiTsaRejected = errorFactory({ code: 'pki.tsa_rejected', status: 502, message: 'Máy chủ cấp dấu thời gian từ chối yêu cầu' });
export const pkiTsaBadResponse = errorFactory({ code: 'pki.tsa_bad_response', status: 502, message: 'Phản hồi dấu thời gian không hợp lệ' });
export const pkiTsaImprintMismatch = errorFactory({ code: 'pki.tsa_imprint_mismatch', status: 502, message: 'Dấu thời gian không khớp với dữ liệu đã gửi' });
export const pkiOcspBadResponse = errorFactory({ code: 'pki.ocsp_bad_response', status: 502, message: 'Phản hồi OCSP không hợp lệ' });
export const pkiOcspTryLater = errorFactory({ code: 'pki.ocsp_try_later', status: 503, message: 'Máy chủ OCSP tạm thời không trả lời, hãy thử lại sau' });
export const pkiCrlBad = errorFactory({ code: 'pki.crl_bad', status: 502, message: 'Danh sách chứng thư bị thu hồi (CRL) không hợp lệ' });
export const pkiNoUrl = errorFactory({ code: 'pki.no_url', status: 422, message: 'Chứng thư số không có địa chỉ dịch vụ kiểm tra trạng thái' });
export const pkiUnsupportedAlgorithm = errorFactory({ code: 'pki.unsupported_algorithm', status: 422, message: 'Thuật toán không được hỗ trợ' });
