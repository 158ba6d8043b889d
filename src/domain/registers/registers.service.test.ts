import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeDeps, makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import { createApp } from '../../platform/http/app.ts';
import { allocateNumber, vietnamYear } from './registers.service.ts';
import { buildNotation, formatDocumentNumber } from './document-types.ts';

const t = useTestDb();

const take = (agencyId: string, o: { isSecret?: boolean; at?: Date } = {}) =>
  t.db.transaction().execute((tx) => allocateNumber(tx, { agencyId, kind: 'outgoing', isSecret: o.isSecret ?? false, typeCode: 'quyet_dinh', at: o.at ?? new Date('2026-06-01T03:00:00Z') }));

describe('numbering', () => {
  test('numbers run from 1 per agency and year, and Mật documents have their own series', async () => {
    const { actor } = await makeUser(t.db);
    expect((await take(actor.agencyId)).number).toBe(1);
    expect((await take(actor.agencyId)).number).toBe(2);
    expect((await take(actor.agencyId, { isSecret: true })).number).toBe(1);
    const other = await makeUser(t.db);
    expect((await take(other.actor.agencyId)).number).toBe(1);
  });

  test('the series restarts on 1 January in Vietnamese time, not UTC', async () => {
    const { actor } = await makeUser(t.db);
    expect((await take(actor.agencyId, { at: new Date('2026-12-31T17:30:00Z') })).year).toBe(2027);
    expect(vietnamYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect((await take(actor.agencyId, { at: new Date('2027-01-01T02:00:00Z') })).number).toBe(2);
    expect((await take(actor.agencyId, { at: new Date('2026-12-01T02:00:00Z') })).number).toBe(1);
  });

  test('a rolled-back transaction gives its number back', async () => {
    const { actor } = await makeUser(t.db);
    await take(actor.agencyId);
    await t.db.transaction().execute(async (tx) => {
      await allocateNumber(tx, { agencyId: actor.agencyId, kind: 'outgoing', isSecret: false, at: new Date('2026-06-01') });
      throw new Error('ký số thất bại');
    }).catch(() => {});
    expect((await take(actor.agencyId)).number).toBe(2);
  });

  test('fifty concurrent issues get fifty different numbers', async () => {
    const { actor } = await makeUser(t.db);
    const numbers = await Promise.all(Array.from({ length: 50 }, () => take(actor.agencyId)));
    expect(new Set(numbers.map((n) => n.number)).size).toBe(50);
    expect(Math.max(...numbers.map((n) => n.number))).toBe(50);
  });

  test('notation follows Art. 15: 15/QĐ-UBND for named types, 123/UBND-VP for a công văn', () => {
    expect(`${formatDocumentNumber(15)}/${buildNotation({ typeCode: 'quyet_dinh', agencyShort: 'UBND' })}`).toBe('15/QĐ-UBND');
    expect(`${formatDocumentNumber(123)}/${buildNotation({ typeCode: 'cong_van', agencyShort: 'UBND', unitShort: 'VP' })}`).toBe('123/UBND-VP');
    expect(formatDocumentNumber(5)).toBe('05');
  });
});

describe('register routes', () => {
  test('a clerk lists the registers with this year\'s last number; staff may not; an admin adds a register', async () => {
    const app = createApp(await makeDeps(t.db));
    const clerk = await makeUser(t.db, { roles: ['clerk'] });
    const client = testClient(app);
    await client.login(clerk.user.username, TEST_PASSWORD);
    const list = (await client.get('/api/registers')).body.data as { kind: string; isSecret: boolean }[];
    expect(list.filter((r) => r.kind === 'outgoing')).toHaveLength(2);
    expect((await client.post('/api/registers', { kind: 'outgoing', name: 'Sổ Quyết định' })).status).toBe(403);
    const staff = await makeUser(t.db, { roles: ['staff'], agencyId: clerk.actor.agencyId });
    const sc = testClient(app);
    await sc.login(staff.user.username, TEST_PASSWORD);
    expect((await sc.get('/api/registers')).status).toBe(403);
    const admin = await makeUser(t.db, { roles: ['admin'], agencyId: clerk.actor.agencyId });
    const ac = testClient(app);
    await ac.login(admin.user.username, TEST_PASSWORD);
    expect((await ac.post('/api/registers', { kind: 'outgoing', name: 'Sổ Quyết định', documentTypes: ['quyet_dinh'] })).status).toBe(201);
    expect((await ac.post('/api/registers', { kind: 'outgoing', name: 'Sổ Quyết định' })).body.error?.code).toBe('register.name_taken');
    expect((await take(clerk.actor.agencyId)).registerName).toBe('Sổ Quyết định');
  });

  test('renaming a register to the name of another of its kind is register.name_taken (409), not a server error', async () => {
    const app = createApp(await makeDeps(t.db));
    const admin = await makeUser(t.db, { roles: ['admin'] });
    const ac = testClient(app);
    await ac.login(admin.user.username, TEST_PASSWORD);
    expect((await ac.get('/api/registers')).status).toBe(200); // the page lists the default registers first
    const created = (await ac.post('/api/registers', { kind: 'outgoing', name: 'Sổ Quyết định', documentTypes: ['quyet_dinh'] })).body.data as { id: string };
    const renamed = await ac.patch(`/api/registers/${created.id}`, { name: 'Sổ đăng ký văn bản đi' });
    expect([renamed.status, renamed.body.error?.code]).toEqual([409, 'register.name_taken']);
    expect((await ac.patch(`/api/registers/${created.id}`, { name: 'Sổ Quyết định, Chỉ thị', documentTypes: ['quyet_dinh', 'chi_thi'] })).status).toBe(200);
  });
});
