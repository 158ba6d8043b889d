import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { checkWithTools } from '../../domain/signing/testing/check.ts';
import * as corpus from '../../domain/signing/testing/corpus.ts';
import { createTestPki, startTestTsa } from '../../domain/signing/testing/pki.ts';
import type { TestPki } from '../../domain/signing/testing/pki.ts';
import { createSoftToken } from '../../domain/signing/testing/softhsm.ts';

const MAIN = new URL('../main.ts', import.meta.url).pathname;
const vanthu = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 });
// Async variant: the test TSA runs in this process, so the event loop must stay free while the CLI runs.
const vanthuAsync = (...args: string[]) => new Promise<{ status: number; stderr: string }>((resolve) => {
  execFile(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 }, (error, _out, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stderr }));
});

describe.skipIf(!needTool('pdfsig', 'qpdf', 'softhsm2-util', 'pkcs11-tool'))('vanthu sign / sign-batch', () => {
  let pki: TestPki;
  let input: string;
  const dir = corpus.scratchDir('cli');
  beforeAll(async () => {
    pki = await createTestPki();
    input = await corpus.pdfLibClassic();
  });

  test('--help documents every option', () => {
    const help = vanthu('sign', '--help');
    expect(help.status).toBe(0);
    for (const option of ['--p12', '--password', '--pkcs11', '--pin', '--slot', '--key-label', '--level', '--tsa', '--image', '--text', '--page', '--rect', '--anchor', '--reason', '--location', '--pdf-password']) {
      expect(help.stdout).toContain(option);
    }
    expect(vanthu('sign-batch', '--help').stdout).toContain('OUTDIR');
  });

  test('signs a password-protected PDF with --pdf-password (AES-256); without it the error says the file is encrypted', () => {
    const locked = join(dir, 'locked.pdf');
    execFileSync('qpdf', ['--encrypt', 'mokhoa', 'chu', '256', '--', input, locked]);
    const refused = vanthu('sign', locked, join(dir, 'refused.pdf'), '--p12', pki.leader.p12Path, '--password', pki.password);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('được mã hóa');
    const out = join(dir, 'unlocked-signed.pdf');
    const r = vanthu('sign', locked, out, '--p12', pki.leader.p12Path, '--password', pki.password, '--pdf-password', 'mokhoa', '--reason', 'Ký duyệt');
    expect(r.status, r.stderr).toBe(0);
    const report = checkWithTools(readFileSync(out), 'mokhoa');
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('signs with a P12 at B-T with a visible text stamp, then with a token; both signatures valid', async () => {
    const tsa = await startTestTsa(pki);
    try {
      const first = join(dir, 'first.pdf');
      const r1 = await vanthuAsync('sign', input, first, '--p12', pki.leader.p12Path, '--password', pki.password, '--level', 'B-T', '--tsa', tsa.url,
        '--text', 'Nguyễn Văn A', '--page', '1', '--rect', '350,120,160,60', '--reason', 'Ký duyệt');
      expect(r1.status, r1.stderr).toBe(0);
      const token = createSoftToken([{ label: 'seal', id: '01', keyPem: pki.seal.keyPem, certDer: pki.seal.certDer }]);
      const second = join(dir, 'second.pdf');
      const r2 = vanthu('sign', first, second, '--pkcs11', token.module, '--pin', token.pin, '--key-label', 'seal');
      expect(r2.status, r2.stderr).toBe(0);
      expect(checkWithTools(readFileSync(second)).signatures.map((s) => s.valid)).toEqual([true, true]);
    } finally {
      await tsa.close();
    }
  });

  test('errors are clear, coded, and leave no output file', () => {
    const out = join(dir, 'never.pdf');
    const bad = vanthu('sign', input, out, '--p12', pki.leader.p12Path, '--password', 'wrong');
    expect(bad.status).toBe(65);
    expect(bad.stderr).toContain('[signing.p12_bad_password]');
    const broken = join(dir, 'broken.pdf');
    writeFileSync(broken, 'not a pdf');
    const invalid = vanthu('sign', broken, out, '--p12', pki.leader.p12Path, '--password', pki.password);
    expect(invalid.stderr).toContain('[signing.pdf_invalid]');
    expect(spawnSync('ls', [out]).status).not.toBe(0);
  });

  test('sign-batch signs the good files and reports the bad one', () => {
    const outDir = join(dir, 'batch');
    const broken = join(dir, 'broken2.pdf');
    writeFileSync(broken, '%PDF-1.7\ntruncated');
    const r = vanthu('sign-batch', outDir, input, broken, '--p12', pki.seal.p12Path, '--password', pki.password);
    expect(r.status).toBe(65);
    expect(r.stdout).toContain('Đã ký 1/2 tệp.');
    expect(checkWithTools(readFileSync(join(outDir, 'pdflib-classic.pdf'))).signatures.map((s) => s.valid)).toEqual([true]);
  });
});
