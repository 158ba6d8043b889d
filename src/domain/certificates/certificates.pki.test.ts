import { createPublicKey, X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ensureDemoCa } from './certificates.pki.ts';

const fingerprint = (der: Uint8Array) => new X509Certificate(der).fingerprint256;
/** Whether the CA's key is the one its certificate names (a key beside another CA's certificate signs nothing that verifies). */
const keyMatches = (ca: Awaited<ReturnType<typeof ensureDemoCa>>) =>
  createPublicKey(ca.key).export({ type: 'spki', format: 'der' }).equals(new X509Certificate(ca.certDer).publicKey.export({ type: 'spki', format: 'der' }));

describe('the install\'s demo CA', () => {
  test('calls at the same time in one process (the demo job at start and a request) get one CA, its key beside its certificate', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-demo-ca-'));
    const cas = await Promise.all(Array.from({ length: 4 }, () => ensureDemoCa(dataDir)));
    expect(new Set(cas.map((ca) => fingerprint(ca.certDer))).size).toBe(1);
    const stored = await ensureDemoCa(dataDir);
    expect(fingerprint(stored.certDer)).toBe(fingerprint(cas[0]!.certDer));
    expect(keyMatches(stored)).toBe(true);
  });

  test('two processes creating it at the same time end with one CA, the one both use', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-demo-ca-'));
    const script = `import { ensureDemoCa } from ${JSON.stringify(path.resolve(import.meta.dirname, 'certificates.pki.ts'))};
      const ca = await ensureDemoCa(${JSON.stringify(dataDir)}); process.stdout.write(new (await import('node:crypto')).X509Certificate(ca.certDer).fingerprint256);`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]).then((r) => r.stdout);
    const printed = await Promise.all([run(), run(), run()]);
    const stored = await ensureDemoCa(dataDir);
    expect(printed).toEqual([0, 1, 2].map(() => fingerprint(stored.certDer)));
    expect(keyMatches(stored)).toBe(true);
  });
});
