/**
 * The audit log's filters, and the names of the events of the archive, certificates, the trust list and
 * the exchange connection, which no feature catalogue names: [Vietnamese, English] per key. The shell's catalogues
 * spread `auditVi` / `auditEn`; e2e/admin.test.ts checks every event type has a name.
 */
const M = {
  'audit.filter.entity': ['Mọi loại đối tượng', 'Any kind of object'],
  'audit.filter.actor': ['Người thực hiện (tên đăng nhập)', 'Done by (username)'],
  'audit.filter.none': ['Không có sự kiện nào khớp với bộ lọc.', 'No event matches the filter.'],
  'auditEvent.ARCHIVE_TIMESTAMP_ADDED': ['Gia hạn dấu thời gian cho văn bản lưu trữ', 'Archive timestamp added'],
  'auditEvent.ARCHIVE_RENEWAL_FAILED': ['Gia hạn dấu thời gian không thành công', 'Archive renewal failed'],
  'auditEvent.ARCHIVE_FILE_SKIPPED': ['Lưu trữ bỏ qua tệp (không có chữ ký hoặc chữ ký lỗi)', 'Archive skipped a file'],
  'auditEvent.ARCHIVE_PASS_RUN': ['Chạy ngay một lượt gia hạn dấu thời gian', 'Archive pass started'],
  'auditEvent.CERTIFICATE_CREATED': ['Thêm chứng thư số', 'Certificate added'],
  'auditEvent.CERTIFICATE_DEACTIVATED': ['Ngừng dùng chứng thư số', 'Certificate deactivated'],
  'auditEvent.TRUST_ADDED': ['Thêm chứng thư tin cậy', 'Trusted certificate added'],
  'auditEvent.TRUST_REMOVED': ['Bỏ chứng thư tin cậy', 'Trusted certificate removed'],
  'auditEvent.EXCHANGE_ENDPOINT_SET': ['Cấu hình kết nối trục liên thông', 'Exchange connection set'],
  'auditEvent.EXCHANGE_PACKAGE_REFUSED': ['Từ chối gói tin liên thông không hợp lệ', 'Exchange package refused'],
  'auditEvent.EXCHANGE_OUTBOX_REQUEUED': ['Gửi lại văn bản liên thông', 'Exchange sending retried'],
  'auditEvent.EXCHANGE_PIN_SET': ['Ghi nhận lại chứng thư ký của cơ quan gửi', 'Sender certificate re-pinned'],
  'auditEvent.EXCHANGE_REFUSED_REFETCH': ['Nhận lại văn bản liên thông đã từ chối', 'Refused exchange document fetched again'],
} as const satisfies Record<string, readonly [string, string]>;

type Key = keyof typeof M;
const pick = (i: 0 | 1) => Object.fromEntries(Object.entries(M).map(([k, v]) => [k, v[i]])) as Record<Key, string>;

export const auditVi = pick(0);
export const auditEn = pick(1);
