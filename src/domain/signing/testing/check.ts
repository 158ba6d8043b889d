/**
 * Independent checks of signed PDFs for tests: `qpdf --check` (structure) and `pdfsig` (integrity of
 * every signature; its exit code is 0 even on a digest mismatch, so the text is parsed), and
 * `openssl cms -verify` for one signature's CMS against its byte ranges.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPdf } from '../pdf/reader.ts';
import { listSignatures } from '../pdf/structure.ts';

/** The outcome of the external tools on one file. */
export type ToolReport = { qpdfStatus: number; qpdfOutput: string; signatures: { type: string; valid: boolean; total: boolean }[]; pdfsig: string };

/** Runs qpdf --check and pdfsig on `bytes` (an encrypted file opened with its user `password`). */
export function checkWithTools(bytes: Uint8Array, password?: string): ToolReport {
  const path = join(mkdtempSync(join(tmpdir(), 'vanthu-check-')), 'file.pdf');
  writeFileSync(path, bytes);
  const qpdf = spawnSync('qpdf', [...(password === undefined ? [] : [`--password=${password}`]), '--check', path], { encoding: 'utf8' });
  const sig = spawnSync('pdfsig', [...(password === undefined ? [] : ['-upw', password]), '-nocert', path], { encoding: 'utf8' });
  const blocks = sig.stdout.split(/^Signature #\d+:$/m).slice(1);
  const signatures = blocks.map((b) => ({
    type: /Signature Type: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
    valid: /Signature Validation: Signature is Valid\./.test(b),
    total: /Total document signed/.test(b) && !/Not total document signed/.test(b),
  }));
  return { qpdfStatus: qpdf.status ?? -1, qpdfOutput: qpdf.stdout + qpdf.stderr, signatures, pdfsig: sig.stdout };
}

/** Verifies signature `index` with `openssl cms -verify` (CA file given); returns openssl's stderr. */
export function opensslVerify(bytes: Uint8Array, index: number, caFile: string): { ok: boolean; output: string; cmsText: string } {
  const sig = listSignatures(openPdf(bytes))[index];
  if (!sig) throw new Error(`no signature #${index}`);
  const [a = 0, b = 0, c = 0, d = 0] = sig.byteRange;
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-cms-'));
  writeFileSync(join(dir, 'content.bin'), Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]));
  writeFileSync(join(dir, 'sig.der'), trimDer(sig.contents));
  const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'),
    '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  const cmsText = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'sig.der')], { encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stderr, cmsText };
}

/** Cuts the zero padding after a DER value (its length is in its header). */
export function trimDer(der: Uint8Array): Uint8Array {
  const first = der[1] ?? 0;
  if (first < 0x80) return der.subarray(0, 2 + first);
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (der[2 + i] ?? 0);
  return der.subarray(0, 2 + n + length);
}
