import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocument, registerIncoming } from './incoming.service.ts';
import { delegateDirection, directIncoming, forwardIncoming } from './incoming-direction.service.ts';
import { sendReminders } from './incoming.jobs.ts';
import { DAY_BEFORE_DEADLINE as DAY_BEFORE, FUTURE_DEADLINE as DEADLINE, makeTextPdf } from './incoming.testing.ts';
import { signedInClient } from '../../test/http.ts';

// A disabled account (Khóa tài khoản: someone who left or moved) receives no work and no notice: the people
// told of a document are found through the users directory, and notifyUsers keeps only active accounts.
const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Khóa', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Phòng Kinh tế');
  return {
    me, unit,
    leader: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    formerLeader: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    clerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    formerClerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    head: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    staff: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
  };
}

beforeAll(async () => {
  w = await makeWorld();
  await disable(w.formerLeader.user.id);
  await disable(w.formerClerk.user.id);
});

const disable = (userId: string) => t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', userId).execute();
const as = (u: typeof w.clerk) => ({ db: t.db, actor: u.actor });

/** A Khẩn document arrived electronically and registered by the clerk. */
let serial = 6;
async function registered(subject: string): Promise<string> {
  // each its own số: the same số, ký hiệu, date and sender would be asked about as a document registered twice
  const number = ++serial;
  const file = await storeUpload(t.deps, { source: await makeTextPdf([subject]), fileName: 'cong-van.pdf' });
  const { id } = await t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
    recipientAgencyId: w.me.id, documentId: crypto.randomUUID(), sender: { code: '000.00.01.H98', name: 'Sở Tài chính tỉnh Thử' },
    metadata: { number, notation: 'STC-NS', documentDate: '2026-11-20', typeCode: 'cong_van', subject, urgency: 'khan', secrecy: 'thuong', signerName: '', signerPosition: '', pageCount: 1 },
    files: [{ ...file, kind: 'main', pageCount: 1 }],
  }));
  await registerIncoming({ ...as(w.clerk), id, body: {
    issuerName: 'Sở Tài chính tỉnh Thử', issuerCode: '', number: String(number), notation: 'STC-NS', documentDate: '2026-11-20', typeCode: 'cong_van',
    subject, urgency: 'khan', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '',
    confirmDuplicate: true, // each test's own copy of one letter
  } });
  return id;
}

const noticed = async (incomingId: string, kind: string) =>
  (await t.db.selectFrom('incomingNotice').select('userId').where('incomingId', '=', incomingId).where('kind', '=', kind).execute()).map((n) => n.userId).sort();
const mailedTo = async (address: string | null) =>
  (await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute()).filter((j) => (j.payload as { to: string }).to === address).length;

describe('a disabled account', () => {
  test('is not told that a document arrived; the active clerk is', async () => {
    const id = await registered('Về việc kiểm kê tài sản công');
    expect(await noticed(id, 'arrived')).toEqual([w.clerk.user.id]);
  });

  test('is neither offered nor accepted as a leader to forward to, a deputy to delegate to, or a person to assign', async () => {
    const { client } = await signedInClient(t.app, t.db, { agencyId: w.me.id, roles: ['clerk'] });
    const res = await client.get('/api/incoming/directory');
    expect(res.status).toBe(200);
    const offered = (res.body.data as { users: { id: string }[] }).users.map((u) => u.id);
    expect(offered).toContain(w.leader.user.id);
    expect(offered).not.toContain(w.formerLeader.user.id);
    expect(Object.keys((res.body.data as { users: object[] }).users[0] ?? {}).sort()).toEqual(['fullName', 'id', 'position', 'roles', 'unitId']);

    const id = await registered('Về việc sửa chữa trụ sở');
    await expect(forwardIncoming({ ...as(w.clerk), id, leaderId: w.formerLeader.user.id })).rejects.toMatchObject({ code: 'incoming.leader_invalid' });
    await expect(delegateDirection({ ...as(w.leader), deputyId: w.formerLeader.user.id, startsOn: '2026-12-01', endsOn: '2026-12-05' })).rejects.toMatchObject({ code: 'incoming.delegation_invalid' });
    await forwardIncoming({ ...as(w.clerk), id, leaderId: w.leader.user.id });
    const direct = (userId: string) => directIncoming({ ...as(w.leader), id, body: { direction: 'Giao xử lý', lead: { userId }, support: [], info: [], deadline: DEADLINE } });
    await expect(direct(w.formerClerk.user.id)).rejects.toMatchObject({ code: 'incoming.assignee_invalid' });
  });

  test('is not told that an urgent document was registered; the active leader is', async () => {
    const id = await registered('Về việc quyết toán ngân sách xã năm 2026');
    expect(await noticed(id, 'registered')).toEqual([w.leader.user.id]);
  });

  test('holding a part coming due gets no reminder, in the app or by mail; the head of its unit is reminded', async () => {
    const id = await registered('Về việc báo cáo thu chi quý IV');
    await forwardIncoming({ ...as(w.clerk), id, leaderId: w.leader.user.id });
    await directIncoming({ ...as(w.leader), id, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [], info: [], deadline: DEADLINE } });
    await disable(w.staff.user.id);
    const staffMailsBefore = await mailedTo(w.staff.user.email);

    const sent = await t.db.transaction().execute((tx) => sendReminders(tx, DAY_BEFORE));

    expect(await noticed(id, 'reminder')).toEqual([w.head.user.id]);
    expect(await mailedTo(w.staff.user.email)).toBe(staffMailsBefore);
    expect(await mailedTo(w.head.user.email)).toBeGreaterThan(0);
    expect(sent).toBe(1);
  });
});
