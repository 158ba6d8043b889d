import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { login } from './auth.service.ts';

const t = useTestApp();
const codeOf = (p: Promise<unknown>) => p.then(() => 'signed in', (e: { code?: string }) => e.code);
const signIn = (ip: string, username: string, password = TEST_PASSWORD) =>
  codeOf(login({ db: t.db, config: t.deps.config, login: username, password, ip, userAgent: 'test' }));

describe('the per-address limit on signing in', () => {
  test('forty colleagues behind one public address all sign in within the quarter of an hour', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 40; i++) {
      const { user } = await makeUser(t.db);
      expect(await signIn(ip, user.username), `sign-in ${i + 1}`).toBe('signed in');
    }
  });

  test('thirty failed attempts from one address stop the next one there, even with the right password; another address still signs in', async () => {
    const ip = '203.0.113.20';
    const { user } = await makeUser(t.db);
    for (let i = 0; i < 30; i++) {
      // a different, unknown login each time: the account lockout plays no part
      expect(await signIn(ip, `khong-co-${i}`, 'sai-mat-khau')).toBe('auth.invalid_credentials');
    }
    expect(await signIn(ip, user.username)).toBe('auth.rate_limited');
    expect(await signIn('203.0.113.21', user.username)).toBe('signed in');
  });
});
