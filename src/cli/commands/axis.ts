import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addSystem, listSystems, removeSystem } from '../../domain/exchange/axis/axis.directory.ts';
import { pruneBodies } from '../../domain/exchange/axis/axis.retention.ts';
import { openAxisDeps, startAxisServer } from '../../domain/exchange/axis/axis.server.ts';
import { isAppError } from '../../platform/errors.ts';

export const summary = 'Trục liên thông văn bản (giao thức VXP): chạy trục, quản lý hệ thống/cơ quan kết nối';

const HELP = `Cách dùng:
  vanthu axis serve [--port 8181] [--host 127.0.0.1] [--data-dir DIR] [--database-url URL]
                    [--base-path /vxp] [--code MÃ_TRỤC]
                    [--parent-url URL --parent-system-id ID --parent-secret S] [--body-retention-days N]
  vanthu axis prune-bodies --older-than-days N [--dry-run] [--data-dir DIR] [--database-url URL]
  vanthu axis agency add --code MÃ --name TÊN [--secret S] [--kind agency|axis] [--mail EMAIL] [--pid ID]
  vanthu axis agency list
  vanthu axis agency remove --code MÃ

Trục lưu và chuyển tiếp gói tin edXML, nói đúng giao thức của SDK VXP (sendEdoc, getReceivedEdocList,
getSentEdocList, getEdoc, updateStatus, getAgenciesList, getSynchronizeUnit, registerAgency,
deleteAgency) tại http://HOST:PORT/vxp. Mỗi hệ thống kết nối xác thực bằng HMAC-SHA256 với khóa bí mật.

  --data-dir       thư mục dữ liệu của trục (mặc định ./data-axis; biến AXIS_DATA_DIR)
  --database-url   PostgreSQL (biến DATABASE_URL); không có thì dùng PGlite trong --data-dir
  --parent-url     địa chỉ trục cấp trên (ví dụ https://truc.tinh.gov.vn/vxp): gói tin gửi cơ quan
                   mà trục này không phục vụ được chuyển lên đó; --parent-secret có thể đặt qua
                   biến AXIS_PARENT_SECRET
  --code           mã của trục ghi trong TraceHeader (mặc định --parent-system-id, hoặc VXP)
  --body-retention-days
                   xóa nội dung gói tin cũ hơn N ngày khi mọi cơ quan nhận đã nhận xong (đã báo done,
                   hoặc đã chuyển lên trục cấp trên, hoặc không chuyển được), kiểm tra mỗi giờ; thông tin,
                   trạng thái và nhật ký chuyển nhận của gói tin vẫn giữ. Không đặt: giữ nội dung mãi mãi.
  prune-bodies     làm một lần việc trên với --older-than-days N; --dry-run chỉ đếm, không xóa gì.
  agency add       --kind agency (mặc định): hệ thống của một cơ quan, systemid = mã định danh;
                   --kind axis: trục cấp dưới, tự đăng ký cơ quan của mình qua registerAgency.
                   Không có --secret thì sinh khóa ngẫu nhiên và in ra một lần.
Khóa bí mật được lưu nguyên văn trong cơ sở dữ liệu của trục (HMAC cần chính khóa đó).`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' },
  'base-path': { type: 'string' }, code: { type: 'string' }, 'parent-url': { type: 'string' },
  'parent-system-id': { type: 'string' }, 'parent-secret': { type: 'string' }, name: { type: 'string' }, secret: { type: 'string' },
  kind: { type: 'string' }, mail: { type: 'string' }, pid: { type: 'string' }, 'log-level': { type: 'string' },
  'body-retention-days': { type: 'string' }, 'older-than-days': { type: 'string' }, 'dry-run': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function storage(v: Values) {
  return {
    dataDir: path.resolve(v['data-dir'] ?? process.env.AXIS_DATA_DIR ?? './data-axis'),
    databaseUrl: v['database-url'] ?? (process.env.DATABASE_URL || undefined),
  };
}

function parentOf(v: Values) {
  const endpoint = v['parent-url'];
  const systemId = v['parent-system-id'];
  const secret = v['parent-secret'] ?? process.env.AXIS_PARENT_SECRET;
  if (!endpoint && !systemId) return undefined;
  if (!endpoint || !systemId || !secret) throw new Error('Trục cấp trên cần đủ --parent-url, --parent-system-id và --parent-secret.');
  return { endpoint: endpoint.replace(/\/+$/, ''), systemId, secret };
}

/** A number of days (a whole number, at least 1) given as `name`; undefined when not given. */
function daysOption(v: Values, name: 'body-retention-days' | 'older-than-days'): number | undefined {
  const value = v[name];
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`--${name} phải là số ngày nguyên, ít nhất 1: ${value}`);
  return days;
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** `vanthu axis prune-bodies`: one retention run (axis.retention.ts), printing what it freed (or would free). */
async function pruneBodiesCommand(v: Values): Promise<number> {
  const olderThanDays = daysOption(v, 'older-than-days');
  if (olderThanDays === undefined) throw new Error('Cần --older-than-days N (số ngày).');
  const { deps, close } = await openAxisDeps({ ...storage(v), logLevel: 'silent' });
  try {
    const dryRun = v['dry-run'] === true;
    const r = await pruneBodies({ deps, olderThanDays, dryRun });
    const verb = dryRun ? 'Sẽ xóa (chạy thử, chưa xóa gì)' : 'Đã xóa';
    console.log(`${verb} nội dung của ${r.packages} gói tin cũ hơn ${olderThanDays} ngày mà mọi cơ quan nhận đã nhận xong: ${r.bodies} bản lưu, ${mib(r.bodyBytes)}.`);
    console.log(`${dryRun ? 'Sẽ xóa' : 'Đã xóa'} ${r.segments} tệp nhật ký nội dung (axis-bodies) và ${r.blobs} tệp gói tin lớn (blobs), giải phóng ${mib(r.fileBytes)} trên đĩa.`);
    console.log('Thông tin, trạng thái và nhật ký chuyển nhận của các gói tin vẫn được giữ.');
    return 0;
  } finally {
    await close();
  }
}

async function serveAxis(v: Values): Promise<number> {
  const port = Number(v.port ?? process.env.AXIS_PORT ?? 8181);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Cổng không hợp lệ: ${v.port ?? ''}`);
  const axis = await startAxisServer({
    ...storage(v), port, host: v.host ?? '127.0.0.1', basePath: v['base-path'], parent: parentOf(v), axisCode: v.code,
    logLevel: v['log-level'] ?? process.env.LOG_LEVEL ?? 'info', bodyRetentionDays: daysOption(v, 'body-retention-days'),
  });
  console.log(`Trục liên thông đang chạy: ${axis.endpoint}`);
  const shutdown = async () => {
    await axis.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<number>(() => {});
}

async function agencyCommand(action: string | undefined, v: Values): Promise<number> {
  const { deps, close } = await openAxisDeps({ ...storage(v), logLevel: 'silent' });
  try {
    if (action === 'add') {
      if (!v.code || !v.name) throw new Error('Cần --code và --name.');
      const kind = v.kind === 'axis' ? 'axis' : 'agency';
      const secret = v.secret ?? randomBytes(24).toString('hex');
      await addSystem({ db: deps.db, dataDir: deps.config.dataDir, systemId: v.code, name: v.name, secret, kind, mail: v.mail, pid: v.pid });
      console.log(`Đã thêm hệ thống ${v.code} (${kind === 'axis' ? 'trục cấp dưới' : 'cơ quan'}).`);
      if (!v.secret) console.log(`Khóa bí mật (secret) — chỉ in một lần: ${secret}`);
      return 0;
    }
    if (action === 'list') {
      for (const s of await listSystems({ db: deps.db })) {
        console.log(`${s.systemId}\t${s.kind}\t${s.isActive ? 'hoạt động' : 'đã gỡ'}\t${s.name}\t${s.agencies.join(',')}`);
      }
      return 0;
    }
    if (action === 'remove') {
      if (!v.code) throw new Error('Cần --code.');
      const isRemoved = await removeSystem({ db: deps.db, systemId: v.code });
      console.log(isRemoved ? `Đã gỡ hệ thống ${v.code}.` : `Không có hệ thống ${v.code}.`);
      return isRemoved ? 0 : 1;
    }
    console.error('Cách dùng: vanthu axis agency add|list|remove … (xem vanthu axis --help)');
    return 64;
  } finally {
    await close();
  }
}

/** `vanthu axis serve | prune-bodies | agency add|list|remove`. */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 64;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    return values.help ? 0 : 64;
  }
  try {
    if (positionals[0] === 'serve') return await serveAxis(values);
    if (positionals[0] === 'prune-bodies') return await pruneBodiesCommand(values);
    if (positionals[0] === 'agency') return await agencyCommand(positionals[1], values);
  } catch (error) {
    if (isAppError(error)) throw error;
    console.error(`Lỗi: ${error instanceof Error ? error.message : String(error)}`);
    return 65;
  }
  console.error(`Lệnh con không tồn tại: "${positionals[0] ?? ''}". Xem vanthu axis --help.`);
  return 64;
}
