import { describe, expect, test } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { useTestApp } from '../../test/app.ts';
import { makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { ALL_JOBS } from '../../platform/jobs/registry.ts';
import { totpCodeAt } from './totp.ts';

const t = useTestApp({ loginMaxFailures: 3 });

describe('login and sessions', () => {
  test('a user logs in by username and gets an HttpOnly, SameSite=Lax session cookie and a CSRF token', async () => {
    const { user } = await makeUser(t.db);
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: user.username, password: TEST_PASSWORD }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/vanthu_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = (await res.json()) as { data: { csrfToken: string; user: Record<string, unknown> } };
    expect(body.data.csrfToken.length).toBeGreaterThan(20);
    expect(body.data.user).not.toHaveProperty('passwordHash');
  });

  test('a user logs in by email, case-insensitively', async () => {
    const { user } = await makeUser(t.db, { email: `Mixed.${Date.now()}@Example.gov.vn` });
    const client = testClient(t.app);
    expect((await client.login(user.email?.toUpperCase() ?? '', TEST_PASSWORD)).status).toBe(200);
  });

  test('a wrong password is refused with a Vietnamese message and no session', async () => {
    const { user } = await makeUser(t.db);
    const client = testClient(t.app);
    const res = await client.login(user.username, 'sai-mat-khau-1');
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('auth.invalid_credentials');
    expect(res.body.error?.message).toMatch(/mật khẩu không đúng/);
    expect((await client.get('/api/auth/session')).status).toBe(401);
  });

  test('repeated failures lock the account temporarily, even with the right password', async () => {
    const { user } = await makeUser(t.db);
    const client = testClient(t.app);
    for (let i = 0; i < 2; i++) expect((await client.login(user.username, 'sai-mat-khau-1')).body.error?.code).toBe('auth.invalid_credentials');
    expect((await client.login(user.username, 'sai-mat-khau-1')).body.error?.code).toBe('auth.locked');
    const res = await client.login(user.username, TEST_PASSWORD);
    expect(res.status).toBe(423);
    expect(res.body.error?.code).toBe('auth.locked');
  });

  test('a deactivated user cannot log in', async () => {
    const { user } = await makeUser(t.db);
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', user.id).execute();
    expect((await testClient(t.app).login(user.username, TEST_PASSWORD)).body.error?.code).toBe('auth.inactive');
  });

  test('a state-changing request without the CSRF token is refused', async () => {
    const { user } = await makeUser(t.db);
    const client = testClient(t.app);
    await client.login(user.username, TEST_PASSWORD);
    client.forgetCsrf();
    const res = await client.post('/api/auth/logout');
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('auth.csrf');
  });

  test('a request from another origin is refused', async () => {
    const res = await testClient(t.app).post('/api/auth/forgot-password', { login: 'x' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('auth.csrf');
  });

  test('an idle session expires', async () => {
    const { user } = await makeUser(t.db);
    const client = testClient(t.app);
    await client.login(user.username, TEST_PASSWORD);
    await t.db.updateTable('session').set({ lastSeenAt: new Date(Date.now() - t.deps.config.sessionIdleMs - 1000) }).where('userId', '=', user.id).execute();
    expect((await client.get('/api/auth/session')).status).toBe(401);
  });

  test('logging out ends the session; logging out everywhere ends the other devices too', async () => {
    const { user } = await makeUser(t.db);
    const phone = testClient(t.app);
    const desk = testClient(t.app);
    await phone.login(user.username, TEST_PASSWORD);
    await desk.login(user.username, TEST_PASSWORD);
    expect((await phone.post('/api/auth/logout')).status).toBe(200);
    expect((await phone.get('/api/auth/session')).status).toBe(401);
    expect((await desk.get('/api/auth/session')).status).toBe(200);
    const again = testClient(t.app);
    await again.login(user.username, TEST_PASSWORD);
    expect((await again.post('/api/auth/logout-everywhere')).status).toBe(200);
    expect((await desk.get('/api/auth/session')).status).toBe(401);
  });
});

describe('passwords', () => {
  test('a user changes the password: the old one stops working and other sessions end', async () => {
    const { user } = await makeUser(t.db);
    const me = testClient(t.app);
    const other = testClient(t.app);
    await me.login(user.username, TEST_PASSWORD);
    await other.login(user.username, TEST_PASSWORD);
    expect((await me.post('/api/auth/change-password', { currentPassword: 'wrong', newPassword: 'MoiHon2026' })).body.error?.code).toBe('auth.wrong_password');
    expect((await me.post('/api/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'short' })).body.error?.code).toBe('auth.weak_password');
    expect((await me.post('/api/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'MoiHon2026' })).status).toBe(200);
    expect((await me.get('/api/auth/session')).status).toBe(200);
    expect((await other.get('/api/auth/session')).status).toBe(401);
    expect((await testClient(t.app).login(user.username, TEST_PASSWORD)).status).toBe(401);
    expect((await testClient(t.app).login(user.username, 'MoiHon2026')).status).toBe(200);
  });

  test('forgot password mails a single-use link to the outbox; the link sets a new password once', async () => {
    const { user } = await makeUser(t.db);
    const client = testClient(t.app);
    expect((await client.post('/api/auth/forgot-password', { login: user.username })).status).toBe(200);
    expect((await client.post('/api/auth/forgot-password', { login: 'khong-ton-tai' })).status).toBe(200);
    const worker = startWorker({ deps: t.deps, jobs: ALL_JOBS, autoStart: false });
    await worker.runOnce();
    const files = await readdir(t.deps.config.outboxDir);
    const emls = await Promise.all(files.map((f) => readFile(path.join(t.deps.config.outboxDir, f), 'utf8')));
    const mine = emls.find((e) => e.includes(user.email ?? '?'));
    expect(mine).toBeDefined();
    const unfolded = (mine ?? '').replace(/=\r?\n/g, '');
    const token = /reset-password\?token=3D([A-Za-z0-9_-]+)|reset-password\?token=([A-Za-z0-9_-]+)/.exec(unfolded);
    const value = token?.[1] ?? token?.[2] ?? '';
    expect(value.length).toBeGreaterThan(20);
    expect((await client.post('/api/auth/reset-password', { token: value, newPassword: 'DatLai2026x' })).status).toBe(200);
    expect((await client.post('/api/auth/reset-password', { token: value, newPassword: 'LanHai2026x' })).body.error?.code).toBe('auth.reset_invalid');
    expect((await testClient(t.app).login(user.username, 'DatLai2026x')).status).toBe(200);
  });
});

describe('two-factor', () => {
  test('after turning on two-factor, login needs the current code, and a used code cannot be replayed', async () => {
    const { user } = await makeUser(t.db);
    const me = testClient(t.app);
    await me.login(user.username, TEST_PASSWORD);
    const setup = await me.post('/api/auth/totp/setup');
    const { secret, qrDataUrl } = setup.body.data as { secret: string; qrDataUrl: string };
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await me.post('/api/auth/totp/enable', { code: '000000' })).body.error?.code).toBe('auth.totp_invalid');
    const earlier = totpCodeAt(secret, Date.now() - 30_000);
    expect((await me.post('/api/auth/totp/enable', { code: earlier })).status).toBe(200);
    const next = testClient(t.app);
    expect((await next.login(user.username, TEST_PASSWORD)).body.error?.code).toBe('auth.totp_required');
    const code = totpCodeAt(secret);
    expect((await next.login(user.username, TEST_PASSWORD, code)).status).toBe(200);
    expect((await testClient(t.app).login(user.username, TEST_PASSWORD, code)).body.error?.code).toBe('auth.totp_invalid');
  });
});
