import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { vietnamToday } from '../../policies/incoming.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocument, refuseIncoming, registerIncoming, type IncomingMetadata } from './incoming.service.ts';
import { delegateDirection, directIncoming, forwardIncoming } from './incoming-direction.service.ts';
import { closeIncoming, recordProgress } from './incoming-handling.service.ts';
import { getIncoming } from './incoming-query.service.ts';
import { workRepo } from './incoming-work.repository.ts';
import { makeTextPdf } from './incoming.testing.ts';
import type { TRegisterIncomingBody } from './incoming.schemas.ts';

// A notice that asks someone to act is answered by the action: it leaves the bell of everyone it was sent to,
// in the transaction of the action. Notices of other kinds, and those about other documents, stay unread.
const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Thử', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Phòng Kinh tế');
  const leader = await makeUser(db, { agencyId: me.id, roles: ['leader'] });
  const deputy = await makeUser(db, { agencyId: me.id, roles: ['leader'] });
  await delegateDirection({ db, actor: leader.actor, deputyId: deputy.user.id, startsOn: vietnamToday(), endsOn: vietnamToday() });
  return {
    me, unit, leader, deputy,
    clerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    clerk2: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    staff: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
    staff2: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
  };
}

beforeAll(async () => {
  w = await makeWorld();
});

const metadata = (subject: string): IncomingMetadata => ({
  number: 15, notation: 'SNV-CCVC', documentDate: '2026-11-20', typeCode: 'cong_van', subject, urgency: 'khan', secrecy: 'thuong',
  signerName: 'Ngô Văn Tài', signerPosition: 'Giám đốc', pageCount: 1,
});
const registerBody = (subject: string): TRegisterIncomingBody => ({
  issuerName: 'Sở Nội vụ tỉnh Thử', issuerCode: '', number: '15', notation: 'SNV-CCVC', documentDate: '2026-11-20', typeCode: 'cong_van',
  subject, urgency: 'khan', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '',
});
const as = (u: typeof w.clerk) => ({ db: t.db, actor: u.actor });

/** An electronic Khẩn document just arrived: each clerk has a «Văn bản điện tử mới đến» notice about it. */
async function arrived(subject: string): Promise<string> {
  const file = await storeUpload(t.deps, { source: await makeTextPdf([subject]), fileName: 'cong-van.pdf' });
  const { id } = await t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
    recipientAgencyId: w.me.id, documentId: crypto.randomUUID(), sender: { code: '000.00.01.H99', name: 'Sở Nội vụ tỉnh Thử' },
    metadata: metadata(subject), files: [{ ...file, kind: 'main', pageCount: 1 }],
  }));
  return id;
}
const registered = async (subject: string) => {
  const id = await arrived(subject);
  await registerIncoming({ ...as(w.clerk), id, body: registerBody(subject) });
  return id;
};
const forwarded = async (subject: string) => {
  const id = await registered(subject);
  await forwardIncoming({ ...as(w.clerk), id, leaderId: w.leader.user.id });
  return id;
};
/** Directed to the two staff members (lead and support). */
const directed = async (subject: string) => {
  const id = await forwarded(subject);
  await directIncoming({ ...as(w.leader), id, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [{ userId: w.staff2.user.id }], info: [], deadline: '2026-12-31' } });
  return id;
};

/** Who has an unread notice of `kind` about a document. */
const unread = async (incomingId: string, kind: string) =>
  (await t.db.selectFrom('incomingNotice').select('userId').where('incomingId', '=', incomingId).where('kind', '=', kind).where('readAt', 'is', null).execute())
    .map((n) => n.userId).sort();
const ids = (...users: (typeof w.clerk)[]) => users.map((u) => u.user.id).sort();

describe('the clerks\' «Văn bản điện tử mới đến» notice', () => {
  test('is answered for every clerk when one registers the document; the leaders\' «Văn bản khẩn vừa vào sổ» and another document\'s arrival stay unread', async () => {
    const id = await arrived('Về việc tuyển dụng công chức năm 2026');
    const other = await arrived('Về việc kiểm kê tài sản công');
    expect(await unread(id, 'arrived')).toEqual(ids(w.clerk, w.clerk2));

    await registerIncoming({ ...as(w.clerk), id, body: registerBody('Về việc tuyển dụng công chức năm 2026') });

    expect(await unread(id, 'arrived')).toEqual([]);
    expect(await unread(id, 'registered')).toEqual(ids(w.leader, w.deputy));
    expect(await unread(other, 'arrived')).toEqual(ids(w.clerk, w.clerk2));
  });

  test('is answered when the document is refused', async () => {
    const id = await arrived('Văn bản gửi nhầm nơi nhận');
    const other = await arrived('Về việc phòng chống thiên tai');
    await refuseIncoming({ ...as(w.clerk2), id, reason: 'Gửi nhầm cơ quan' });
    expect(await unread(id, 'arrived')).toEqual([]);
    expect(await unread(other, 'arrived')).toEqual(ids(w.clerk, w.clerk2));
  });
});

describe('the leader\'s «Văn bản chờ ý kiến chỉ đạo» notice', () => {
  test('is answered for the leader and the deputy told with him once the deputy directs; another document waiting stays unread, and so does «Văn bản khẩn vừa vào sổ»', async () => {
    const id = await forwarded('Về việc xây dựng nông thôn mới');
    const other = await forwarded('Về việc chuẩn bị bầu cử');
    expect(await unread(id, 'forwarded')).toEqual(ids(w.leader, w.deputy));

    await directIncoming({ ...as(w.deputy), id, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [], info: [], deadline: '2026-12-31' } });

    expect(await unread(id, 'forwarded')).toEqual([]);
    expect(await unread(id, 'registered')).toEqual(ids(w.leader, w.deputy));
    expect(await unread(other, 'forwarded')).toEqual(ids(w.leader, w.deputy));
  });
});

describe('the handlers\' «Được giao xử lý» notice', () => {
  test('a handler who finishes their part has theirs answered, not the other handler\'s; closing the document answers every one, reminders too, and the progress notices stay', async () => {
    const id = await directed('Về việc quyết toán ngân sách xã');
    const other = await directed('Về việc sửa chữa trụ sở');
    await t.db.transaction().execute((tx) => workRepo.insertNotices(tx, [{ userId: w.staff2.user.id, incomingId: id, kind: 'reminder', message: 'Văn bản sắp đến hạn xử lý' }]));
    expect(await unread(id, 'assigned')).toEqual(ids(w.staff, w.staff2));

    const assignments = (await getIncoming({ ...as(w.staff), id })).assignments;
    const lead = assignments.find((a) => a.userId === w.staff.user.id);
    await recordProgress({ ...as(w.staff), id, body: { assignmentId: lead?.id ?? '', text: 'Đã lập dự toán', isDone: true } });
    expect(await unread(id, 'assigned')).toEqual(ids(w.staff2));
    expect(await unread(id, 'reminder')).toEqual(ids(w.staff2));

    await closeIncoming({ ...as(w.staff), id, note: 'Đã giải quyết xong' });
    expect(await unread(id, 'assigned')).toEqual([]);
    expect(await unread(id, 'reminder')).toEqual([]);
    expect(await unread(id, 'progress')).toEqual(ids(w.leader));
    expect(await unread(other, 'assigned')).toEqual(ids(w.staff, w.staff2));
  });
});
