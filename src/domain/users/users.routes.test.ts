import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';

const t = useTestApp();

const admin = () => signedInClient(t.app, t.db, { roles: ['admin'] });

describe('user administration', () => {
  test('an admin creates a user in a unit, who logs in and must change the initial password', async () => {
    const { client, actor } = await admin();
    const unit = await makeUnit(t.db, actor.agencyId);
    const username = `cv${Date.now()}`;
    const res = await client.post('/api/users', { username, fullName: 'Nguyễn Văn Bình', position: 'Chuyên viên', unitId: unit.id, roles: ['staff'], password: 'BanDau2026' });
    expect(res.status).toBe(201);
    const newcomer = testClient(t.app);
    const login = await newcomer.login(username, 'BanDau2026');
    expect(login.status).toBe(200);
    expect((login.body.data as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
  });

  test('a duplicate username is a clear 409; a weak password and an unknown role are 400', async () => {
    const { client, user } = await admin();
    expect((await client.post('/api/users', { username: user.username, fullName: 'X', roles: ['staff'], password: 'BanDau2026' })).body.error?.code).toBe('user.username_taken');
    expect((await client.post('/api/users', { username: `a${Date.now()}`, fullName: 'X', roles: ['staff'], password: '123' })).body.error?.code).toBe('auth.weak_password');
    expect((await client.post('/api/users', { username: `b${Date.now()}`, fullName: 'X', roles: ['king'], password: 'BanDau2026' })).status).toBe(400);
  });

  test("an admin sees only their agency's users and cannot edit another agency's user", async () => {
    const { client, actor } = await admin();
    const stranger = await makeUser(t.db, { agencyId: (await makeAgency(t.db)).id });
    const colleague = await makeUser(t.db, { agencyId: actor.agencyId });
    const list = (await client.get('/api/users')).body.data as { id: string; agencyId: string }[];
    expect(list.map((u) => u.id)).toContain(colleague.user.id);
    expect(list.every((u) => u.agencyId === actor.agencyId)).toBe(true);
    expect((await client.patch(`/api/users/${stranger.user.id}`, { fullName: 'Đổi' })).status).toBe(404);
    expect((await client.post(`/api/users/${stranger.user.id}/reset-password`, { newPassword: 'TamThoi2026' })).status).toBe(404);
  });

  test('staff cannot create users', async () => {
    const { user } = await makeUser(t.db, { roles: ['staff', 'clerk', 'leader'] });
    const client = testClient(t.app);
    await client.login(user.username, TEST_PASSWORD);
    expect((await client.post('/api/users', { username: `c${Date.now()}`, fullName: 'X', roles: ['staff'], password: 'BanDau2026' })).status).toBe(403);
  });

  test('deactivating a user ends their sessions; an admin cannot deactivate themselves', async () => {
    const { client, actor, user } = await admin();
    const target = await makeUser(t.db, { agencyId: actor.agencyId });
    const theirs = testClient(t.app);
    await theirs.login(target.user.username, TEST_PASSWORD);
    expect((await client.patch(`/api/users/${target.user.id}`, { isActive: false })).status).toBe(200);
    expect((await theirs.get('/api/auth/session')).status).toBe(401);
    expect((await client.patch(`/api/users/${user.id}`, { isActive: false })).body.error?.code).toBe('user.self_lockout');
  });

  test('an admin resets a locked-out password: the lockout lifts and the user must change it', async () => {
    const { client, actor } = await admin();
    const target = await makeUser(t.db, { agencyId: actor.agencyId });
    await t.db.updateTable('appUser').set({ lockedUntil: new Date(Date.now() + 600_000) }).where('id', '=', target.user.id).execute();
    expect((await client.post(`/api/users/${target.user.id}/reset-password`, { newPassword: 'TamThoi2026' })).status).toBe(200);
    const login = await testClient(t.app).login(target.user.username, 'TamThoi2026');
    expect(login.status).toBe(200);
  });
});

describe('admin pages', () => {
  test('the audit log lists the agency rows for an admin and is forbidden to staff', async () => {
    const { client, actor } = await admin();
    await client.post('/api/orgs/units', { name: 'Phòng Nhật ký' });
    const rows = (await client.get('/api/admin/audit')).body.data as { type: string }[];
    expect(rows.map((r) => r.type)).toContain('UNIT_CREATED');
    const staff = await makeUser(t.db, { agencyId: actor.agencyId });
    const sc = testClient(t.app);
    await sc.login(staff.user.username, TEST_PASSWORD);
    expect((await sc.get('/api/admin/audit')).status).toBe(403);
    expect((await sc.get('/api/admin/outbox')).status).toBe(403);
  });

  test('the admin narrows the audit log to one kind of object and to one person, beyond the many sign-ins', async () => {
    const { client, actor } = await admin();
    await client.post('/api/orgs/units', { name: 'Phòng Lọc nhật ký' });
    const staff = await makeUser(t.db, { agencyId: actor.agencyId });
    await testClient(t.app).login(staff.user.username, TEST_PASSWORD);
    const types = async (query: string) => ((await client.get(`/api/admin/audit?${query}`)).body.data as { type: string; actorName: string }[]);
    expect((await types('entityType=unit')).map((r) => r.type)).toEqual(['UNIT_CREATED']);
    expect((await types(`actor=${staff.user.username.slice(2, 8).toUpperCase()}`)).map((r) => [r.type, r.actorName])).toEqual([['USER_LOGGED_IN', staff.user.username]]);
    expect(await types('actor=%25')).toEqual([]);
  });
});
