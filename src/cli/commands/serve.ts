import { boot } from '../../platform/boot.ts';
import { startServer } from '../../platform/server.ts';
import { seedDemo, DEMO_LOGINS, DEMO_PASSWORD } from '../../domain/orgs/demo.ts';
import { seedDemoDocuments, seedDemoOutgoingDocuments, type DemoDocumentsReport } from '../../domain/demo/demo.service.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { ensureDemoTsa } from '../../domain/certificates/certificates.pki.ts';
import { DEMO_TSA_URL, installTsaUrl } from '../../domain/certificates/certificates.tsa.ts';
import { ConfigError } from '../../platform/config.ts';
import { sealClearEndpointSecrets } from '../../domain/exchange/connector/connector.secret.ts';

export const summary = 'Chạy máy chủ web và API (mặc định http://localhost:8080)';

const HELP = `Cách dùng: vanthu serve

Chạy máy chủ vanthu: giao diện web, API (/api, tài liệu ở /api/docs) và tiến trình xử lý nền.
Cấu hình qua biến môi trường (xem README): PORT, HOST, DATA_DIR, DATABASE_URL, VANTHU_DEMO,
PUBLIC_URL, SMTP_URL, MAIL_FROM, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS, LOG_LEVEL…
Không có DATABASE_URL: dùng cơ sở dữ liệu nhúng (PGlite) trong DATA_DIR và bật chế độ demo.`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let booted;
  try {
    booted = await boot();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  const { deps } = booted;
  // axis secrets written in clear by an older version are encrypted before the connector reads them
  const sealed = await sealClearEndpointSecrets({ db: deps.db, dataDir: deps.config.dataDir });
  if (sealed > 0) deps.logger.info({ endpoints: sealed }, 'exchange: axis secrets stored in clear are now encrypted');
  const isDemoNew = deps.config.demo && (await seedDemo(deps.db));
  if (isDemoNew) deps.logger.info('demo province created');
  // the demo CA and its timestamp authority exist from the first start (also on installs made before the demo TSA)
  if (installTsaUrl(deps.config) === DEMO_TSA_URL) await ensureDemoTsa(deps.config.dataDir);
  // The demo's work in progress, through the real services (each in its own transaction, after the
  // province's); a failed story is only a warning: the demo stays usable with what was seeded.
  if (isDemoNew) logSeeded(deps, 'demo documents created', await seedDemoDocuments(deps));
  let server;
  try {
    server = await startServer(deps);
  } catch (error) {
    // the port is taken (or the like): close the database so that the process ends with the error
    await booted.close();
    throw error;
  }
  printBanner(server.url, deps.config.demo, deps.config.databaseUrl ? 'PostgreSQL' : `PGlite (${deps.config.pgliteDir})`);
  // The outgoing documents' signing and issuing make the demo CA's certificates (a few seconds): done once the server listens.
  const issuing = isDemoNew ? seedDemoOutgoingDocuments(deps).then((r) => logSeeded(deps, 'demo outgoing documents created', r)) : Promise.resolve();
  const shutdown = async () => {
    await issuing;
    await server.stop();
    await booted.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<number>(() => {});
}

function logSeeded(deps: AppDeps, message: string, seeded: DemoDocumentsReport): void {
  if (seeded.skipped) return deps.logger.info({ reason: seeded.skipped }, 'demo documents: none');
  deps.logger.info({ documents: seeded.documents, ms: Math.round(seeded.ms), stories: seeded.storyMs }, message);
  for (const f of seeded.failures) deps.logger.warn({ story: f.story, code: f.code }, `demo documents: "${f.story}" was left out: ${f.message}`);
}

function printBanner(url: string, demo: boolean, database: string) {
  const lines = ['', `  vanthu đang chạy: ${url}`, `  Tài liệu API:     ${url}/api/docs`, `  Cơ sở dữ liệu:    ${database}`];
  if (demo) {
    lines.push('', `  CHẾ ĐỘ DEMO — mật khẩu mọi tài khoản: ${DEMO_PASSWORD}`);
    for (const l of DEMO_LOGINS) lines.push(`    ${l.username.padEnd(16)} ${l.role} — ${l.fullName}`);
  }
  console.log(lines.join('\n') + '\n');
}
