import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';

const t = useTestApp();

type Change = {
  id: string; user: { id: string; fullName: string }; changedBy: string | null; confirmedAt: string | null; confirmedBy: string | null; canConfirm: boolean;
  before: { roles: string[]; unitId: string | null; unitName: string | null; isActive: boolean } | null;
  after: { roles: string[]; unitId: string | null; unitName: string | null; isActive: boolean };
};

/** An agency with its admin, two leaders and a staff member, each signed in. */
async function agency() {
  const agencyId = (await makeAgency(t.db)).id;
  const [admin, leader, otherLeader, staff] = await Promise.all([
    signedInClient(t.app, t.db, { agencyId, roles: ['admin'] }), signedInClient(t.app, t.db, { agencyId, roles: ['leader'] }),
    signedInClient(t.app, t.db, { agencyId, roles: ['leader'] }), signedInClient(t.app, t.db, { agencyId, roles: ['staff'] }),
  ]);
  return { agencyId, admin, leader, otherLeader, staff };
}

const pending = async (c: { client: Awaited<ReturnType<typeof signedInClient>>['client'] }) =>
  (await c.client.get('/api/users/access-changes')).body.data as Change[];

describe('changes of access wait for a leader to confirm them (ND 30 Phụ lục VI III.3.c)', () => {
  test('a role or unit change by the admin is recorded with what it was and what it became, and the leaders are warned until one confirms it', async () => {
    const a = await agency();
    const unit = await makeUnit(t.db, a.agencyId, 'Phòng Kinh tế');
    const clerkToBe = await makeUser(t.db, { agencyId: a.agencyId, roles: ['staff'] });
    expect((await a.admin.client.patch(`/api/users/${clerkToBe.user.id}`, { roles: ['staff', 'clerk'], unitId: unit.id })).status).toBe(200);

    const [change] = (await pending(a.leader)).filter((ch) => ch.user.id === clerkToBe.user.id);
    expect(change).toMatchObject({
      changedBy: a.admin.user.fullName, confirmedAt: null, canConfirm: true,
      before: { roles: ['staff'], unitId: null, isActive: true }, after: { roles: ['clerk', 'staff'], unitId: unit.id, unitName: 'Phòng Kinh tế', isActive: true },
    });
    expect((await a.leader.client.get('/api/users/access-changes/pending-count')).body.data).toEqual({ pending: 1 });
    expect((await a.admin.client.get('/api/users/access-changes/pending-count')).body.data).toEqual({ pending: 1 });

    expect((await a.leader.client.post(`/api/users/access-changes/${change!.id}/confirm`, {})).status).toBe(200);
    expect(await pending(a.leader)).toEqual([]);
    expect((await a.admin.client.get('/api/users/access-changes/pending-count')).body.data).toEqual({ pending: 0 });
    const all = (await a.admin.client.get('/api/users/access-changes?status=all')).body.data as Change[];
    expect(all.find((ch) => ch.id === change!.id)).toMatchObject({ confirmedBy: a.leader.user.fullName, canConfirm: false });
    expect((await a.otherLeader.client.post(`/api/users/access-changes/${change!.id}/confirm`, {})).body.error?.code).toBe('user.access_change_confirmed');
  });

  test('a new account and a locked account are changes of access; a new name or position is not', async () => {
    const a = await agency();
    const created = await a.admin.client.post('/api/users', { username: `moi${Date.now()}`, fullName: 'Trần Văn Mới', roles: ['staff'], password: 'BanDau2026' });
    const id = (created.body.data as { id: string }).id;
    expect((await a.admin.client.patch(`/api/users/${id}`, { fullName: 'Trần Văn Mới Đổi Tên', position: 'Chuyên viên chính' })).status).toBe(200);
    expect((await a.admin.client.patch(`/api/users/${id}`, { roles: ['staff'] })).status).toBe(200); // the same roles: nothing changed
    expect((await a.admin.client.patch(`/api/users/${id}`, { isActive: false })).status).toBe(200);
    const changes = (await pending(a.leader)).filter((ch) => ch.user.id === id);
    expect(changes.map((ch) => [ch.before?.isActive ?? null, ch.after.isActive])).toEqual([[true, false], [null, true]]); // newest first
  });

  test('who made a change cannot confirm it, nor can the user whose access changed', async () => {
    const a = await agency();
    const leaderAdmin = await signedInClient(t.app, t.db, { agencyId: a.agencyId, roles: ['leader', 'admin'] });
    const staff2 = await makeUser(t.db, { agencyId: a.agencyId, roles: ['staff'] });
    await leaderAdmin.client.patch(`/api/users/${staff2.user.id}`, { roles: ['staff', 'archivist'] });
    await leaderAdmin.client.patch(`/api/users/${a.leader.user.id}`, { roles: ['leader', 'clerk'] });
    const mine = (await pending(leaderAdmin)).filter((ch) => ch.user.id === staff2.user.id);
    expect(mine[0]?.canConfirm).toBe(false);
    expect((await leaderAdmin.client.post(`/api/users/access-changes/${mine[0]!.id}/confirm`, {})).body.error?.code).toBe('user.access_change_self_confirm');
    const ofLeader = (await pending(a.leader)).find((ch) => ch.user.id === a.leader.user.id);
    expect(ofLeader?.canConfirm).toBe(false);
    expect((await a.leader.client.post(`/api/users/access-changes/${ofLeader!.id}/confirm`, {})).body.error?.code).toBe('user.access_change_self_confirm');
    expect((await a.otherLeader.client.post(`/api/users/access-changes/${ofLeader!.id}/confirm`, {})).status).toBe(200);
  });

  test('staff and clerks see no changes and confirm none; an admin sees them but only a leader confirms; another agency gets 404', async () => {
    const a = await agency();
    const someone = await makeUser(t.db, { agencyId: a.agencyId, roles: ['staff'] });
    await a.admin.client.patch(`/api/users/${someone.user.id}`, { roles: ['unit_head'] });
    const [change] = await pending(a.leader);
    expect((await a.staff.client.get('/api/users/access-changes')).status).toBe(403);
    expect((await a.staff.client.get('/api/users/access-changes/pending-count')).body.data).toEqual({ pending: 0 });
    expect((await a.staff.client.post(`/api/users/access-changes/${change!.id}/confirm`, {})).status).toBe(403);
    const otherAdmin = await signedInClient(t.app, t.db, { agencyId: a.agencyId, roles: ['admin'] });
    expect((await otherAdmin.client.post(`/api/users/access-changes/${change!.id}/confirm`, {})).status).toBe(403);
    const stranger = await signedInClient(t.app, t.db, { roles: ['leader'] });
    expect((await stranger.client.post(`/api/users/access-changes/${change!.id}/confirm`, {})).status).toBe(404);
    expect(await pending(stranger)).toEqual([]);
  });

  test("the list's «Xác nhận» is offered exactly where confirming is allowed: not to the changer, the person concerned, on a confirmed change or to an admin", async () => {
    const a = await agency();
    const leaderAdmin = await signedInClient(t.app, t.db, { agencyId: a.agencyId, roles: ['leader', 'admin'] });
    const [x, y, z] = await Promise.all([0, 1, 2].map(() => makeUser(t.db, { agencyId: a.agencyId, roles: ['staff'] })));
    await leaderAdmin.client.patch(`/api/users/${x!.user.id}`, { roles: ['staff', 'archivist'] }); // the leader-admin's own change
    await a.admin.client.patch(`/api/users/${a.leader.user.id}`, { roles: ['leader', 'clerk'] }); // a change of the leader's account
    await a.admin.client.patch(`/api/users/${y!.user.id}`, { roles: ['staff', 'clerk'] });
    await a.admin.client.patch(`/api/users/${z!.user.id}`, { roles: ['staff', 'clerk'] });
    const all = async (c: typeof a.admin) => (await c.client.get('/api/users/access-changes?status=all')).body.data as Change[];
    const idOf = (userId: string) => all(a.admin).then((list) => list.find((ch) => ch.user.id === userId)!.id);
    const [ofX, ofLeader, ofY, ofZ] = await Promise.all([x!.user.id, a.leader.user.id, y!.user.id, z!.user.id].map(idOf));
    expect((await a.otherLeader.client.post(`/api/users/access-changes/${ofY}/confirm`, {})).status).toBe(200); // already confirmed

    const viewers = { leader: a.leader, leaderAdmin, admin: a.admin };
    const offered: Record<string, Record<string, boolean>> = Object.fromEntries(await Promise.all(Object.entries(viewers).map(async ([name, c]) =>
      [name, Object.fromEntries((await all(c)).filter((ch) => [ofX, ofLeader, ofY, ofZ].includes(ch.id)).map((ch) => [ch.id, ch.canConfirm]))])));
    expect(offered).toEqual({
      leader: { [ofX!]: true, [ofLeader!]: false, [ofY!]: false, [ofZ!]: true },
      leaderAdmin: { [ofX!]: false, [ofLeader!]: true, [ofY!]: false, [ofZ!]: true },
      admin: { [ofX!]: false, [ofLeader!]: false, [ofY!]: false, [ofZ!]: false },
    });
    // Every change the list offers no button for is refused by the server, with its reason, and stays as it was.
    const refusals: string[] = [];
    for (const [name, byId] of Object.entries(offered)) {
      for (const [id, canConfirm] of Object.entries(byId)) {
        if (canConfirm) continue;
        const res = await viewers[name as keyof typeof viewers].client.post(`/api/users/access-changes/${id}/confirm`, {});
        refusals.push(`${name} ${id === ofX ? 'x' : id === ofLeader ? 'leader' : id === ofY ? 'y' : 'z'} ${res.status} ${res.body.error?.code}`);
      }
    }
    expect(refusals.sort()).toEqual([
      'admin leader 403 forbidden', 'admin x 403 forbidden', 'admin y 403 forbidden', 'admin z 403 forbidden',
      'leader leader 409 user.access_change_self_confirm', 'leader y 409 user.access_change_confirmed',
      'leaderAdmin x 409 user.access_change_self_confirm', 'leaderAdmin y 409 user.access_change_confirmed',
    ]);
    expect((await pending(a.leader)).map((ch) => ch.id).sort()).toEqual([ofX, ofLeader, ofZ].sort());
    // And every one it offers is confirmed.
    for (const [c, id] of [[a.leader, ofX], [leaderAdmin, ofLeader], [a.leader, ofZ]] as const) {
      expect((await c.client.post(`/api/users/access-changes/${id}/confirm`, {})).status).toBe(200);
    }
    expect(await pending(a.leader)).toEqual([]);
  });
});

describe('«Xác nhận tất cả»: a leader confirms every change they were shown in one transaction', () => {
  type Result = { confirmed: string[]; skipped: string[] };
  type Signed = Awaited<ReturnType<typeof signedInClient>>;
  const confirmAll = (c: Signed, ids: string[]) => c.client.post('/api/users/access-changes/confirm', { ids });
  const pendingIds = async (c: Signed) => (await pending(c)).map((ch) => ch.id).sort();
  const confirmations = async (ids: string[]) => (await t.db.selectFrom('auditLog').select(['data', 'actorId'])
    .where('type', '=', 'USER_ACCESS_CHANGE_CONFIRMED').execute()).filter((r) => ids.includes((r.data as { changeId: string }).changeId));

  /** The admin creates `n` accounts on the agency's first day: n changes waiting. */
  async function firstDay(a: Awaited<ReturnType<typeof agency>>, n: number) {
    for (let i = 0; i < n; i++) {
      const made = await a.admin.client.post('/api/users', { username: `ngay1.${i}.${Date.now()}`, fullName: `Người Thứ ${i + 1}`, roles: ['staff'], password: 'BanDau2026' });
      expect(made.status).toBe(201);
    }
    return pendingIds(a.leader);
  }

  test('the admin creates five accounts; the leader confirms them at once, each confirmation audited as a single one is, and the warning goes', async () => {
    const a = await agency();
    const ids = await firstDay(a, 5);
    expect(ids).toHaveLength(5);
    const res = await confirmAll(a.leader, ids);
    expect(res.status).toBe(200);
    expect(res.body.data as Result).toEqual({ confirmed: ids, skipped: [] });
    expect((await a.admin.client.get('/api/users/access-changes/pending-count')).body.data).toEqual({ pending: 0 });
    const all = (await a.admin.client.get('/api/users/access-changes?status=all')).body.data as Change[];
    expect(all.map((ch) => ch.confirmedBy)).toEqual(ids.map(() => a.leader.user.fullName));
    const audited = await confirmations(ids);
    expect(audited.map((r) => (r.data as { changeId: string }).changeId).sort()).toEqual(ids);
    expect(audited.every((r) => r.actorId === a.leader.user.id)).toBe(true);
  });

  test('a change another leader confirmed meanwhile is skipped and reported back, not an error; the others are confirmed', async () => {
    const a = await agency();
    const ids = await firstDay(a, 3);
    expect((await a.otherLeader.client.post(`/api/users/access-changes/${ids[1]}/confirm`, {})).status).toBe(200);
    const res = await confirmAll(a.leader, ids);
    expect([res.status, res.body.data]).toEqual([200, { confirmed: [ids[0], ids[2]], skipped: [ids[1]] }]);
    const all = (await a.admin.client.get('/api/users/access-changes?status=all')).body.data as Change[];
    expect(all.find((ch) => ch.id === ids[1])?.confirmedBy).toBe(a.otherLeader.user.fullName);
    expect(await confirmations([ids[1]!])).toHaveLength(1); // not confirmed twice
  });

  test('a single confirm racing «Xác nhận tất cả» confirms its change once: either it wins and the batch skips it, or the batch wins and it is told so', async () => {
    const a = await agency();
    const ids = await firstDay(a, 4);
    const [batch, single] = await Promise.all([confirmAll(a.leader, ids), a.otherLeader.client.post(`/api/users/access-changes/${ids[2]}/confirm`, {})]);
    expect(batch.status).toBe(200);
    const result = batch.body.data as Result;
    if (single.status === 200) expect(result).toEqual({ confirmed: ids.filter((id) => id !== ids[2]), skipped: [ids[2]] });
    else expect([single.body.error?.code, result]).toEqual(['user.access_change_confirmed', { confirmed: ids, skipped: [] }]);
    expect(await confirmations(ids)).toHaveLength(4);
    expect(await pendingIds(a.leader)).toEqual([]);
  });

  test('one change the leader may not confirm among the ids refuses them all and confirms nothing: their own change, a change of their own account, another agency\'s', async () => {
    const a = await agency();
    const leaderAdmin = await signedInClient(t.app, t.db, { agencyId: a.agencyId, roles: ['leader', 'admin'] });
    const ids = await firstDay(a, 2);
    const someone = await makeUser(t.db, { agencyId: a.agencyId, roles: ['staff'] });
    await leaderAdmin.client.patch(`/api/users/${someone.user.id}`, { roles: ['staff', 'archivist'] });
    const own = (await pending(leaderAdmin)).find((ch) => ch.user.id === someone.user.id)!.id;
    expect((await confirmAll(leaderAdmin, [...ids, own])).body.error?.code).toBe('user.access_change_self_confirm');

    await a.admin.client.patch(`/api/users/${a.leader.user.id}`, { roles: ['leader', 'clerk'] });
    const ofLeader = (await pending(a.leader)).find((ch) => ch.user.id === a.leader.user.id)!.id;
    const refused = await confirmAll(a.leader, [...ids, ofLeader]);
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'user.access_change_self_confirm']);

    const stranger = await signedInClient(t.app, t.db, { roles: ['leader'] });
    const theirs = await signedInClient(t.app, t.db, { agencyId: stranger.user.agencyId, roles: ['admin'] });
    await theirs.client.patch(`/api/users/${stranger.user.id}`, { roles: ['leader', 'clerk'] });
    const foreign = (await pending(theirs)).map((ch) => ch.id);
    expect(foreign).toHaveLength(1);
    const notFound = await confirmAll(a.leader, [...ids, ...foreign]);
    expect([notFound.status, notFound.body.error?.code]).toEqual([404, 'user.access_change_not_found']);
    expect((await confirmAll(a.leader, [...ids, crypto.randomUUID()])).status).toBe(404);

    expect(await pendingIds(a.leader)).toEqual([...ids, own, ofLeader].sort());
    expect(await confirmations([...ids, own, ofLeader, ...foreign])).toEqual([]);
  });

  test('an admin who is not a leader, and staff, confirm none; an empty or malformed list is refused', async () => {
    const a = await agency();
    const ids = await firstDay(a, 2);
    const otherAdmin = await signedInClient(t.app, t.db, { agencyId: a.agencyId, roles: ['admin'] });
    expect((await confirmAll(otherAdmin, ids)).status).toBe(403);
    expect((await confirmAll(a.staff, ids)).status).toBe(403);
    const empty = await confirmAll(a.leader, []);
    expect([empty.status, empty.body.error?.code]).toEqual([400, 'request.invalid']);
    expect((await confirmAll(a.leader, ['khong-phai-ma'])).status).toBe(400);
    expect(await pendingIds(a.leader)).toEqual(ids);
  });
});
