import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../../test/factories.ts';
import { takeBackAnsweredNotices } from './2026_12_07_1020_notice_request.ts';

const t = useTestDb();

test('the notices the old code left in the bell are taken back — an answered request\'s, a recalled document\'s, a unit head\'s about a part passed on — and the others stay unread', async () => {
  const db = t.db;
  const agency = await makeAgency(db);
  const unit = await makeUnit(db, agency.id);
  const [clerk, leader, head, officer, other] = await Promise.all([
    makeUser(db, { agencyId: agency.id, roles: ['clerk'] }), makeUser(db, { agencyId: agency.id, roles: ['leader'] }),
    makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['unit_head'] }), makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] }),
    makeUser(db, { agencyId: agency.id, roles: ['staff'] }),
  ]);
  const doc = async (status: string) => (await db.insertInto('incomingDocument').values({ agencyId: agency.id, source: 'external', status, subject: 'Thử' })
    .returning('id').executeTakeFirstOrThrow()).id;
  const [answered, pending, recalled, passedOn, kept] = [await doc('received'), await doc('received'), await doc('recalled'), await doc('assigned'), await doc('assigned')];
  // as the old code wrote them: a request's notices in its transaction (same created_at), naming no request
  const at = new Date('2026-12-01T02:00:00Z');
  const request = (incomingId: string, status: 'pending' | 'agreed') => db.insertInto('exchangeRequest').values({
    agencyId: agency.id, incomingId, kind: 'recall', documentId: 'X', senderCode: '000.00.01.H99', status, createdAt: at, ...(status === 'agreed' && { answeredAt: new Date() }),
  }).returning('id').executeTakeFirstOrThrow();
  const [answeredRequest, pendingRequest] = [await request(answered, 'agreed'), await request(pending, 'pending')];
  const part = async (incomingId: string) => (await db.insertInto('incomingAssignment').values({ incomingId, role: 'lead', unitId: unit.id, assignedBy: leader.user.id })
    .returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('incomingAssignment').values({ incomingId: passedOn, role: 'lead', userId: officer.user.id, parentId: await part(passedOn), assignedBy: head.user.id }).execute();
  await part(kept);
  const notice = (userId: string, incomingId: string, kind: string) => ({ userId, incomingId, kind, message: kind, createdAt: kind === 'request' ? at : new Date() });
  await db.insertInto('incomingNotice').values([
    notice(clerk.user.id, answered, 'request'), notice(leader.user.id, answered, 'request'), notice(clerk.user.id, pending, 'request'),
    notice(clerk.user.id, recalled, 'arrived'), notice(officer.user.id, recalled, 'assigned'), notice(leader.user.id, recalled, 'registered'),
    notice(head.user.id, passedOn, 'assigned'), notice(officer.user.id, passedOn, 'reassigned'), notice(head.user.id, kept, 'assigned'), notice(other.user.id, kept, 'progress'),
  ]).execute();

  await takeBackAnsweredNotices(db);
  await takeBackAnsweredNotices(db);

  const unread = await db.selectFrom('incomingNotice').select(['userId', 'incomingId', 'kind', 'exchangeRequestId']).where('readAt', 'is', null)
    .where('incomingId', 'in', [answered, pending, recalled, passedOn, kept]).orderBy('id').execute();
  expect(unread).toEqual([
    { userId: clerk.user.id, incomingId: pending, kind: 'request', exchangeRequestId: pendingRequest.id },
    { userId: leader.user.id, incomingId: recalled, kind: 'registered', exchangeRequestId: null },
    { userId: officer.user.id, incomingId: passedOn, kind: 'reassigned', exchangeRequestId: null },
    { userId: head.user.id, incomingId: kept, kind: 'assigned', exchangeRequestId: null },
    { userId: other.user.id, incomingId: kept, kind: 'progress', exchangeRequestId: null },
  ]);
  expect((await db.selectFrom('incomingNotice').select('exchangeRequestId').where('incomingId', '=', answered).execute()).map((n) => n.exchangeRequestId))
    .toEqual([answeredRequest.id, answeredRequest.id]);
});
