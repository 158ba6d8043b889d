import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { MAX_SAVED_SEARCHES } from './search.schemas.ts';

const t = useTestApp();

type Saved = { id: string; name: string; query: Record<string, string> };
const names = (body: { data?: unknown }) => (body.data as Saved[]).map((s) => s.name);

describe('saved searches (ND 30 Phụ lục VI III.6.e)', () => {
  test('need a session', async () => {
    expect((await testClient(t.app).get('/api/search/saved')).status).toBe(401);
  });

  test('a user saves the current search under a name, sees their searches by name with their fields, and deletes one', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const me = await signedInClient(t.app, t.db, { agencyId, roles: ['staff'] });
    const query = { q: 'chuyển đổi số', kind: 'incoming', from: '2026-01-01', to: '2026-06-30', type: 'cong_van', issuer: 'Sở Tài chính', order: 'oldest' };
    const saved = await me.client.post('/api/search/saved', { name: '  Công văn Sở Tài chính  ', query });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toMatchObject({ name: 'Công văn Sở Tài chính', query });
    expect((await me.client.post('/api/search/saved', { name: 'Hồ sơ đang mở', query: { kind: 'records', status: 'open' } })).status).toBe(201);

    const list = await me.client.get('/api/search/saved');
    expect(names(list.body)).toEqual(['Công văn Sở Tài chính', 'Hồ sơ đang mở']);
    expect((list.body.data as Saved[])[0]?.query).toEqual(query);

    const id = (saved.body.data as Saved).id;
    expect((await me.client.delete(`/api/search/saved/${id}`)).status).toBe(200);
    expect(names((await me.client.get('/api/search/saved')).body)).toEqual(['Hồ sơ đang mở']);
    expect((await me.client.delete(`/api/search/saved/${id}`)).body.error?.code).toBe('search.saved_not_found');
  });

  test('another user, even of the same agency, neither sees nor deletes them: their id answers 404', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const owner = await signedInClient(t.app, t.db, { agencyId, roles: ['clerk'] });
    const colleague = await signedInClient(t.app, t.db, { agencyId, roles: ['admin'] });
    const id = ((await owner.client.post('/api/search/saved', { name: 'Văn bản đến tháng 3', query: { kind: 'incoming', from: '2026-03-01' } })).body.data as Saved).id;

    expect(names((await colleague.client.get('/api/search/saved')).body)).toEqual([]);
    const denied = await colleague.client.delete(`/api/search/saved/${id}`);
    expect(denied.status).toBe(404);
    expect(denied.body.error?.code).toBe('search.saved_not_found');
    expect(names((await owner.client.get('/api/search/saved')).body)).toEqual(['Văn bản đến tháng 3']);
  });

  test('a name is 1 to 100 characters and used once per user; a user keeps at most 50; fields are those of the page', async () => {
    const me = await signedInClient(t.app, t.db, { roles: ['staff'] });
    const other = await signedInClient(t.app, t.db, { roles: ['staff'] });
    const save = (c: typeof me, name: string, query: Record<string, unknown> = { q: 'báo cáo' }) => c.client.post('/api/search/saved', { name, query });
    expect((await save(me, '   ')).body.error?.code).toBe('request.invalid');
    expect((await save(me, 'x'.repeat(101))).body.error?.code).toBe('request.invalid');
    expect((await save(me, 'Báo cáo', { q: 'báo cáo', role: 'admin' })).body.error?.code).toBe('request.invalid');
    expect((await save(me, 'Báo cáo', { from: '07/12/2026' })).body.error?.code).toBe('request.invalid');
    expect((await save(me, 'Báo cáo')).status).toBe(201);
    const again = await save(me, 'Báo cáo');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'search.saved_duplicate', message: expect.stringContaining('tên này') });
    expect((await save(other, 'Báo cáo')).status).toBe(201);

    for (let i = 2; i <= MAX_SAVED_SEARCHES; i++) expect((await save(me, `Tìm kiếm ${i}`)).status).toBe(201);
    const tooMany = await save(me, 'Tìm kiếm 51');
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'search.saved_too_many', message: expect.stringContaining('tối đa 50') });
    expect((await me.client.get('/api/search/saved')).body.data).toHaveLength(MAX_SAVED_SEARCHES);
  });
});
