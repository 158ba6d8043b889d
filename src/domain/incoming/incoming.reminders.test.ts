import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocument, registerIncoming } from './incoming.service.ts';
import { directIncoming, forwardIncoming } from './incoming-direction.service.ts';
import { sendReminders } from './incoming.jobs.ts';
import { makeTextPdf } from './incoming.testing.ts';

// The daily reminder tells each person once per document, however many of its parts concern them: a unit's head
// over both the lead and the support part of one document got the same «Sắp đến hạn» twice (seen in the demo).
const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Nhắc Hạn', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Phòng Văn hóa');
  return {
    me,
    leader: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    clerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    head: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    lead: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
    support: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
  };
}

beforeAll(async () => {
  w = await makeWorld();
});

const as = (u: typeof w.clerk) => ({ db: t.db, actor: u.actor });

/** A document registered, forwarded and directed to two people of one unit, lead and support, due on `deadline`. */
async function directedToTwo(subject: string, deadline: string): Promise<string> {
  const file = await storeUpload(t.deps, { source: await makeTextPdf([subject]), fileName: 'cong-van.pdf' });
  const { id } = await t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
    recipientAgencyId: w.me.id, documentId: crypto.randomUUID(), sender: { code: '000.00.01.H98', name: 'Sở Văn hóa tỉnh Thử' },
    metadata: { number: 12, notation: 'SVH-QLVH', documentDate: '2026-11-20', typeCode: 'cong_van', subject, urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', pageCount: 1 },
    files: [{ ...file, kind: 'main', pageCount: 1 }],
  }));
  await registerIncoming({ ...as(w.clerk), id, body: {
    issuerName: 'Sở Văn hóa tỉnh Thử', issuerCode: '', number: '12', notation: 'SVH-QLVH', documentDate: '2026-11-20', typeCode: 'cong_van',
    subject, urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '',
    // each test's own copy of one letter; a deadline already past is the letter's own, kept by the direction
    dueDate: deadline, confirmDuplicate: true,
  } });
  await forwardIncoming({ ...as(w.clerk), id, leaderId: w.leader.user.id });
  await directIncoming({ ...as(w.leader), id, body: {
    direction: 'Phòng Văn hóa tham mưu', lead: { userId: w.lead.user.id }, support: [{ userId: w.support.user.id }], info: [], deadline,
  } });
  return id;
}

const noticesOf = async (incomingId: string) =>
  (await t.db.selectFrom('incomingNotice').select(['userId', 'kind', 'message']).where('incomingId', '=', incomingId)
    .where('kind', 'in', ['reminder', 'overdue']).execute());

describe('the daily reminder', () => {
  test('tells the head of a unit holding both parts of a document once, and each holder once', async () => {
    const id = await directedToTwo('Về việc tổ chức Ngày hội Đại đoàn kết', '2026-12-31');

    const sent = await t.db.transaction().execute((tx) => sendReminders(tx, '2026-12-30'));

    const notices = await noticesOf(id);
    expect(notices.map((n) => n.userId).sort()).toEqual([w.head.user.id, w.lead.user.id, w.support.user.id].sort());
    expect(notices.every((n) => n.kind === 'reminder' && n.message.startsWith('Sắp đến hạn (31/12/2026)'))).toBe(true);
    expect(sent).toBe(3);
  });

  test('says «QUÁ HẠN» once the deadline has passed, still once a person', async () => {
    const id = await directedToTwo('Về việc kiểm tra di tích', '2026-12-20');

    await t.db.transaction().execute((tx) => sendReminders(tx, '2026-12-22'));

    const notices = await noticesOf(id);
    expect(notices).toHaveLength(3);
    expect(notices.every((n) => n.kind === 'overdue' && n.message.startsWith('QUÁ HẠN (20/12/2026)'))).toBe(true);
  });
});
