import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { openSecret, sealSecret } from './certificates.secrets.ts';

const run = promisify(execFile);
const module = path.join(import.meta.dirname, 'certificates.secrets.ts');

describe('secrets sealed with the data directory key', () => {
  test('a sealed secret opens again, and the key file is created once with mode 0600', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-secrets-'));
    const sealed = await sealSecret(dataDir, 'mật khẩu con dấu');
    expect(sealed).not.toContain('mật khẩu');
    expect(await openSecret(dataDir, sealed)).toBe('mật khẩu con dấu');
    expect(statSync(path.join(dataDir, 'keys', 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dataDir, 'keys'))).toEqual(['secret.key']);
  });

  test('processes starting at once on a fresh data directory all seal with the same key (no key overwritten)', async () => {
    // Each child loads the module, then waits for the same instant before sealing, so their first uses meet.
    const script = `const { sealSecret } = await import(${JSON.stringify(module)}); const go = Number(process.argv[2]); while (Date.now() < go); process.stdout.write(await sealSecret(process.argv[1], 'bí mật ' + process.pid));`;
    for (let round = 0; round < 4; round++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-secrets-race-'));
      const go = String(Date.now() + 1500);
      const outputs = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--input-type=module', '-e', script, dataDir, go])));
      for (const { stdout } of outputs) expect(await openSecret(dataDir, stdout)).toMatch(/^bí mật \d+$/);
      expect(readdirSync(path.join(dataDir, 'keys'))).toEqual(['secret.key']);
    }
  });
});
