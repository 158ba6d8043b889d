/**
 * `npm run bench:verify`: verification throughput (files/second) of `vanthu verify` vs poppler's
 * `pdfsig` on the same files — a 1-page PDF and a 5 MB PDF, each with two signatures (leader + agency
 * seal). Both tools check integrity, the CMS signature, the chain to the same trusted root and the
 * signer's revocation status online against the same local OCSP responder (`openssl ocsp`). Modes: one process per file for both tools
 * (the `vanthu` command as a user runs it — bin/vanthu.js executed, whose shell part starts Node from
 * the verify startup snapshot —, the prebuilt ESM bundle as `node bin/vanthu.js` runs it, pinned, and
 * the TypeScript sources run directly), and our
 * batch modes (many files in one `vanthu verify` process; `verifyPdf` in-process). The physical limit
 * (SHA-256 over the file + two RSA verifications, one core) is measured in the same run, and so is the
 * machine's load average (other work on a shared machine slows every column), and the CPU of a bare
 * `node -e 0`, the floor of any one-process-per-file run of a Node program. `vanthu verify` keeps
 * OCSP/CRL answers on disk between runs (until their nextUpdate): every column empties that cache
 * before each run (cold, the headline), except one column that shows the warm-cache rate. A second
 * table runs both tools one process per file again with the responder BENCH_OCSP_DELAY_MS (100) away,
 * as a CA's public OCSP responder and CRL server are: pdfsig asks one request after another, vanthu
 * sends them together and early.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli, CLI_DIST, CLI_SNAPSHOT_SH } from '../scripts/build-cli.ts';
import { createP12Signer } from '../src/domain/signing/keys.ts';
import { signPdf } from '../src/domain/signing/signing.pades.ts';
import { big5mb, makePdfLib } from '../src/domain/signing/testing/corpus.ts';
import { createNssDb } from '../src/domain/signing/testing/pki-nss.ts';
import { createTestPki, startTestOcsp } from '../src/domain/signing/testing/pki.ts';
import { loadTrustStore } from '../src/domain/signing/verify/verify.trust.ts';
import { verifyPdf } from '../src/domain/signing/verify/verify.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 40);
/**
 * Round trip of the responder in the second table: a CA's public OCSP responder and CRL server are on
 * the Internet, tens to hundreds of milliseconds away, not on the same machine as in the first table.
 */
const REMOTE_MS = Number(process.env.BENCH_OCSP_DELAY_MS ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'vanthu-vbench-'));

/** The shell part of bin/vanthu.js finds `node` on PATH: this Node, the one the snapshot is built with. */
const cacheDir = join(dir, 'revocation-cache');
const env = { ...process.env, VANTHU_FROM_SOURCE: '', VANTHU_CACHE_DIR: cacheDir, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
/**
 * Empties the on-disk OCSP/CRL cache `vanthu verify` keeps between runs (VANTHU_CACHE_DIR), so a run
 * asks the responder like pdfsig does: every column is cold except the one marked warm.
 */
const cold = () => rmSync(cacheDir, { recursive: true, force: true });
const ROOT = join(import.meta.dirname, '..');

/** Whether the launcher would start from the verify snapshot now (dist/cli/snapshot.sh finds it fresh). */
function snapshotUsable(): boolean {
  return spawnSync('sh', ['-c', `. ${JSON.stringify(CLI_SNAPSHOT_SH)} && [ -n "$vanthu_snapshot" ]`], { env: { ...env, root: ROOT } }).status === 0;
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/**
 * Mean CPU time (user + system, ms) of one run of `cmd`, over `n` runs, through GNU time: unlike
 * files/second it hardly depends on what else the shared machine runs. Undefined without /usr/bin/time.
 */
function cpuMs(cmd: string, args: string[], n = 10): Promise<number | undefined> {
  if (!existsSync('/usr/bin/time')) return Promise.resolve(undefined);
  const once = () => new Promise<number>((resolve) => {
    cold();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', () => {
      const [user, sys] = (err.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      resolve(((user ?? 0) + (sys ?? 0)) * 1000);
    });
  });
  return (async () => { let total = 0; for (let i = 0; i < n; i++) total += await once(); return total / n; })();
}

/** Files per second for `op` (which handles `files` files per call), run for SECONDS. */
async function rate(op: () => Promise<unknown>, files = 1): Promise<number> {
  await op();
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) { await op(); done += files; }
  return done / ((performance.now() - start) / 1000);
}

function physicalLimit(bytes: Uint8Array): number {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sig = nodeSign('sha256', Buffer.from('x'), privateKey);
  const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    createHash('sha256').update(bytes).digest();
    nodeVerify('sha256', Buffer.from('x'), key, sig);
    nodeVerify('sha256', Buffer.from('x'), key, sig);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function main() {
  const pki = await createTestPki(join(dir, 'pki'));
  const store = await loadTrustStore({ files: [pki.root.certPath] });
  const nss = createNssDb(pki);
  const ocsp = await startTestOcsp(pki);
  const leader = await createP12Signer(pki.leader.p12, pki.password);
  const seal = await createP12Signer(pki.seal.p12, pki.password);
  const inputs = { '1 page': await makePdfLib(1), '5 MB': new Uint8Array(readFileSync(await big5mb())) };
  const rows: string[][] = [];
  // Pin one build: bin/vanthu.js rebuilds when a source file it loads is newer than the bundle, so an edit
  // made on this shared checkout during the run would put a rebuild (and a cold compile cache) into the
  // numbers. The launcher does what bin/vanthu.js does once the bundle is fresh: compile cache on, import it.
  const manifest = await buildCli();
  const bin = join(dir, 'vanthu-pinned.mjs');
  writeFileSync(bin, `import { enableCompileCache } from 'node:module';\nenableCompileCache();\nawait import(${JSON.stringify(pathToFileURL(join(CLI_DIST, manifest.entry)).href)});\n`);
  const sources = join(ROOT, 'src', 'cli', 'main.ts');
  const command = join(ROOT, 'bin', 'vanthu.js');
  if (!snapshotUsable()) throw new Error('the verify snapshot was not built (see the warning above), or `sh` is missing');
  let snapshotMissed = false;
  const loads: number[] = [];
  const files: [string, string][] = [];
  for (const [name, pdf] of Object.entries(inputs)) {
    const signed = await signPdf(await signPdf(pdf, { signer: leader }), { signer: seal, fieldName: 'Seal' });
    const file = join(dir, `${name.replace(/\W/g, '')}.pdf`);
    writeFileSync(file, signed);
    files.push([name, file]);
    const check = await verifyPdf(signed, { trustStore: store });
    const ok = check.indication === 'TOTAL-PASSED';
    const tool = await run('pdfsig', ['-nssdir', nss, file]);
    const toolOk = (tool.out.match(/Signature is Valid/g) ?? []).length === 2 && (tool.out.match(/Certificate is Trusted/g) ?? []).length === 2;
    if (!ok || !toolOk) throw new Error(`sanity check failed for ${name}: ours=${ok} pdfsig=${toolOk}\n${tool.out}`);
    const many = Array.from({ length: BATCH }, () => file);
    const pdfsigPerFile = await rate(() => run('pdfsig', ['-nssdir', nss, file]));
    loads.push(loadavg()[0] ?? 0);
    const oursPerFile = await rate(() => { cold(); return run(command, ['verify', '--trust', pki.root.certPath, file]); });
    const oursWarm = await rate(() => run(command, ['verify', '--trust', pki.root.certPath, file]));
    snapshotMissed ||= !snapshotUsable();
    const bundlePerFile = await rate(() => { cold(); return run(process.execPath, [bin, 'verify', '--trust', pki.root.certPath, file]); });
    const sourcesPerFile = await rate(() => { cold(); return run(process.execPath, [sources, 'verify', '--trust', pki.root.certPath, file]); });
    const oursCliBatch = await rate(() => { cold(); return run(command, ['verify', '--trust', pki.root.certPath, ...many]); }, BATCH);
    const oursInProcess = await rate(() => verifyPdf(new Uint8Array(readFileSync(file)), { trustStore: store }));
    const cpu = [await cpuMs('pdfsig', ['-nssdir', nss, file], 20), await cpuMs(command, ['verify', '--trust', pki.root.certPath, file], 20),
      await cpuMs(process.execPath, [bin, 'verify', '--trust', pki.root.certPath, file], 20), await cpuMs(process.execPath, ['-e', '0'], 20)];
    snapshotMissed ||= !snapshotUsable();
    const cpuCell = cpu.every((c) => c !== undefined) ? cpu.map((c) => `${c?.toFixed(0)} ms`).join(' / ') : '–';
    const limit = physicalLimit(signed);
    loads.push(loadavg()[0] ?? 0);
    rows.push([name, `${(signed.length / 1e6).toFixed(2)} MB`, pdfsigPerFile.toFixed(1), oursPerFile.toFixed(1), oursWarm.toFixed(1), bundlePerFile.toFixed(1), sourcesPerFile.toFixed(1), cpuCell, oursCliBatch.toFixed(1), oursInProcess.toFixed(1), limit.toFixed(0)]);
  }
  await ocsp.close();
  // The same files, one process per file, with the responder REMOTE_MS away: the requests a tool makes one
  // after the other add up, those made together overlap (and overlap with the tool's own work).
  const remote = await startTestOcsp(pki, { delayMs: REMOTE_MS });
  const remoteRows: string[][] = [];
  for (const [name, file] of files) {
    const pdfsigRemote = await rate(() => run('pdfsig', ['-nssdir', nss, file]));
    loads.push(loadavg()[0] ?? 0);
    const oursRemote = await rate(() => { cold(); return run(command, ['verify', '--trust', pki.root.certPath, file]); });
    loads.push(loadavg()[0] ?? 0);
    remoteRows.push([name, pdfsigRemote.toFixed(1), oursRemote.toFixed(1), `×${(oursRemote / pdfsigRemote).toFixed(2)}`]);
  }
  await remote.close();
  const head = ['file (2 signatures)', 'size', 'pdfsig, 1 process/file', '`vanthu verify` (snapshot), 1 process/file', 'same, warm OCSP/CRL disk cache', '`node bin/vanthu.js verify` (ESM bundle), 1 process/file', 'vanthu verify from TS sources, 1 process/file',
    'CPU per process: pdfsig / vanthu (snapshot) / ESM bundle / Node start alone', `vanthu verify, ${BATCH} files/process`, 'verifyPdf in-process', 'limit: SHA-256 + 2 RSA verify, 1 core'];
  const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const load = `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${availableParallelism()} CPUs`;
  console.log(`\nVerification throughput, files/second (Node ${process.version}, ${SECONDS} s per cell, ${load}):\n\n${table}\n`);
  const remoteHead = ['file (2 signatures)', `pdfsig, 1 process/file, responder ${REMOTE_MS} ms away`, `\`vanthu verify\` (snapshot, cold cache), 1 process/file, responder ${REMOTE_MS} ms away`, 'vanthu ÷ pdfsig'];
  const remoteTable = [remoteHead, remoteHead.map(() => '---'), ...remoteRows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  console.log(`With the OCSP responder and CRL server ${REMOTE_MS} ms away (BENCH_OCSP_DELAY_MS), as a CA's public ones are:\n\n${remoteTable}\n`);
  if (snapshotMissed) console.log('WARNING: a source of the snapshot changed during the run; some `vanthu verify` runs rebuilt it or ran the ESM bundle.\n');
}

await main();
