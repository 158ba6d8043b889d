/**
 * `vanthu archive renew [--dry-run]`: runs one archive pass by hand over the server's data — the same
 * pass the server's nightly job runs (see src/domain/archive).
 */
import { parseArgs } from 'node:util';
import { boot } from '../../platform/boot.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { runArchivePass, type PassReport } from '../../domain/archive/archive.service.ts';
import { scheduleFollowUps } from '../../domain/archive/archive.jobs.ts';
import { installTsaUrl } from '../../domain/certificates/certificates.tsa.ts';

/** One line for `vanthu --help`. */
export const summary = 'Gia hạn dấu thời gian cho văn bản lưu trữ (một lượt, như tác vụ hằng đêm của máy chủ)';

const HELP = `Cách dùng: vanthu archive renew [--dry-run] [--limit N] [--json]

Tìm các tệp PDF đã ký của văn bản đi đã phát hành và văn bản đến đã đăng ký; tệp nào chưa đạt mức B-LTA
hoặc có dấu thời gian cuối sắp hết hạn (trong VANTHU_LTA_MARGIN_DAYS ngày, mặc định 365) hay dùng thuật
toán yếu thì được bổ sung DSS và một dấu thời gian tài liệu mới từ VANTHU_TSA_URL, lưu thành phiên bản mới
(tệp cũ giữ nguyên). Dùng cùng dữ liệu với máy chủ (DATA_DIR hoặc DATABASE_URL).
  --dry-run     Chỉ liệt kê việc sẽ làm, không ghi gì
  --limit N     Số tệp tối đa trong lượt này (mặc định 50)
  --json        In báo cáo dạng JSON
  -h, --help    Hiện hướng dẫn này
Mã thoát: 0 thành công, 1 có tệp gia hạn thất bại (sẽ thử lại), 64 sai cú pháp.`;

/** Runs `vanthu archive`. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'renew') { console.log(HELP); return sub === '--help' || sub === '-h' ? 0 : 64; }
  const { values } = parseArgs({ args: rest, strict: true, options: { 'dry-run': { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(HELP); return 0; }
  const limit = values.limit ? Number(values.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1) { console.error('--limit phải là số nguyên dương.'); return 64; }
  const { deps, close } = await boot({ logLevel: 'warn' });
  try {
    const report = await runArchivePass(deps, { dryRun: values['dry-run'] === true, limit });
    if (!values['dry-run']) {
      await scheduleFollowUps(deps.db, report);
      await deps.db.transaction().execute((tx) => audit(tx, { ...SYSTEM_ACTOR, name: 'cli' }, { type: 'ARCHIVE_PASS_RUN', entityType: 'archive', entityId: 'archive.renew', data: { by: 'cli', checked: report.checked, renewed: report.renewed, failed: report.failed } }));
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : printable(report, values['dry-run'] === true, !!installTsaUrl(deps.config)));
    return report.failed > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

function printable(r: PassReport, isDryRun: boolean, hasTsa: boolean): string {
  const lines = r.items.map((i) => `  [${i.outcome}] ${i.ownerType} ${i.ownerId} tệp ${i.fileId}: ${i.detail}${i.protectedUntil ? ` (bảo vệ đến ${i.protectedUntil.slice(0, 10)})` : ''}${i.retryAt ? ` — thử lại lúc ${i.retryAt}` : ''}`);
  const head = isDryRun
    ? `Chạy thử: đã xem ${r.checked} tệp, ${r.items.filter((i) => i.outcome === 'due').length} tệp cần gia hạn (không ghi gì).`
    : `Đã thêm ${r.discovered} tệp mới vào theo dõi; kiểm tra ${r.checked}, gia hạn ${r.renewed}, thất bại ${r.failed}, bỏ qua ${r.skipped}.`;
  return [head, ...(hasTsa ? [] : ['Chưa cấu hình VANTHU_TSA_URL: không gia hạn được tệp nào.']), ...lines, ...(r.hasMore ? ['Còn tệp chưa xem trong lượt này (tăng --limit hoặc chạy lại).'] : [])].join('\n');
}
