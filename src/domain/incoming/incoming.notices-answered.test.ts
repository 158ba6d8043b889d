import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocument, refuseIncoming, registerIncoming, type IncomingMetadata } from './incoming.service.ts';
import { delegateDirection, directIncoming, forwardIncoming, reassignInUnit } from './incoming-direction.service.ts';
import { closeIncoming, recordProgress } from './incoming-handling.service.ts';
import { getIncoming, listIncoming } from './incoming-query.service.ts';
import { answerSenderRequest, receiveSenderRequest, takeOutReplaced, type UpdateChanges } from './incoming-requests.service.ts';
import { notify } from '../notices/notices.service.ts';
import { sendReminders } from './incoming.jobs.ts';
import { DAY_BEFORE_DEADLINE as DAY_BEFORE, FUTURE_DEADLINE as DEADLINE, makeTextPdf } from './incoming.testing.ts';
import type { TAssignee, TListIncomingQuery, TRegisterIncomingBody } from './incoming.schemas.ts';

// A notice that asks someone to act is answered by the action: it leaves the bell of everyone it was sent to,
// in the transaction of the action. Notices of other kinds, and those about other documents, stay unread.
const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Thử', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Phòng Kinh tế');
  const culture = await makeUnit(db, me.id, 'Phòng Văn hóa - Thông tin');
  const leader = await makeUser(db, { agencyId: me.id, roles: ['leader'] });
  const deputy = await makeUser(db, { agencyId: me.id, roles: ['leader'] });
  await delegateDirection({ db, actor: leader.actor, deputyId: deputy.user.id, startsOn: vietnamDay(), endsOn: vietnamDay() });
  return {
    me, unit, culture, leader, deputy,
    head: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    head2: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    cultureHead: await makeUser(db, { agencyId: me.id, unitId: culture.id, roles: ['unit_head'] }),
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
  confirmDuplicate: true, // each test's own copy of one letter
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
  await directIncoming({ ...as(w.leader), id, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [{ userId: w.staff2.user.id }], info: [], deadline: DEADLINE } });
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

    await directIncoming({ ...as(w.deputy), id, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [], info: [], deadline: DEADLINE } });

    expect(await unread(id, 'forwarded')).toEqual([]);
    expect(await unread(id, 'registered')).toEqual(ids(w.leader, w.deputy));
    expect(await unread(other, 'forwarded')).toEqual(ids(w.leader, w.deputy));
  });
});

describe('the handlers\' «Được giao xử lý» notice', () => {
  test('a handler who finishes their part has theirs answered, not the other handler\'s; closing the document answers every one, reminders too, and the progress notices stay', async () => {
    const id = await directed('Về việc quyết toán ngân sách xã');
    const other = await directed('Về việc sửa chữa trụ sở');
    await t.db.transaction().execute((tx) => notify(tx, [{ userId: w.staff2.user.id, incomingId: id, kind: 'reminder', message: 'Văn bản sắp đến hạn xử lý' }]));
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

/** A sender's recall or update request about a document, as the connector (BussinessDocType 1 / 2) and an agency on this install make it. */
const asked = async (incomingId: string, kind: 'recall' | 'update', changes?: UpdateChanges) =>
  (await t.db.transaction().execute((tx) => receiveSenderRequest(tx, { incomingId, kind, reason: 'Ban hành nhầm', changes })))?.id ?? '';
/** Who has an unread notice of one request. */
const toldOf = async (requestId: string) =>
  (await t.db.selectFrom('incomingNotice').select('userId').where('exchangeRequestId', '=', requestId).where('readAt', 'is', null).execute()).map((n) => n.userId).sort();
const answer = (u: typeof w.clerk, id: string, agree: boolean) => answerSenderRequest({ ...as(u), id, agree, note: agree ? '' : 'Đã giao xử lý' });

describe('a sender\'s recall or update request', () => {
  test('answered by one clerk, its notice leaves the bell of every clerk and leader told of it; the recalled document\'s «Văn bản điện tử mới đến» goes too; another document\'s request stays unread', async () => {
    const id = await arrived('Về việc tổ chức hội nghị (sẽ thu hồi)');
    const other = await arrived('Về việc tổ chức hội nghị khác');
    const recall = await asked(id, 'recall');
    const otherRecall = await asked(other, 'recall');
    expect(await unread(id, 'request')).toEqual(ids(w.clerk, w.clerk2, w.leader, w.deputy));

    await answer(w.clerk2, recall, true);

    expect(await unread(id, 'request')).toEqual([]);
    expect(await unread(id, 'arrived')).toEqual([]);
    expect(await toldOf(otherRecall)).toEqual(ids(w.clerk, w.clerk2, w.leader, w.deputy));
    expect(await unread(other, 'arrived')).toEqual(ids(w.clerk, w.clerk2));
  });

  test('refusing an update answers that update only: the recall pending on the same document keeps its notice until it is refused too, and the document still waits to be registered; staff cannot answer, and nothing is taken back', async () => {
    const id = await arrived('Về việc kế hoạch kiểm tra');
    const update = await asked(id, 'update', { subject: 'Về việc kế hoạch kiểm tra (sửa đổi)' });
    const recall = await asked(id, 'recall');

    await expect(answer(w.staff, update, false)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await toldOf(update)).toEqual(ids(w.clerk, w.clerk2, w.leader, w.deputy));

    await answer(w.leader, update, false);
    expect(await toldOf(update)).toEqual([]);
    expect(await toldOf(recall)).toEqual(ids(w.clerk, w.clerk2, w.leader, w.deputy));

    await answer(w.clerk, recall, false);
    expect(await unread(id, 'request')).toEqual([]);
    expect(await unread(id, 'arrived')).toEqual(ids(w.clerk, w.clerk2));
  });

  test('a recall agreed while the document is being handled answers the handlers\' «Được giao xử lý» and reminders; «Văn bản khẩn vừa vào sổ» stays, and so do another document\'s', async () => {
    const id = await directed('Về việc hỗ trợ hộ nghèo (sẽ thu hồi)');
    const other = await directed('Về việc hỗ trợ hộ cận nghèo');
    await t.db.transaction().execute((tx) => notify(tx, [{ userId: w.staff2.user.id, incomingId: id, kind: 'reminder', message: 'Văn bản sắp đến hạn xử lý' }]));

    await answer(w.clerk, await asked(id, 'recall'), true);

    expect(await unread(id, 'assigned')).toEqual([]);
    expect(await unread(id, 'reminder')).toEqual([]);
    expect(await unread(id, 'registered')).toEqual(ids(w.leader, w.deputy));
    expect(await unread(other, 'assigned')).toEqual(ids(w.staff, w.staff2));
  });

  test('a replacement takes the replaced document\'s «Được giao xử lý» back at once; an update pending on it is answered (16) there and then, and its notice goes', async () => {
    const id = await directed('Về việc lập quy hoạch (sẽ thay thế)');
    const replacement = await arrived('Về việc lập quy hoạch (thay thế)');
    const update = await asked(id, 'update', { dueDate: '2026-12-30' });
    expect(await toldOf(update)).toEqual(ids(w.clerk, w.clerk2, w.leader, w.deputy));

    await t.db.transaction().execute((tx) => takeOutReplaced(tx, { incomingId: id, byIncomingId: replacement }));

    expect(await unread(id, 'assigned')).toEqual([]);
    expect(await toldOf(update)).toEqual([]);
  });
});

/** Directed with `lead`, supported by `support`, due 31/12/2026. */
const directedTo = async (subject: string, lead: TAssignee, support: TAssignee[] = []) => {
  const id = await forwarded(subject);
  await directIncoming({ ...as(w.leader), id, body: { direction: 'Giao đơn vị xử lý', lead, support, info: [], deadline: DEADLINE } });
  return id;
};
/** The unit head passes their unit's part on to people of the unit. */
const passOn = async (head: typeof w.clerk, id: string, users: { userId: string; role: 'lead' | 'support' | 'info' }[]) => {
  const part = (await getIncoming({ ...as(head), id })).assignments.find((a) => a.unitId === head.user.unitId && a.isActive);
  return reassignInUnit({ ...as(head), id, body: { assignmentId: part?.id ?? '', users, note: '', deadline: null } });
};
const listed = async (u: typeof w.clerk, box: TListIncomingQuery['box']) => (await listIncoming({ ...as(u), query: { box, limit: 200, offset: 0 } })).map((d) => d.id);

describe('a unit head who passes their unit\'s part on', () => {
  test('has their «Được giao xử lý» answered, and the unit\'s other head too; the specialist\'s notice, another unit head\'s and another document\'s stay; the document leaves «Việc của đơn vị» for «Đang theo dõi» and is the specialist\'s in «Việc của tôi»', async () => {
    const id = await directedTo('Về việc phát triển kinh tế tập thể', { unitId: w.unit.id }, [{ unitId: w.culture.id }]);
    const other = await directedTo('Về việc phát triển hợp tác xã', { unitId: w.unit.id });
    expect(await unread(id, 'assigned')).toEqual(ids(w.head, w.head2, w.cultureHead));
    expect([(await listed(w.head, 'unit')).includes(id), (await listed(w.head, 'following')).includes(id)]).toEqual([true, false]);
    // only a head of the unit passes its part on: another unit's head may not, and nobody's notice is taken back
    const part = (await getIncoming({ ...as(w.head), id })).assignments.find((a) => a.unitId === w.unit.id);
    await expect(reassignInUnit({ ...as(w.cultureHead), id, body: { assignmentId: part?.id ?? '', users: [{ userId: w.staff.user.id, role: 'lead' }], note: '', deadline: null } }))
      .rejects.toMatchObject({ code: 'forbidden' });
    expect(await unread(id, 'assigned')).toEqual(ids(w.head, w.head2, w.cultureHead));

    await passOn(w.head, id, [{ userId: w.staff.user.id, role: 'lead' }]);

    expect(await unread(id, 'assigned')).toEqual(ids(w.cultureHead));
    expect(await unread(id, 'reassigned')).toEqual(ids(w.staff));
    expect(await unread(other, 'assigned')).toEqual(ids(w.head, w.head2));
    for (const head of [w.head, w.head2]) {
      expect([(await listed(head, 'unit')).includes(id), (await listed(head, 'following')).includes(id)]).toEqual([false, true]);
      expect((await listed(head, 'unit')).includes(other)).toBe(true);
    }
    expect((await listed(w.staff, 'mine')).includes(id)).toBe(true);
    expect([(await listed(w.cultureHead, 'unit')).includes(id), (await listed(w.cultureHead, 'following')).includes(id)]).toEqual([true, false]);
  });

  test('given to someone only for information, the part stays the head\'s to handle, notice and list alike; a head who also holds a part of their own keeps the notice when it is passed on', async () => {
    const id = await directedTo('Về việc chuyển đổi cơ cấu cây trồng', { unitId: w.unit.id }, [{ userId: w.head2.user.id }]);

    await passOn(w.head, id, [{ userId: w.staff2.user.id, role: 'info' }]);
    expect(await unread(id, 'assigned')).toEqual(ids(w.head, w.head2));
    expect((await listed(w.head, 'unit')).includes(id)).toBe(true);

    await passOn(w.head, id, [{ userId: w.staff.user.id, role: 'lead' }]);
    expect(await unread(id, 'assigned')).toEqual(ids(w.head2));
    expect((await listed(w.head, 'following')).includes(id)).toBe(true);
  });

  test('is reminded of the deadline once, through the specialist\'s part, not a second time as the holder of the unit\'s', async () => {
    const id = await directedTo('Về việc báo cáo tình hình thu ngân sách', { unitId: w.unit.id });
    await passOn(w.head, id, [{ userId: w.staff.user.id, role: 'lead' }]);

    await t.db.transaction().execute((tx) => sendReminders(tx, DAY_BEFORE));

    const reminders = await t.db.selectFrom('incomingNotice').select('userId').where('incomingId', '=', id).where('kind', '=', 'reminder').execute();
    expect(reminders.map((n) => n.userId).sort()).toEqual(ids(w.staff, w.head, w.head2));
  });
});
