import { boot } from '../../platform/boot.ts';
import { verifyAuditChain } from '../../platform/audit/audit.ts';

export const summary = 'Kiểm tra chuỗi băm của nhật ký hệ thống (audit verify)';

const HELP = `Cách dùng: vanthu audit verify

Tính lại chuỗi SHA-256 của nhật ký hệ thống từ hàng đầu tiên. Mã thoát 0 khi nguyên vẹn;
1 khi có hàng bị sửa, xóa hoặc chèn (in ra số hiệu hàng hỏng đầu tiên).`;

export async function run(args: string[]): Promise<number> {
  if (args[0] !== 'verify' || args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return args[0] === 'verify' || args.includes('--help') ? 0 : 64;
  }
  const { deps, close } = await boot({ logLevel: 'warn' });
  try {
    const report = await verifyAuditChain(deps.db);
    if (report.ok) {
      console.log(`Nhật ký nguyên vẹn: ${report.rows} hàng.`);
      return 0;
    }
    console.log(`NHẬT KÝ BỊ SỬA ĐỔI: hàng #${report.firstBroken?.id} — ${report.firstBroken?.reason}.`);
    return 1;
  } finally {
    await close();
  }
}
