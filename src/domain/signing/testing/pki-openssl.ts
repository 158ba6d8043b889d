import { spawn } from 'node:child_process';

/**
 * Runs the `openssl` CLI with optional stdin, returning stdout bytes. Rejects with the stderr text on a
 * non-zero exit or after `timeoutMs` (default 15 s), so a stuck tool never hangs a test.
 */
export function runOpenssl(args: string[], input?: Uint8Array, timeoutMs = 15_000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else reject(new Error(`openssl ${args[0] ?? ''} failed (${code}): ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? new Uint8Array());
  });
}
