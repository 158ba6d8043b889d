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
});
