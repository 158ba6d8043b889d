import { splitPairs } from '../i18n/pairs.ts';
/** The backups page's strings: [Vietnamese, English] per key, spread into the catalogues. */
const M = {
  'nav.backups': ['Sao lưu dữ liệu', 'Backups'],
  'backup.title': ['Sao lưu dữ liệu', 'Backups'],
  'backup.subtitle': ['Máy chủ tự sao lưu toàn bộ dữ liệu (cơ sở dữ liệu, tệp văn bản, thư chờ gửi, khóa) lúc 02:00 hằng ngày và khi quản trị viên yêu cầu. Mỗi bản sao lưu là một tệp; các bản cũ được xóa, chỉ giữ {keep} bản mới nhất.', 'The server backs up all its data (database, document files, pending mail, keys) daily at 02:00 and when an administrator asks. Each backup is one file; only the newest {keep} are kept.'],
  'backup.runNow': ['Sao lưu ngay', 'Back up now'],
  'backup.queued': ['Đã yêu cầu sao lưu; kết quả hiện trong danh sách sau ít phút.', 'A backup is queued; it appears in the list in a few minutes.'],
  'backup.at': ['Thời điểm', 'At'],
  'backup.trigger': ['Loại', 'Kind'],
  'backup.trigger.scheduled': ['Định kỳ', 'Scheduled'],
  'backup.trigger.manual': ['Đột xuất', 'On demand'],
  'backup.file': ['Tệp sao lưu', 'Archive'],
  'backup.size': ['Dung lượng', 'Size'],
  'backup.status': ['Trạng thái', 'Status'],
  'backup.status.queued': ['Chờ thực hiện', 'Queued'],
  'backup.status.running': ['Đang sao lưu', 'Running'],
  'backup.status.succeeded': ['Thành công', 'Succeeded'],
  'backup.status.failed': ['Lỗi', 'Failed'],
  'backup.empty': ['Chưa có lần sao lưu nào. Bản sao lưu đầu tiên được tạo lúc 02:00, hoặc bấm «Sao lưu ngay».', 'No backup yet. The first one is made at 02:00, or press «Back up now».'],
  'backup.health.alert': ['Sao lưu dữ liệu đang gặp sự cố', 'Backups are failing'],
  'backup.health.failed': ['Lần sao lưu lúc {at} không thành công: {error}', 'The backup at {at} failed: {error}'],
  'backup.health.stale': ['Đã quá {hours} giờ chưa có bản sao lưu nào thành công.', 'No backup has succeeded for more than {hours} hours.'],
  'backup.health.lastSuccess': ['Lần sao lưu thành công gần nhất: {at}.', 'Last successful backup: {at}.'],
  'backup.health.neverSucceeded': ['Chưa có lần sao lưu nào thành công.', 'No backup has succeeded yet.'],
  'backup.health.fix': ['Hãy kiểm tra chỗ trống của thư mục sao lưu và nhật ký máy chủ, rồi bấm «Sao lưu ngay». Cảnh báo tự hết khi có một lần sao lưu thành công.', 'Check the free space of the backup directory and the server log, then press «Back up now». The warning clears once a backup succeeds.'],
  'backup.health.ok': ['Sao lưu hoạt động bình thường — lần thành công gần nhất: {at}.', 'Backups are working — last success: {at}.'],
  'backup.health.next': ['Lần sao lưu định kỳ tiếp theo: {at}.', 'Next scheduled backup: {at}.'],
  'backup.where': ['Thư mục lưu bản sao lưu trên máy chủ: {dir}', 'Archives are written on the server to: {dir}'],
  'backup.restore.title': ['Phục hồi dữ liệu', 'Restoring'],
  'backup.restore.steps': ['Phục hồi do bộ phận kỹ thuật thực hiện trên máy chủ: (1) dừng máy chủ vanthu; (2) kiểm tra tệp sao lưu; (3) phục hồi vào thư mục dữ liệu (DATA_DIR) trống — với --force, dữ liệu hiện có được chuyển sang thư mục bên cạnh, không bị xóa; với PostgreSQL, DATABASE_URL phải trỏ tới cơ sở dữ liệu trống, không có kết nối nào khác (lệnh từ chối khi máy chủ còn kết nối; --force bỏ qua kiểm tra này); (4) đọc báo cáo kết quả phục hồi rồi khởi động lại máy chủ. Nên chép các tệp sao lưu sang máy hoặc ổ đĩa khác.', 'Restoring is done by technical staff on the server: (1) stop vanthu; (2) verify the archive; (3) restore into an empty DATA_DIR — with --force the current data is moved aside, never deleted; with PostgreSQL, DATABASE_URL must name an empty database no other session is connected to (refused while a server is connected; --force skips that check); (4) read the restore report, then start the server. Copy archives to another machine or disk.'],
} as const satisfies Record<string, readonly [string, string]>;

export const [backupVi, backupEn] = splitPairs(M);
