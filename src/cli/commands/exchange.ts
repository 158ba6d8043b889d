import { parseArgs } from 'node:util';
import { boot } from '../../platform/boot.ts';
import { closeAxisClients } from '../../domain/exchange/connector/connector.client.ts';
import { connectorTimings } from '../../domain/exchange/connector/connector.config.ts';
import { configureEndpointByCode, runConnectorOnce } from '../../domain/exchange/connector/connector.service.ts';

export const summary = 'Kết nối trục liên thông: cấu hình, gửi gói tin đang chờ, nhận văn bản và trạng thái';

const HELP = `Cách dùng:
  vanthu exchange configure --agency MÃ --endpoint URL --system-id ID --secret KHÓA [--disabled]
      Đặt địa chỉ trục (ví dụ http://127.0.0.1:8181/vxp), mã hệ thống và khóa bí mật của một cơ quan.
  vanthu exchange send-pending [--agency MÃ]   Gửi ngay các gói tin đang chờ (và nhận về), một lượt.
  vanthu exchange poll [--agency MÃ] [--sync-directory]
      Một lượt: gửi gói tin chờ, nhận văn bản/trạng thái mới từ trục, đồng bộ danh bạ nếu yêu cầu.
Máy chủ (vanthu serve) tự làm các việc này theo chu kỳ VANTHU_EXCHANGE_POLL_MS (mặc định 5000 ms);
thử lại khi lỗi: VANTHU_EXCHANGE_RETRY_MS (mặc định 5000, nhân 4 mỗi lần), VANTHU_EXCHANGE_MAX_ATTEMPTS (8).
Dùng cùng dữ liệu với máy chủ (DATA_DIR hoặc DATABASE_URL).`;

/** `vanthu exchange …`: operator helpers for the connector (also used by the multi-process tests). */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    console.log(HELP);
    return sub ? 0 : 64;
  }
  const { values } = parseArgs({ args: rest, options: {
    agency: { type: 'string' }, endpoint: { type: 'string' }, 'system-id': { type: 'string' }, secret: { type: 'string' },
    disabled: { type: 'boolean' }, 'sync-directory': { type: 'boolean' },
  } });
  const { deps, close } = await boot({ logLevel: 'warn' });
  try {
    if (sub === 'configure') {
      if (!values.agency || !values.endpoint || !values['system-id'] || !values.secret) {
        console.error('Thiếu tham số: cần --agency, --endpoint, --system-id, --secret.');
        return 64;
      }
      const row = await configureEndpointByCode(deps, { agencyCode: values.agency, endpoint: values.endpoint, systemId: values['system-id'], secret: values.secret, isEnabled: !values.disabled });
      console.log(`Đã cấu hình kết nối trục cho ${values.agency}: ${row.endpoint} (hệ thống ${row.systemId}${row.isEnabled ? '' : ', đang tắt'})`);
      return 0;
    }
    if (sub === 'poll' || sub === 'send-pending') {
      const report = await runConnectorOnce(deps, connectorTimings(), { agencyCode: values.agency, syncDirectory: values['sync-directory'] });
      console.log(JSON.stringify(report));
      return report.errors.length > 0 ? 1 : 0;
    }
    console.error(`Lệnh con không tồn tại: "${sub}". Xem "vanthu exchange --help".`);
    return 64;
  } finally {
    closeAxisClients();
    await close();
  }
}
