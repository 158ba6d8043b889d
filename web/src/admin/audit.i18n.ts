import { splitPairs } from '../i18n/pairs.ts';
/**
 * The audit log's filters, and the names of the events of the archive, certificates, the trust list and
 * the exchange connection, which no feature catalogue names: [Vietnamese, English] per key. The shell's catalogues
 * spread `auditVi` / `auditEn`; e2e/admin.test.ts checks every event type has a name.
 */
const M = {
  'audit.filter.entity': ['Mọi loại đối tượng', 'Any kind of object'],
  'audit.filter.actor': ['Người thực hiện (tên đăng nhập)', 'Done by (username)'],
  'audit.filter.none': ['Không có sự kiện nào khớp với bộ lọc.', 'No event matches the filter.'],
  'auditEvent.BACKUP_REQUESTED': ['Yêu cầu sao lưu dữ liệu ngay', 'Backup requested'],
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
  // Access history (documents' and files' pages) and the admins' access statistics (ND 30 Phụ lục VI III.5.a, III.6.a–b)
  'access.title': ['Lịch sử truy cập', 'Access history'],
  'access.counts': ['Đã xem {views} lượt · {viewers} người · {downloads} lượt tải', 'Viewed {views} times · {viewers} people · {downloads} downloads'],
  'access.action.view': ['Xem', 'Viewed'],
  'access.action.download': ['Tải tệp', 'Downloaded'],
  'access.action.print': ['In (bản in có ghi người in)', 'Printed (a marked copy)'],
  'access.prints': [' · {prints} lượt in', ' · {prints} prints'],
  'access.empty': ['Chưa có ai xem.', 'Nobody has opened it yet.'],
  'access.recentOnly': ['Chỉ hiện {n} lượt gần nhất.', 'Only the last {n} are shown.'],
  'audit.tab.log': ['Nhật ký hệ thống', 'Audit log'],
  'accessStats.tab': ['Thống kê truy cập', 'Access statistics'],
  'accessStats.from': ['Từ ngày', 'From'],
  'accessStats.to': ['Đến ngày', 'To'],
  'accessStats.invalidDate': ['Nhập ngày theo dạng ngày/tháng/năm.', 'Type the date as day/month/year.'],
  'accessStats.period': ['Từ {from} đến {to}', 'From {from} to {to}'],
  'accessStats.signIns': ['Lượt đăng nhập', 'Sign-ins'],
  'accessStats.signedInUsers': ['Người đã đăng nhập', 'People who signed in'],
  'accessStats.views': ['Lượt xem văn bản, hồ sơ', 'Views of documents and files'],
  'accessStats.perDay': ['Theo ngày', 'Per day'],
  'accessStats.viewsShort': ['Lượt xem', 'Views'],
  'accessStats.day': ['Ngày', 'Day'],
  'accessStats.people': ['Số người', 'People'],
  'accessStats.mostViewed': ['Được xem nhiều nhất', 'Most viewed'],
  'accessStats.viewsOf': ['{views} lượt · {viewers} người', '{views} views · {viewers} people'],
  'accessStats.secret': ['(Văn bản mật)', '(Secret document)'],
  'accessStats.none': ['Không có lượt truy cập nào trong khoảng thời gian này.', 'No access in this period.'],
  'accessStats.kind.incoming': ['Văn bản đến', 'Incoming'],
  'accessStats.kind.outgoing': ['Văn bản đi', 'Outgoing'],
  'accessStats.kind.records_file': ['Hồ sơ', 'Work file'],
} as const satisfies Record<string, readonly [string, string]>;

export const [auditVi, auditEn] = splitPairs(M);
