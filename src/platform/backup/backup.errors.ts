import { errorFactory } from '../errors.ts';

export const backupServerRunning = errorFactory({
  code: 'backup.server_running', status: 409,
  message: 'Máy chủ vanthu đang chạy trên DATA_DIR này (cơ sở dữ liệu nhúng chỉ mở được bởi một tiến trình). Hãy dùng «Sao lưu ngay» ở trang Quản trị › Sao lưu dữ liệu, hoặc dừng máy chủ rồi chạy lại lệnh.',
});
export const backupDumpFailed = errorFactory({ code: 'backup.dump_failed', status: 500, message: 'Không sao lưu được cơ sở dữ liệu.' });
export const backupArchiveInvalid = errorFactory({ code: 'backup.archive_invalid', status: 422, message: 'Tệp sao lưu không hợp lệ, thiếu dữ liệu hoặc đã bị sửa đổi.' });
export const backupTargetNotEmpty = errorFactory({
  code: 'backup.target_not_empty', status: 409,
  message: 'Thư mục dữ liệu (DATA_DIR) đích đã có dữ liệu. Chạy lại với --force để chuyển dữ liệu cũ sang một thư mục bên cạnh (không xóa) rồi phục hồi.',
});
export const backupTargetDatabaseNotEmpty = errorFactory({
  code: 'backup.target_database_not_empty', status: 409,
  message: 'Cơ sở dữ liệu PostgreSQL đích (DATABASE_URL) đã có bảng. Hãy tạo một cơ sở dữ liệu trống (createdb) và trỏ DATABASE_URL tới nó; lệnh phục hồi không xóa dữ liệu PostgreSQL.',
});
export const backupDatabaseInUse = errorFactory({
  code: 'backup.database_in_use', status: 409,
  message: 'Cơ sở dữ liệu PostgreSQL đích (DATABASE_URL) đang có kết nối khác — có thể máy chủ vanthu vẫn đang chạy. Hãy dừng máy chủ vanthu và đóng các kết nối khác tới cơ sở dữ liệu này rồi chạy lại lệnh. Thêm --force để bỏ qua kiểm tra này (chỉ khi chắc chắn không tiến trình nào đang ghi vào cơ sở dữ liệu đó); --force cũng chuyển dữ liệu cũ trong DATA_DIR sang một thư mục bên cạnh.',
});
export const backupKindMismatch = errorFactory({
  code: 'backup.database_kind_mismatch', status: 409,
  message: 'Bản sao lưu và cấu hình hiện tại dùng hai loại cơ sở dữ liệu khác nhau (PGlite nhúng / PostgreSQL). Hãy đặt (hoặc bỏ) DATABASE_URL cho khớp với bản sao lưu.',
});
export const backupNewerThanInstall = errorFactory({
  code: 'backup.newer_than_install', status: 409,
  message: 'Bản sao lưu được tạo bởi phiên bản vanthu mới hơn phiên bản đang cài. Hãy cài phiên bản mới hơn rồi phục hồi.',
});
export const backupRestoreFailed = errorFactory({ code: 'backup.restore_failed', status: 500, message: 'Phục hồi không thành công; thư mục dữ liệu đích không bị thay đổi.' });
