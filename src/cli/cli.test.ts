import { describe, expect, test } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, 'main.ts');

async function vanthu(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the vanthu command', () => {
  test('an operator bootstraps a fresh install: a province, its admin, a reset password, and the audit chain verifies', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-cli-'));
    expect((await vanthu(dir, 'migrate')).code).toBe(0);
    const agency = await vanthu(dir, 'admin', 'create-agency', '--code', '000.00.00.H01', '--name', 'Ủy ban nhân dân tỉnh Thử', '--short-name', 'UBND', '--level', 'province');
    expect(agency.out).toContain('Đã tạo cơ quan 000.00.00.H01');
    const duplicate = await vanthu(dir, 'admin', 'create-agency', '--code', '000.00.00.H01', '--name', 'Trùng', '--short-name', 'X', '--level', 'province');
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.out).toContain('agency.code_taken');
    const user = await vanthu(dir, 'admin', 'create-user', '--agency', '000.00.00.H01', '--username', 'quantri', '--full-name', 'Quản Trị', '--password', 'BatDau2026', '--roles', 'admin,province_admin');
    expect(user.out).toContain('Đã tạo người dùng quantri');
    expect((await vanthu(dir, 'admin', 'reset-password', '--username', 'quantri', '--password', 'TamThoi2026')).code).toBe(0);
    const verify = await vanthu(dir, 'audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/Nhật ký nguyên vẹn: 3 hàng/);
  }, 300_000); // six cold starts of the embedded database: slow on a loaded 2-core machine

  test('an unknown command explains itself', async () => {
    const res = await vanthu(await mkdtemp(path.join(tmpdir(), 'vanthu-cli-')), 'khong-co');
    expect(res.code).toBe(64);
    expect(res.out).toContain('Lệnh không tồn tại');
  });
});

describe('one embedded database, one process', () => {
  test('while a server runs on a DATA_DIR, a command on the same DATA_DIR is refused with db.in_use, and a second server on its port ends with server.port_in_use instead of lingering', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-cli-'));
    const port = await freePort();
    const server = spawn(process.execPath, [MAIN, 'serve'], { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', VANTHU_DEMO: 'false', LOG_LEVEL: 'silent', PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/openapi.json`);
      const second = await vanthu(dir, 'migrate');
      expect(second.code).not.toBe(0);
      expect(second.out).toContain('db.in_use');
      expect(second.out).toContain(`tiến trình: ${server.pid}`);

      const other = await mkdtemp(path.join(tmpdir(), 'vanthu-cli-'));
      const started = Date.now();
      const clash = await run(process.execPath, [MAIN, 'serve'], { env: { ...process.env, DATA_DIR: other, DATABASE_URL: '', VANTHU_DEMO: 'false', LOG_LEVEL: 'silent', PORT: String(port), HOST: '127.0.0.1' }, timeout: 30_000 })
        .then(() => ({ code: 0, out: '' }), (e: { code: number; stdout: string; stderr: string; killed?: boolean }) => ({ code: e.killed ? 'killed' : e.code, out: e.stdout + e.stderr }));
      expect(clash.code).not.toBe('killed');
      expect(clash.code).not.toBe(0);
      expect(clash.out).toContain('server.port_in_use');
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    // the server closed its database on the way out: the next command opens it
    expect((await vanthu(dir, 'migrate')).code).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}
