import { beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { PDFDocument } from '@cantoo/pdf-lib';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { makeUnit } from '../../test/factories.ts';
import { draftOverHttp, makeAgencyWithOffice } from '../outgoing/outgoing.testing.ts';
import { makeIncomingFor } from '../records/records.testing.ts';
import { openRecordsFile } from '../records/records.service.ts';

const t = useTestApp({ demo: true });
type History = { views: number; viewers: number; downloads: number; recent: { userName: string; position: string; action: string; fileName: string | null; at: string }[] };
const rowsOf = async (entityId: string) =>
  (await t.db.selectFrom('accessLog').selectAll().where('entityId', '=', entityId).orderBy('id').execute()).map((r) => [r.action, r.userId, r.fileName]);

/** An agency with a unit: a chuyên viên and a colleague in it, a clerk, a leader, an admin, each signed in. */
async function agencyPeople() {
  const w = await makeAgencyWithOffice(t.app, t.db);
  const agencyId = w.agency.id;
  const colleague = await signedInClient(t.app, t.db, { agencyId, unitId: w.office.id, roles: ['staff'] });
  const admin = await signedInClient(t.app, t.db, { agencyId, roles: ['admin'] });
  const otherUnitStaff = await signedInClient(t.app, t.db, { agencyId, unitId: (await makeUnit(t.db, agencyId)).id, roles: ['staff'] });
  await t.db.updateTable('appUser').set({ position: 'Chuyên viên' }).where('id', '=', w.staff.user.id).execute();
  return { ...w, colleague, admin, otherUnitStaff };
}
// Signed in once for the whole file: logins from one address are rate-limited.
let p: Awaited<ReturnType<typeof agencyPeople>>;
let stranger: Awaited<ReturnType<typeof signedInClient>>;
beforeAll(async () => {
  p = await agencyPeople();
  stranger = await signedInClient(t.app, t.db, { roles: ['clerk'] });
});

describe('access history of an incoming document', () => {
  test('each visit is a row; the clerk sees views, distinct people and the last accesses with name and position', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    // a visit 40 minutes ago, then one now with a reload (and the page's polling) that is the same visit
    await t.db.insertInto('accessLog').values({ agencyId: p.agency.id, userId: p.staff.user.id, entityType: 'incoming', entityId: docId, action: 'view', at: new Date(Date.now() - 40 * 60_000) }).execute();
    expect((await p.staff.client.get(`/api/incoming/${docId}`)).status).toBe(200);
    expect((await p.staff.client.get(`/api/incoming/${docId}`)).status).toBe(200);
    expect((await p.clerk.client.get(`/api/incoming/${docId}`)).status).toBe(200);
    const history = await p.clerk.client.get(`/api/access/incoming/${docId}`);
    expect(history.status).toBe(200);
    const h = history.body.data as History;
    expect([h.views, h.viewers, h.downloads]).toEqual([3, 2, 0]);
    expect(h.recent.map((r) => [r.userName, r.action])).toEqual([[p.clerk.user.fullName, 'view'], [p.staff.user.fullName, 'view'], [p.staff.user.fullName, 'view']]);
    expect(h.recent[1]?.position).toBe('Chuyên viên');
    // looking at the history is not itself a view
    expect((await rowsOf(docId)).length).toBe(3);
  });

  test('a refused open records nothing: someone who may not see it (404), another agency (404)', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    expect((await p.otherUnitStaff.client.get(`/api/incoming/${docId}`)).status).toBe(404);
    expect((await stranger.client.get(`/api/incoming/${docId}`)).status).toBe(404);
    expect(await rowsOf(docId)).toEqual([]);
  });

  test('a chuyên viên handling it may open it but not see who else did (403 forbidden); another agency\'s clerk gets 404', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    const denied = await p.staff.client.get(`/api/access/incoming/${docId}`);
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'forbidden']);
    const hidden = await stranger.client.get(`/api/access/incoming/${docId}`);
    expect([hidden.status, hidden.body.error?.code]).toEqual([404, 'incoming.not_found']);
    expect((await p.leader.client.get(`/api/access/incoming/${docId}`)).status).toBe(200);
  });

  test('a failed write of the access log does not break the page: the document is still answered', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    await sql`create function access_log_refuse_test() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$;
      create trigger access_log_refuse_test before insert on access_log for each row execute function access_log_refuse_test()`.execute(t.db);
    try {
      expect((await p.staff.client.get(`/api/incoming/${docId}`)).status).toBe(200);
    } finally {
      await sql`drop trigger access_log_refuse_test on access_log; drop function access_log_refuse_test()`.execute(t.db);
    }
    expect(await rowsOf(docId)).toEqual([]);
  });

  test('the access log is append-only', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    await p.staff.client.get(`/api/incoming/${docId}`);
    await expect(t.db.updateTable('accessLog').set({ ip: 'x' }).where('entityId', '=', docId).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('accessLog').where('entityId', '=', docId).execute()).rejects.toThrow(/append-only/);
  });
});

describe('access history of an outgoing document and a work file', () => {
  test('the drafter sees views and downloads: the viewer\'s inline fetch is not a download, «Tải về» (?download=1) is, with the file name', async () => {
    const id = await draftOverHttp(p, { subject: 'Về việc lịch sử truy cập' });
    expect((await p.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const detail = await p.staff.client.get(`/api/outgoing/${id}`);
    const fileId = (detail.body.data as { files: { id: string }[] }).files[0]?.id;
    expect((await p.staff.client.get(`/api/outgoing/${id}/files/${fileId}`)).status).toBe(200);
    expect((await p.staff.client.get(`/api/outgoing/${id}/files/${fileId}?download=1`)).status).toBe(200);
    const h = (await p.staff.client.get(`/api/access/outgoing/${id}`)).body.data as History;
    expect([h.views, h.viewers, h.downloads]).toEqual([1, 1, 1]);
    expect(h.recent[0]).toMatchObject({ action: 'download', fileName: 'du-thao-mau.pdf' });
    // a colleague who may not open the draft: not found, and nothing recorded for them
    expect((await p.colleague.client.get(`/api/outgoing/${id}`)).status).toBe(404);
    expect((await p.colleague.client.get(`/api/access/outgoing/${id}`)).body.error?.code).toBe('outgoing.not_found');
    expect((await rowsOf(id)).length).toBe(2);
  });

  test('«In» gives a print copy marked with who printed it and when (ND 30 Phụ lục VI III.6.k), recorded as a print; one who may not open the document gets 404 and nothing is recorded', async () => {
    const id = await draftOverHttp(p, { subject: 'Về việc in văn bản từ hệ thống' });
    expect((await p.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const fileId = ((await p.staff.client.get(`/api/outgoing/${id}`)).body.data as { files: { id: string }[] }).files[0]?.id;
    const res = await t.app.request(`/api/outgoing/${id}/files/${fileId}?print=1`, { headers: { cookie: p.staff.client.cookie } });
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, 'application/pdf', 'no-store']);
    const copy = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(copy.getPageCount()).toBeGreaterThan(0);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('ban-in-du-thao-mau.pdf'));
    const h = (await p.staff.client.get(`/api/access/outgoing/${id}`)).body.data as History & { prints: number };
    expect([h.downloads, h.prints]).toEqual([0, 1]);
    expect(h.recent[0]).toMatchObject({ action: 'print', fileName: 'ban-in-du-thao-mau.pdf' });
    expect((await t.app.request(`/api/outgoing/${id}/files/${fileId}?print=1`, { headers: { cookie: p.colleague.client.cookie } })).status).toBe(404);
    expect((await rowsOf(id)).filter(([action]) => action === 'print').length).toBe(1);
  });

  test('a work file: its keeper sees who opened it and downloaded its mục lục or the whole file; a colleague of the unit may open it but not see that', async () => {
    const fileId = await openRecordsFile({ db: t.db, actor: p.staff.actor, body: { notation: '01.VP', title: 'Hồ sơ truy cập', retention: '10', description: '' } });
    expect((await p.colleague.client.get(`/api/records/files/${fileId}`)).status).toBe(200);
    expect((await p.colleague.client.get(`/api/records/files/${fileId}/index?format=xlsx`)).status).toBe(200);
    expect((await p.colleague.client.get(`/api/records/files/${fileId}/export.xml`)).status).toBe(200);
    const h = (await p.staff.client.get(`/api/access/records_file/${fileId}`)).body.data as History;
    expect([h.views, h.viewers, h.downloads]).toEqual([1, 1, 2]);
    expect(h.recent.map((r) => r.fileName)).toEqual([expect.stringMatching(/\.xml$/), expect.stringMatching(/^muc-luc-ho-so-\d{4}-01\.VP\.xlsx$/), null]);
    expect((await p.colleague.client.get(`/api/access/records_file/${fileId}`)).status).toBe(403);
  });
});

describe('a page asks for the history only where its `can` block allows it (no 403 in the browser)', () => {
  const allowed = async (client: typeof p.staff.client, path: string) => {
    const res = await client.get(path);
    expect(res.status).toBe(200);
    // the outgoing page's `can` sits beside its data, the others' inside it
    const body = res.body as { can?: Record<string, boolean>; data?: { can?: Record<string, boolean> } };
    return (body.can ?? body.data?.can)?.['access.view_history'];
  };

  test('an incoming document: the clerk and the leader may, the chuyên viên handling it may not — and the endpoint answers them alike', async () => {
    const docId = await makeIncomingFor(t.db, p.staff.actor);
    for (const [who, isAllowed] of [[p.clerk, true], [p.leader, true], [p.staff, false]] as const) {
      expect(await allowed(who.client, `/api/incoming/${docId}`)).toBe(isAllowed);
      expect((await who.client.get(`/api/access/incoming/${docId}`)).status).toBe(isAllowed ? 200 : 403);
    }
  });

  test('an outgoing draft: its drafter (a chuyên viên, its owner) and the leader who signs it may', async () => {
    const id = await draftOverHttp(p, { subject: 'Về việc hỏi quyền xem lịch sử truy cập' });
    for (const who of [p.staff, p.leader]) {
      expect(await allowed(who.client, `/api/outgoing/${id}`)).toBe(true);
      expect((await who.client.get(`/api/access/outgoing/${id}`)).status).toBe(200);
    }
  });

  test('a work file: its keeper may, a colleague of the unit who may open it may not', async () => {
    const fileId = await openRecordsFile({ db: t.db, actor: p.staff.actor, body: { notation: '02.VP', title: 'Hồ sơ hỏi quyền', retention: '10', description: '' } });
    for (const [who, isAllowed] of [[p.staff, true], [p.colleague, false]] as const) {
      expect(await allowed(who.client, `/api/records/files/${fileId}`)).toBe(isAllowed);
      expect((await who.client.get(`/api/access/records_file/${fileId}`)).status).toBe(isAllowed ? 200 : 403);
    }
  });
});

describe('the agency\'s access statistics', () => {
  test('the admin sees today\'s sign-ins and views, and the most viewed documents — a Mật one without its subject', async () => {
    type Stats = { signIns: { total: number; users: number; perDay: { count: number }[] }; views: { total: number }; mostViewed: { entityId: string; title: string | null; views: number; viewers: number; isSecret: boolean }[] };
    const before = (await p.admin.client.get('/api/access/stats')).body.data as Stats;
    const plain = await makeIncomingFor(t.db, p.staff.actor, { subject: 'Về việc thống kê truy cập' });
    const secret = await makeIncomingFor(t.db, p.staff.actor, { subject: 'Nội dung mật', secrecy: 'mat' });
    for (const c of [p.staff, p.clerk, p.staff, p.leader]) await c.client.get(`/api/incoming/${plain}`);
    await p.staff.client.get(`/api/incoming/${secret}`);
    const stats = await p.admin.client.get('/api/access/stats');
    expect(stats.status).toBe(200);
    const s = stats.body.data as Stats;
    // the six people of the agency signed in once each through the login route (the other agency's clerk is not counted)
    expect([s.signIns.total, s.signIns.users, s.signIns.perDay.reduce((n, d) => n + d.count, 0)]).toEqual([6, 6, 6]);
    expect(s.views.total - before.views.total).toBe(4);
    expect(s.mostViewed.filter((m) => m.entityId === plain || m.entityId === secret)).toEqual([
      { entityType: 'incoming', entityId: plain, title: 'Về việc thống kê truy cập', views: 3, viewers: 3, isSecret: false },
      { entityType: 'incoming', entityId: secret, title: null, views: 1, viewers: 1, isSecret: true },
    ]);
    const lastYear = await p.admin.client.get('/api/access/stats?from=2020-01-01&to=2020-12-31');
    expect((lastYear.body.data as Stats).views.total).toBe(0);
  });

  test('only admins see them (403 forbidden for a leader)', async () => {
    const denied = await p.leader.client.get('/api/access/stats');
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'forbidden']);
  });
});
