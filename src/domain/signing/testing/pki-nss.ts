import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki, TestPkiRole } from './pki.ts';

/**
 * An NSS database for poppler's `pdfsig`: the test root trusted, the intermediate known, and the given
 * signers' PKCS#12 imported (nickname = role), so `pdfsig -add-signature -nick ROLE` can sign and
 * `pdfsig -nssdir` can judge chains the same way our verifier does.
 */
export function createNssDb(pki: TestPki, signers: TestPkiRole[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-nss-'));
  const db = `sql:${dir}`;
  execFileSync('certutil', ['-N', '-d', db, '--empty-password'], { stdio: 'ignore' });
  execFileSync('certutil', ['-A', '-n', 'vanthu-root', '-t', 'CT,C,C', '-i', pki.root.certPath, '-d', db], { stdio: 'ignore' });
  execFileSync('certutil', ['-A', '-n', 'vanthu-intermediate', '-t', ',,', '-i', pki.intermediate.certPath, '-d', db], { stdio: 'ignore' });
  for (const role of signers) {
    execFileSync('pk12util', ['-i', pki[role].p12Path, '-d', db, '-W', pki.password, '-K', ''], { stdio: 'ignore' });
  }
  return db;
}

/** What pdfsig says about each signature of a file. */
export type PdfsigVerdict = { valid: boolean; total: boolean; certificate: string };

function runAsync(cmd: string, args: string[]): Promise<string> {
  // Async on purpose: the OCSP/TSA servers pdfsig may call run in this same process.
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { timeout: 60_000 });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', () => undefined);
    child.on('close', () => resolve(out));
    child.on('error', () => resolve(out));
  });
}

/** Runs `pdfsig -nssdir DB [-no-ocsp]` on bytes and parses each signature block. */
export async function pdfsigVerify(bytes: Uint8Array, db: string, options: { ocsp?: boolean } = {}): Promise<PdfsigVerdict[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'vanthu-pdfsig-')), 'file.pdf');
  writeFileSync(path, bytes);
  const out = await runAsync('pdfsig', ['-nssdir', db, ...(options.ocsp ? [] : ['-no-ocsp']), path]);
  return out.split(/^Signature #\d+:$/m).slice(1).map((b) => ({
    valid: /Signature Validation: Signature is Valid\./.test(b),
    total: /Total document signed/.test(b) && !/Not total document signed/.test(b),
    certificate: /Certificate Validation: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
  }));
}

/** Signs with `pdfsig -add-signature` using the NSS key of `role`. */
export async function pdfsigSign(input: Uint8Array, db: string, role: TestPkiRole): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-pdfsig-'));
  writeFileSync(join(dir, 'in.pdf'), input);
  await runAsync('pdfsig', ['-add-signature', '-nssdir', db, '-nick', role, '-reason', 'pdfsig test', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
  const { readFileSync } = await import('node:fs');
  return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
}
