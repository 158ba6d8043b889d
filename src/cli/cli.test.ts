import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
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
