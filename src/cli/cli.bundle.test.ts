import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, CLI_DIST, type CliManifest } from '../../scripts/build-cli.ts';
import { createP12Signer } from '../domain/signing/keys.ts';
import { signPdf } from '../domain/signing/signing.pades.ts';
import { makePdfLib, scratchDir } from '../domain/signing/testing/corpus.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../domain/signing/testing/pki.ts';
import { changePageContent } from '../domain/signing/verify/verify.tamper.ts';
import { needTool } from '../test/tools.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'vanthu.js');

async function node(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, VANTHU_FROM_SOURCE: '' } });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe.skipIf(!needTool('openssl'))('the prebuilt vanthu bundle (dist/cli) verifies like the sources', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  let manifest: CliManifest;
  let good: string;
  let changed: string;

  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
    manifest = await buildCli();
    const dir = scratchDir('cli-bundle');
    const signer = await createP12Signer(pki.leader.p12, pki.password);
    const signed = await signPdf(await makePdfLib(1), { signer });
    good = path.join(dir, 'signed.pdf');
    changed = path.join(dir, 'changed.pdf');
    writeFileSync(good, signed);
    writeFileSync(changed, changePageContent(signed));
  }, 120_000);
  afterAll(() => ocsp.close());

  test('the bundle lists only its own chunks and names the sources each command loads', () => {
    expect(existsSync(path.join(CLI_DIST, manifest.entry))).toBe(true);
    expect(manifest.commands.verify).toContain('src/domain/signing/verify/verify.ts');
    // `vanthu verify` loads no database, HTTP server or token code.
    expect(manifest.commands.verify?.filter((f) => /platform\/db|platform\/http|pkcs11|serve/.test(f))).toEqual([]);
  });

  test('a signed PDF passes (exit 0, JSON report) through the bundle and through bin/vanthu.js', async () => {
    for (const entry of [path.join(CLI_DIST, manifest.entry), BIN]) {
      const res = await node(entry, 'verify', '--json', '--trust', pki.root.certPath, good);
      expect(res.code).toBe(0);
      const report = JSON.parse(res.stdout) as { indication: string; signatures: { signerName: string }[] };
      expect(report.indication).toBe('TOTAL-PASSED');
      expect(report.signatures[0]?.signerName).toBe('Nguyễn Văn An');
    }
  });

  test('the verify snapshot reports like the bundle, started directly and by the executable bin/vanthu.js', async () => {
    const snapshot = manifest.snapshot;
    expect(snapshot?.inputs).toContain('src/domain/signing/verify/verify.ts');
    const blob = path.join(CLI_DIST, snapshot?.blob ?? '');
    const direct = await node('--snapshot-blob', blob, 'verify', '--json', '--trust', pki.root.certPath, changed);
    expect(direct.code).toBe(1);
    expect(JSON.parse(direct.stdout)).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    // The shell part of bin/vanthu.js finds `node` on PATH: this Node, the one the snapshot was built with.
    const env = { ...process.env, VANTHU_FROM_SOURCE: '', PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const usable = await run('sh', ['-c', '. "$root/dist/cli/snapshot.sh"; echo "$vanthu_snapshot"'], { env: { ...env, root: ROOT } });
    expect(usable.stdout.trim()).toBe(path.join(ROOT, 'dist', 'cli', snapshot?.blob ?? ''));
    const { stdout } = await run(BIN, ['verify', '--json', '--trust', pki.root.certPath, good], { env });
    expect(JSON.parse(stdout)).toMatchObject({ indication: 'TOTAL-PASSED', signatures: [{ signerName: 'Nguyễn Văn An' }] });
  });

  test('an operator starts a production install through bin/vanthu.js (the bundle): the migrations run on an empty DATA_DIR and the agency is created', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-bundle-'));
    const env = { ...process.env, VANTHU_FROM_SOURCE: '', DATA_DIR: dataDir, DATABASE_URL: '', VANTHU_DEMO: 'false', LOG_LEVEL: 'silent' };
    const { stdout } = await run(process.execPath, [path.join(CLI_DIST, manifest.entry), 'admin', 'create-agency', '--code', '000.00.00.H01',
      '--name', 'Ủy ban nhân dân tỉnh Thử', '--short-name', 'UBND', '--level', 'province'], { env, timeout: 120_000 });
    expect(stdout).toContain('Đã tạo cơ quan 000.00.00.H01');
  }, 150_000);

  test('the bundle fails a page changed after signing (exit 1) and a missing file (exit 3)', async () => {
    const entry = path.join(CLI_DIST, manifest.entry);
    const res = await node(entry, 'verify', '--json', '--trust', pki.root.certPath, changed);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect((await node(entry, 'verify', '--trust', pki.root.certPath, path.join(path.dirname(good), 'khong-co.pdf'))).code).toBe(3);
  });
});
