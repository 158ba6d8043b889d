import { boot } from '../../platform/boot.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';

export const summary = 'Nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất';

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Cách dùng: vanthu migrate\n\nChạy các bước nâng cấp cơ sở dữ liệu còn thiếu (chỉ tiến, không lùi) trên cùng dữ liệu máy chủ dùng\n(DATA_DIR hoặc DATABASE_URL). Máy chủ cũng tự chạy bước này khi khởi động.');
    return 0;
  }
  const { deps, close } = await boot({ migrate: false, logLevel: 'warn' });
  try {
    const result = await migrateToLatest(deps.db);
    const applied = result.results ?? [];
    console.log(applied.length === 0 ? 'Cơ sở dữ liệu đã ở phiên bản mới nhất.' : applied.map((r) => `  ${r.status === 'Success' ? '✓' : '✗'} ${r.migrationName}`).join('\n'));
    return 0;
  } finally {
    await close();
  }
}
