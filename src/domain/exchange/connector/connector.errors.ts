import { errorFactory } from '../../../platform/errors.ts';

/** Errors of the exchange connector (Vietnamese messages; stable codes). */
export const exchangeNotConfigured = errorFactory({ code: 'exchange.not_configured', status: 409, message: 'Cơ quan chưa được cấu hình kết nối trục liên thông.' });
export const exchangeBadEndpoint = errorFactory({ code: 'exchange.bad_endpoint', status: 400, message: 'Địa chỉ trục liên thông không hợp lệ (cần http:// hoặc https://).' });
export const exchangeAgencyNotFound = errorFactory({ code: 'exchange.agency_not_found', status: 404, message: 'Không tìm thấy cơ quan.' });
export const exchangeBadSecret = errorFactory({ code: 'exchange.bad_secret', status: 400, message: 'Khóa bí mật không hợp lệ: hãy nhập đúng khóa do trục cấp (không phải chuỗi đã mã hóa).' });
export const exchangeSecretUnreadable = errorFactory({ code: 'exchange.secret_unreadable', status: 500, message: 'Không giải mã được khóa bí mật kết nối trục (tệp khóa keys/secret.key trong thư mục dữ liệu bị thay hoặc mất): quản trị cần nhập lại khóa bí mật do trục cấp.' });
export const exchangeOutboxNotFound = errorFactory({ code: 'exchange.outbox_not_found', status: 404, message: 'Không tìm thấy gói tin trong hàng đợi gửi.' });
export const exchangeNotIssued = errorFactory({ code: 'exchange.not_issued', status: 409, message: 'Văn bản chưa phát hành qua trục liên thông nên không cập nhật được.' });
/** A received package that is not taken in: unsigned, bad signature, unknown signer, not addressed to us. */
export const exchangePackageRefused = errorFactory({ code: 'exchange.package_refused', status: 422, message: 'Gói tin bị từ chối.' });
export const exchangeRefusedNotFound = errorFactory({ code: 'exchange.refused_not_found', status: 404, message: 'Không tìm thấy gói tin bị từ chối.' });
export const exchangeNotRefetchable = errorFactory({ code: 'exchange.not_refetchable', status: 409, message: 'Gói tin này bị từ chối vì nội dung (chữ ký số, cơ quan gửi hoặc nơi nhận), nhận lại cũng bị từ chối: hãy đề nghị cơ quan gửi gửi lại.' });

/** How the connector stores an error next to a package (outbox `last_error`, refused `reason`): `[code] message`. */
const STORED_ERROR = /^\[([a-z0-9_.]+)\]\s*([\s\S]*)$/;
/** Error codes quoted inside a message (`… 8 lần thử: [axis.remote_error] …`): the clerk reads the words, the code stays in the stored text. */
const QUOTED_CODE = /\[[a-z0-9_.]+\]\s*/g;

/** A stored `[code] message` as its code (undefined when the text has none) and the words a clerk reads, without any quoted codes. */
export function readStoredError(text: string): { code: string | undefined; message: string } {
  const match = STORED_ERROR.exec(text);
  return { code: match?.[1], message: (match?.[2] ?? text).replace(QUOTED_CODE, '') };
}
