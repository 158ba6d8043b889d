import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { makeIncomingFor } from '../records/records.testing.ts';
import { notify } from './notices.service.ts';

const t = useTestApp();

type Notice = { id: number; kind: string; message: string; readAt: string | null; incomingId: string | null; outgoingId: string | null; recordsFileId: string | null };
type Signed = Awaited<ReturnType<typeof signedInClient>>;

/** Two colleagues of one agency: notices about a document for each, and a backup warning for the first. */
async function twoColleagues() {
  const agencyId = (await makeAgency(t.db)).id;
  const me = await signedInClient(t.app, t.db, { agencyId, roles: ['staff'] });
  const colleague = await signedInClient(t.app, t.db, { agencyId, roles: ['staff'] });
  const incomingId = await makeIncomingFor(t.db, me.actor);
  await notify(t.db, [
    { userId: me.actor.id, incomingId, kind: 'assigned', message: 'Văn bản giao cho đồng chí chủ trì xử lý' },
    { userId: colleague.actor.id, incomingId, kind: 'assigned', message: 'Văn bản giao cho đồng chí phối hợp' },
    { userId: me.actor.id, kind: 'backup_failed', message: 'Sao lưu dữ liệu thất bại lúc 02:00 08/12/2026' },
  ]);
  return { me, colleague, incomingId };
}

const noticesOf = async (who: Signed, path = '/api/notices') => (await who.client.get(path)).body.data as Notice[];
const unreadOf = async (who: Signed) => ((await who.client.get('/api/notices/unread-count')).body.data as { unread: number }).unread;

describe('a user’s notices (the header’s bell)', () => {
  test('need a session', async () => {
    const anonymous = testClient(t.app);
    expect((await anonymous.get('/api/notices')).status).toBe(401);
    expect((await anonymous.get('/api/notices/unread-count')).status).toBe(401);
    expect((await anonymous.post('/api/notices/read', { all: true })).status).toBe(401);
  });

  test('a user sees only their own notices, newest first, with what each is about, and counts their unread ones in a few bytes', async () => {
    const { me, colleague, incomingId } = await twoColleagues();
    const mine = await noticesOf(me);
    expect(mine.map((n) => [n.kind, n.incomingId, n.readAt])).toEqual([['backup_failed', null, null], ['assigned', incomingId, null]]);
    expect(mine[0]).not.toHaveProperty('userId');
    expect((await noticesOf(colleague)).map((n) => n.message)).toEqual(['Văn bản giao cho đồng chí phối hợp']);

    const count = await me.client.get('/api/notices/unread-count');
    expect(count.body).toEqual({ data: { unread: 2 } });
    expect(JSON.stringify(count.body).length).toBeLessThan(40);
    expect(await unreadOf(colleague)).toBe(1);
  });

  test('the list answers the 30 newest by default, up to 100 on demand', async () => {
    const { me } = await twoColleagues();
    const incomingId = await makeIncomingFor(t.db, me.actor);
    await notify(t.db, Array.from({ length: 40 }, (_, i) => ({ userId: me.actor.id, incomingId, kind: 'reminder', message: `Nhắc việc ${i + 1}` })));
    const latest = await noticesOf(me);
    expect(latest).toHaveLength(30);
    expect(latest[0]?.message).toBe('Nhắc việc 40');
    expect(await noticesOf(me, '/api/notices?limit=100')).toHaveLength(42);
    expect((await me.client.get('/api/notices?limit=101')).body.error?.code).toBe('request.invalid');
    expect(await unreadOf(me)).toBe(42);
  });

  test('a user marks one of their notices read: the answer carries the new unread count; another user’s notice id is not marked', async () => {
    const { me, colleague } = await twoColleagues();
    const [backup, assigned] = await noticesOf(me);
    const [theirs] = await noticesOf(colleague);
    if (!backup || !assigned || !theirs) throw new Error('notices were written');

    const marked = await me.client.post('/api/notices/read', { ids: [assigned.id] });
    expect(marked.body).toEqual({ data: { marked: 1, unread: 1 } });
    expect((await noticesOf(me)).map((n) => [n.id, !!n.readAt])).toEqual([[backup.id, false], [assigned.id, true]]);

    // the colleague's id, sent by me: nothing is marked, theirs stays unread
    expect((await me.client.post('/api/notices/read', { ids: [theirs.id] })).body).toEqual({ data: { marked: 0, unread: 1 } });
    expect((await noticesOf(colleague)).map((n) => n.readAt)).toEqual([null]);
    expect(await unreadOf(colleague)).toBe(1);
  });

  test('«Đánh dấu tất cả đã đọc» marks all of the user’s notices and none of another’s', async () => {
    const { me, colleague } = await twoColleagues();
    expect((await me.client.post('/api/notices/read', { all: true })).body).toEqual({ data: { marked: 2, unread: 0 } });
    expect((await noticesOf(me)).every((n) => n.readAt)).toBe(true);
    expect(await unreadOf(colleague)).toBe(1);
  });

  test('a read request names some ids or all, nothing else', async () => {
    const { me } = await twoColleagues();
    for (const body of [{}, { ids: [] }, { all: false }, { ids: [1], all: true }, { ids: ['x'] }]) {
      const res = await me.client.post('/api/notices/read', body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'request.invalid']);
    }
    expect(await unreadOf(me)).toBe(2);
  });

  test('the older /api/incoming/notices routes still answer API clients, over the same notices, also only the user’s own', async () => {
    const { me, colleague } = await twoColleagues();
    expect((await noticesOf(me, '/api/incoming/notices')).map((n) => n.id)).toEqual((await noticesOf(me)).map((n) => n.id));
    const [theirs] = await noticesOf(colleague);
    const [mine] = await noticesOf(me);
    expect((await me.client.post('/api/incoming/notices/read', { ids: [theirs?.id, mine?.id] })).body).toEqual({ data: { ok: true } });
    expect(await unreadOf(me)).toBe(1);
    expect(await unreadOf(colleague)).toBe(1);

    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { deprecated?: boolean }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/notices', '/api/notices/unread-count', '/api/notices/read']));
    expect(doc.paths['/api/incoming/notices']?.get?.deprecated).toBe(true);
  });
});
