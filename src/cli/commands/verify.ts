/**
 * `vanthu verify FILE.pdf… [--trust PEM…] [--trust-dir DIR] [--json] [--offline] [--no-cache]`: verifies every
 * signature of every file (ND 30/2020 Art. 21). Online answers are kept on disk for later runs (revocationCacheDir). Exit 0 = all TOTAL-PASSED, 1 = some TOTAL-FAILED,
 * 2 = worst is INDETERMINATE, 3 = a file could not be read as a PDF.
 */
import { isAppError } from '../../platform/errors.ts';
import type { TrustStore } from '../../domain/signing/verify/verify.trust.ts';
import type { TVerifyReport } from '../../domain/signing/verify/verify.types.ts';

/**
 * Built-ins through getBuiltinModule, not `import`: the ESM facades of node:fs and node:util read every
 * export, and their lazy getters load ~35 more modules (fs/promises with readline, util's TextDecoder
 * with ICU data…), ~10 ms of a one-file `vanthu verify`.
 */
const fs = () => process.getBuiltinModule('node:fs');

let useCompileCache = true;

/** Run from the startup snapshot (src/cli/snapshot.ts): its code is compiled already, so no compile cache. */
export function disableCompileCache(): void {
  useCompileCache = false;
}

/**
 * Loads the verifier with Node's on-disk compile cache on: a one-file `vanthu verify` spends most of
 * its time compiling (and type-stripping) modules, and the cache roughly halves that on later runs.
 */
async function loadVerifier() {
  if (useCompileCache) process.getBuiltinModule('node:module').enableCompileCache();
  const [trust, verify, cache] = await Promise.all([import('../../domain/signing/verify/verify.trust.ts'), import('../../domain/signing/verify/verify.ts'),
    import('../../domain/signing/pki/revocation.cache.ts')]);
  return { loadTrustStore: trust.loadTrustStore, verifyPdf: verify.verifyPdf, createRevocationCache: cache.createRevocationCache };
}

/** One line for `vanthu --help`. */
export const summary = 'Kiểm tra chữ ký số của tệp PDF (toàn vẹn, chuỗi chứng thư, thu hồi, dấu thời gian, sửa đổi sau khi ký)';

const HELP = `Cách dùng: vanthu verify TỆP.pdf… [--trust PEM…] [--trust-dir THƯ_MỤC] [--json] [--offline] [--no-cache]

Kiểm tra mọi chữ ký số và dấu thời gian trong từng tệp PDF theo ETSI EN 319 102-1.
  --trust FILE        Chứng thư gốc/trung gian tin cậy (PEM hoặc DER; lặp lại được; có thể là thư mục)
  --trust-dir DIR     Thư mục chứng thư tin cậy (mặc định: biến môi trường VANTHU_TRUST_DIR)
  --json              In báo cáo JSON (xem docs/verify-report.md)
  --offline           Không truy cập mạng (chỉ dùng dữ liệu OCSP/CRL nhúng trong tệp)
  --timeout MS        Thời hạn mỗi yêu cầu OCSP/CRL/AIA (mặc định 10000)
  --no-cache          Không dùng lại câu trả lời OCSP/CRL đã lưu trên đĩa (thư mục VANTHU_CACHE_DIR,
                      mặc định ~/.cache/vanthu); câu trả lời chỉ được dùng lại đến hạn nextUpdate của nó
Mã thoát: 0 mọi chữ ký hợp lệ, 1 có chữ ký không hợp lệ, 2 chưa xác định, 3 không đọc được tệp PDF.
  -h, --help          Hiện hướng dẫn này`;

type FileResult = { file: string; report?: TVerifyReport; error?: { code: string; message: string } };

/** Builds the trust store from --trust (files or folders) and --trust-dir / VANTHU_TRUST_DIR. */
export async function trustFromArgs(trust: string[], dir: string | undefined): Promise<TrustStore> {
  const { loadTrustStore } = await loadVerifier();
  const files: string[] = [];
  const dirs: string[] = dir ? [dir] : [];
  for (const t of trust) (fs().statSync(t, { throwIfNoEntry: false })?.isDirectory() ? dirs : files).push(t);
  const stores = await Promise.all([loadTrustStore({ files }), ...dirs.map((d) => loadTrustStore({ dir: d }))]);
  const [first, ...rest] = stores;
  if (!first) return loadTrustStore({});
  for (const s of rest) {
    for (const [k, v] of s.anchors) first.anchors.set(k, v);
    for (const [k, v] of s.bySubject) first.bySubject.set(k, [...(first.bySubject.get(k) ?? []), ...v]);
  }
  return first;
}

/**
 * Folder where OCSP responses, CRLs and AIA certificates are kept between runs: VANTHU_CACHE_DIR, else
 * $XDG_CACHE_HOME/vanthu or ~/.cache/vanthu, plus /revocation. Undefined without any of them.
 */
function revocationCacheDir(): string | undefined {
  const env = process.env;
  const base = env.VANTHU_CACHE_DIR || (env.XDG_CACHE_HOME ? `${env.XDG_CACHE_HOME}/vanthu` : env.HOME ? `${env.HOME}/.cache/vanthu` : undefined);
  return base ? `${base}/revocation` : undefined;
}

function exitCode(results: FileResult[]): number {
  if (results.some((r) => r.error)) return 3;
  const inds = results.map((r) => r.report?.indication);
  if (inds.includes('TOTAL-FAILED')) return 1;
  if (inds.includes('INDETERMINATE')) return 2;
  return 0;
}

function printText(r: FileResult): void {
  if (r.error) { console.log(`${r.file}: LỖI ${r.error.code} — ${r.error.message}`); return; }
  const rep = r.report;
  if (!rep) return;
  console.log(`${r.file}: ${rep.indication}${rep.subIndication ? ` (${rep.subIndication})` : ''} — ${rep.summary}`);
  for (const s of rep.signatures) {
    console.log(`  #${s.index + 1} [${s.fieldName}] ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''} ${s.level} phiên bản ${s.revision}: ${s.summary}`);
  }
  for (const c of rep.changes.filter((x) => !x.permitted)) console.log(`  ! phiên bản ${c.revision}: ${c.findings.join('; ')}`);
}

/** Runs `vanthu verify`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = process.getBuiltinModule('node:util').parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      trust: { type: 'string', multiple: true }, 'trust-dir': { type: 'string' }, json: { type: 'boolean' }, offline: { type: 'boolean' }, timeout: { type: 'string' },
      'no-cache': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) { console.log(HELP); return values.help ? 0 : 3; }
  let trustStore: TrustStore;
  try {
    trustStore = await trustFromArgs(values.trust ?? [], values['trust-dir'] ?? process.env.VANTHU_TRUST_DIR);
  } catch (e) {
    console.error(isAppError(e) ? `${e.code}: ${e.message}` : String(e));
    return 3;
  }
  const { verifyPdf, createRevocationCache } = await loadVerifier();
  const dir = values['no-cache'] || values.offline ? undefined : revocationCacheDir();
  const cache = dir ? createRevocationCache({ dir }) : undefined;
  const results: FileResult[] = [];
  for (const file of positionals) {
    try {
      const bytes = new Uint8Array(fs().readFileSync(file));
      results.push({ file, report: await verifyPdf(bytes, { trustStore, offline: values.offline, fileName: file, cache, timeoutMs: values.timeout ? Number(values.timeout) : undefined }) });
    } catch (e) {
      const code = isAppError(e) ? e.code : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'verify.file_not_found' : 'verify.pdf_unreadable';
      results.push({ file, error: { code, message: isAppError(e) ? e.message : `Không đọc được tệp: ${e instanceof Error ? e.message : String(e)}` } });
    }
    if (!values.json) printText(results.at(-1) ?? { file });
  }
  if (values.json) {
    const out = results.map((r) => r.report ?? { file: r.file, error: r.error });
    console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
  }
  return exitCode(results);
}
