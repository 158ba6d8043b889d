import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, '../../cli/main.ts');

async function vanthu(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', VANTHU_TSA_URL: '', VANTHU_DEMO: 'false', LOG_LEVEL: 'silent' } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('vanthu archive', () => {
  test('renew runs a pass on a fresh install, says the TSA is not configured, and a dry run writes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-archive-cli-'));
    const usage = await vanthu(dir, 'archive');
    expect(usage.code).toBe(64);
    expect(usage.out).toContain('vanthu archive renew');
    const dry = await vanthu(dir, 'archive', 'renew', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Chạy thử: đã xem 0 tệp');
    const real = await vanthu(dir, 'archive', 'renew', '--json');
    expect(real.code).toBe(0);
    expect(JSON.parse(real.out)).toMatchObject({ discovered: 0, checked: 0, renewed: 0, failed: 0 });
  }, 300_000);
});
