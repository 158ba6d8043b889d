/**
 * `vanthu backup create|verify|restore`: one archive of the install (database dump, blobs, mail
 * outbox, keys) and its restore (ND 30 Phụ lục VI III.5.g, IV.1.e). See src/platform/backup.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../../platform/config.ts';
import { utcPlus7Parts } from '../../platform/dates.ts';
import { openDatabase } from '../../platform/db/client.ts';
import { assertPgliteClosed, backupSettings, createBackup, restoreBackup, verifyBackup, type RestoreReport } from '../../platform/backup/backup.ts';

export const summary = 'Sao lưu và phục hồi dữ liệu (cơ sở dữ liệu, tệp, khóa) thành một tệp';

const HELP = `Cách dùng:
  vanthu backup create [--out THƯ_MỤC]   Tạo một tệp sao lưu vanthu-backup-YYYYMMDD-HHmmss.tar
                                         (mặc định vào BACKUP_DIR, tức DATA_DIR/backups)
  vanthu backup verify TỆP               Kiểm tra tệp sao lưu: mã băm SHA-256 từng phần, đủ mọi tệp
                                         mà cơ sở dữ liệu trong bản sao lưu ghi nhận
  vanthu backup restore TỆP [--force]    Phục hồi vào DATA_DIR (và DATABASE_URL) rồi in báo cáo

Dùng cùng cấu hình với máy chủ (DATA_DIR, DATABASE_URL). Với cơ sở dữ liệu nhúng (PGlite), khi máy chủ
đang chạy hãy dùng «Sao lưu ngay» trong trang Quản trị › Sao lưu dữ liệu (hoặc bản sao lưu hằng ngày).
Phục hồi: DỪNG MÁY CHỦ trước. DATA_DIR đích phải trống (--force: chuyển dữ liệu cũ sang thư mục
DATA_DIR.before-restore-…, không xóa); với PostgreSQL, DATABASE_URL phải trỏ tới cơ sở dữ liệu trống
không có kết nối nào khác (--force bỏ qua kiểm tra kết nối).
Dữ liệu của trục liên thông (vanthu axis) sao lưu riêng (xem docs/axis.md).
Mã thoát: 0 thành công, 1 tệp sao lưu có lỗi, 64 sai cú pháp, 65 không thực hiện được (xem thông báo).`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(String((error as Error).message));
    return 64;
  }
  const { values, positionals } = parsed;
  if (!sub || sub === '--help' || sub === '-h' || values.help) { console.log(HELP); return sub ? 0 : 64; }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) { console.error(error.message); return 78; }
    throw error;
  }
  if (sub === 'create') {
    await assertPgliteClosed(config);
    const handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.pgliteDir });
    try {
      const made = await createBackup({ config, handle, outDir: path.resolve(values.out ?? backupSettings(config).dir) });
      console.log(`Đã sao lưu: ${made.file}\n  ${formatBytes(made.size)}; cơ sở dữ liệu ${made.manifest.database}, ${made.manifest.blobs.length} tệp (blob), ${made.manifest.parts.length - 1} tệp khác.`);
      return 0;
    } finally {
      await handle.close();
    }
  }
  const file = positionals[0];
  if (!file || (sub !== 'verify' && sub !== 'restore')) { console.log(HELP); return 64; }
  if (sub === 'verify') {
    const result = await verifyBackup(file);
    const m = result.manifest;
    console.log(`Tệp sao lưu ${file}\n  tạo lúc ${formatDate(m.createdAt)} bởi vanthu ${m.vanthuVersion}; cơ sở dữ liệu ${m.database}, bước nâng cấp ${m.migration ?? '—'}\n  ${result.blobCount} tệp (blob), ${formatBytes(result.blobBytes)}`);
    if (result.problems.length === 0) { console.log('Kết quả: HỢP LỆ — mọi phần khớp mã băm, đủ mọi tệp cơ sở dữ liệu ghi nhận.'); return 0; }
    console.log(`Kết quả: CÓ LỖI (${result.problems.length}):\n  - ${result.problems.join('\n  - ')}`);
    return 1;
  }
  const report = await restoreBackup({ file, config, force: values.force === true });
  console.log(formatRestoreReport(report));
  return report.problems.length > 0 ? 1 : 0;
}

/** Thông báo kết quả phục hồi: what came back, from when, the counts and the problems. */
export function formatRestoreReport(r: RestoreReport): string {
  const c = r.counts;
  return [
    'KẾT QUẢ PHỤC HỒI DỮ LIỆU',
    `  Tệp sao lưu:      ${r.file}`,
    `  Tạo lúc:          ${formatDate(r.manifest.createdAt)} (vanthu ${r.manifest.vanthuVersion}, cơ sở dữ liệu ${r.manifest.database})`,
    `  Phục hồi vào:     ${r.dataDir}`,
    ...(r.previousDataDir ? [`  Dữ liệu cũ:       chuyển sang ${r.previousDataDir} (không xóa)`] : []),
    `  Nâng cấp CSDL:    ${r.migrationsApplied.length === 0 ? 'không cần (đã ở phiên bản mới nhất)' : r.migrationsApplied.join(', ')}`,
    '  Đã phục hồi:',
    `    Cơ quan:              ${c.agencies}`,
    `    Người dùng:           ${c.users}`,
    `    Văn bản đến:          ${c.incoming}`,
    `    Văn bản đi:           ${c.outgoing}`,
    `    Hồ sơ công việc:      ${c.workFiles}`,
    `    Tệp đính kèm (blob):  ${c.blobs} (${formatBytes(c.blobBytes)})`,
    `    Tệp khác (thư, khóa): ${c.files}`,
    r.problems.length === 0 ? '  Kết quả: THÀNH CÔNG, không phát hiện lỗi. Có thể khởi động lại máy chủ.' : `  Vấn đề phát hiện:\n    - ${r.problems.join('\n    - ')}`,
  ].join('\n');
}

const formatBytes = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** dd/MM/yyyy HH:mm in Vietnam time. */
function formatDate(iso: string): string {
  const p = utcPlus7Parts(new Date(iso));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
