import { errorFactory } from '../errors.ts';

export const databaseInUse = errorFactory({
  code: 'db.in_use', status: 409,
  message: 'Cơ sở dữ liệu nhúng (PGlite) của thư mục dữ liệu này đang được một tiến trình khác mở — có thể một máy chủ vanthu khác đang chạy với cùng DATA_DIR. Cơ sở dữ liệu nhúng chỉ được mở bởi một tiến trình: hãy dừng tiến trình đó, hoặc chạy với DATA_DIR khác.',
});

/** db.in_use naming the directory and the process that holds it. */
export const databaseInUseBy = (pgliteDir: string, pid: number) =>
  databaseInUse({ pgliteDir, pid }, { message: `${databaseInUse.message} (Thư mục: ${pgliteDir}; tiến trình: ${pid}.)` });

export const databaseOpenFailed = errorFactory({
  code: 'db.open_failed', status: 500,
  message: 'Không mở được cơ sở dữ liệu nhúng (PGlite) trong thư mục dữ liệu: dữ liệu có thể đã hỏng (ví dụ do hai tiến trình cùng ghi, hoặc ổ đĩa đầy). Đừng xóa thư mục này; hãy phục hồi từ bản sao lưu gần nhất vào một DATA_DIR mới (vanthu backup restore TỆP.tar) và báo bộ phận kỹ thuật.',
});
