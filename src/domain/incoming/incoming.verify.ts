import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AppDeps } from '../../platform/deps.ts';

const run = promisify(execFile);

export type SignatureCheck = {
  field: string; signer: string; signingTime: string; isSignatureValid: boolean; coversWholeDocument: boolean; certificate: string;
};
export type IncomingVerifyReport = { tool: string; isValid: boolean; signatures: SignatureCheck[]; error?: string };

/**
 * Verifies every signature in a received PDF and returns a report kept with the document. The one place
 * the incoming flow calls a verifier: today poppler's `pdfsig` (integrity of each signature and whether it
 * covers the whole file; certificate trust as pdfsig reports it), to be replaced by the signing domain's
 * verifyPdf with the install's trust store when that lands.
 */
export async function verifyIncomingPdf(deps: AppDeps, bytes: Uint8Array): Promise<IncomingVerifyReport> {
  void deps;
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-verify-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    await writeFile(file, bytes);
    const out = await run('pdfsig', [file], { timeout: 120_000, maxBuffer: 8 * 1024 * 1024 }).catch((error: { code?: string | number; stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT') return { stdout: '', stderr: 'pdfsig chưa được cài trên máy chủ' };
      return { stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
    });
    const signatures = parsePdfsig(out.stdout);
    const error = signatures.length === 0 ? (out.stderr.trim() || 'Tệp không có chữ ký số.').slice(0, 300) : undefined;
    return { tool: 'pdfsig', isValid: signatures.length > 0 && signatures.every((s) => s.isSignatureValid), signatures, ...(error && { error }) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads pdfsig's per-signature blocks ("Signature #n:" followed by "  - Key: value" lines). */
export function parsePdfsig(stdout: string): SignatureCheck[] {
  const blocks = stdout.split(/^Signature #\d+:$/m).slice(1);
  return blocks.map((block) => {
    const field = (key: string) => new RegExp(`^\\s*- ${key}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
    return {
      field: field('Signature Field Name'),
      signer: field('Signer Certificate Common Name'),
      signingTime: field('Signing Time'),
      isSignatureValid: field('Signature Validation') === 'Signature is Valid.',
      coversWholeDocument: /^\s*- Total document signed$/m.test(block),
      certificate: field('Certificate Validation'),
    };
  });
}
