import { describe, expect, test } from 'vitest';
import type { Insertable } from 'kysely';
import type { IncomingDocument } from '../../platform/db/types.gen.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { countIncomingWork } from './incoming-query.service.ts';

const t = useTestApp();

const PAST = '2020-01-15';
const FUTURE = '2999-12-31';
type Counts = { boxes: Record<string, { count: number; overdue: number }>; requests: { count: number } | null };
type Client = Awaited<ReturnType<typeof signedInClient>>['client'];

const insertDoc = (values: Omit<Insertable<IncomingDocument>, 'source'>) =>
  t.db.insertInto('incomingDocument').values({ source: 'paper', subject: 'V/v đếm việc', ...values }).returning('id').executeTakeFirstOrThrow();

/** An agency's clerk, leaders, unit head and staff, with documents waiting in each of their lists (some overdue, some closed). */
async function agencyAtWork() {
  const agency = await makeAgency(t.db);
  const unit = await makeUnit(t.db, agency.id);
  const [clerk, leader, otherLeader, head, staff] = [
    await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, unitId: unit.id, roles: ['unit_head'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] }),
  ];
  const agencyId = agency.id;
  // the clerk's intake: two scans to register, one registered and overdue
  await insertDoc({ agencyId, status: 'received' });
  await insertDoc({ agencyId, status: 'received', dueDate: FUTURE });
  await insertDoc({ agencyId, status: 'registered', dueDate: PAST, registeredBy: clerk.user.id });
  // the leader's direction inbox: one overdue, one not; one forwarded to the other leader
  await insertDoc({ agencyId, status: 'forwarded', forwardedTo: leader.user.id, dueDate: PAST });
  await insertDoc({ agencyId, status: 'forwarded', forwardedTo: leader.user.id });
  await insertDoc({ agencyId, status: 'forwarded', forwardedTo: otherLeader.user.id, dueDate: PAST });
  // the staff member's tasks: one overdue in progress, one assigned; one done long after its deadline (no longer waiting)
  const assign = async (status: string, to: { userId?: string; unitId?: string }, dueDate: string | null) => {
    const doc = await insertDoc({ agencyId, status, dueDate, directedBy: leader.user.id });
    await t.db.insertInto('incomingAssignment').values({ incomingId: doc.id, role: 'lead', assignedBy: leader.user.id, ...to }).execute();
  };
  await assign('in_progress', { userId: staff.user.id }, PAST);
  await assign('assigned', { userId: staff.user.id }, FUTURE);
  await assign('done', { userId: staff.user.id }, PAST);
  // the unit's: two for the unit, one of them overdue; one for the unit head in person
  await assign('assigned', { unitId: unit.id }, PAST);
  await assign('in_progress', { unitId: unit.id }, null);
  await assign('assigned', { userId: head.user.id }, null);
  return { agency, clerk, leader, head, staff };
}

/** Each list the counts name, read whole (its page size is 200): its rows and its overdue rows. */
async function listsOf(client: Client, boxes: readonly string[]) {
  const lists: Record<string, { count: number; overdue: number }> = {};
  for (const box of boxes) {
    const rows = (await client.get(`/api/incoming?box=${box}&limit=200`)).body.data as { isOverdue: boolean }[];
    lists[box] = { count: rows.length, overdue: rows.filter((r) => r.isOverdue).length };
  }
  return lists;
}

describe('GET /api/incoming/counts', () => {
  test('each role gets, in one request, the lists that are its work with how many wait and how many are overdue — as many as the lists themselves show', async () => {
    const { clerk, leader, head, staff } = await agencyAtWork();
    const expected: [Client, Counts][] = [
      [clerk.client, { boxes: { intake: { count: 3, overdue: 1 }, mine: { count: 0, overdue: 0 } }, requests: { count: 0 } }],
      [leader.client, { boxes: { direct: { count: 2, overdue: 1 }, mine: { count: 0, overdue: 0 } }, requests: { count: 0 } }],
      [head.client, { boxes: { mine: { count: 1, overdue: 0 }, unit: { count: 2, overdue: 1 } }, requests: null }],
      [staff.client, { boxes: { mine: { count: 2, overdue: 1 } }, requests: null }],
    ];
    for (const [client, counts] of expected) {
      const res = await client.get('/api/incoming/counts');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(counts);
      expect((res.body.data as Counts).boxes).toEqual(await listsOf(client, Object.keys(counts.boxes)));
    }
  });

  test('a list the role does not work in is not counted: the staff member has no intake, direction or unit count, the leader no intake', async () => {
    const { leader, staff } = await agencyAtWork();
    const staffCounts = (await staff.client.get('/api/incoming/counts')).body.data as Counts;
    expect(Object.keys(staffCounts.boxes)).toEqual(['mine']);
    expect(staffCounts.requests).toBeNull();
    const leaderCounts = (await leader.client.get('/api/incoming/counts')).body.data as Counts;
    expect(Object.keys(leaderCounts.boxes)).toEqual(['direct', 'mine']);
  });

  test('another agency\'s documents are not counted, however many wait there', async () => {
    const { clerk } = await agencyAtWork();
    const other = await agencyAtWork();
    await insertDoc({ agencyId: other.agency.id, status: 'received', dueDate: PAST });
    const counts = (await clerk.client.get('/api/incoming/counts')).body.data as Counts;
    expect(counts.boxes.intake).toEqual({ count: 3, overdue: 1 });
  });

  test('all of a clerk\'s counts — the intake, their tasks, the senders\' pending requests — are one SQL statement', async () => {
    const { clerk } = await agencyAtWork();
    let statements = 0;
    // transformResult runs once per statement sent (transformQuery also sees each subquery's builder)
    const db = t.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => { statements += 1; return args.result; } });
    expect(await countIncomingWork({ db, actor: clerk.actor })).toEqual({ boxes: { intake: { count: 3, overdue: 1 }, mine: { count: 0, overdue: 0 } }, requests: { count: 0 } });
    expect(statements).toBe(1);
  });

  test('a user not signed in is refused', async () => {
    const res = await t.app.request('/api/incoming/counts');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/incoming?box=…', () => {
  test('each role opens the lists its roles have — the clerk the intake, a leader the direction inbox, a unit head the unit\'s and the followed ones, everyone their tasks and all', async () => {
    const { agency, clerk, leader, head, staff } = await agencyAtWork();
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    const lists: [Client, readonly string[]][] = [
      [clerk.client, ['intake', 'mine', 'all']], [leader.client, ['direct', 'mine', 'all']], [head.client, ['mine', 'unit', 'following', 'all']],
      [staff.client, ['mine', 'all']], [admin.client, ['mine', 'all']],
    ];
    for (const [client, boxes] of lists) {
      for (const box of boxes) expect((await client.get(`/api/incoming?box=${box}`)).status, box).toBe(200);
    }
    // the list they open holds their work: the clerk's intake its three documents
    expect(((await clerk.client.get('/api/incoming?box=intake')).body.data as unknown[]).length).toBe(3);
  });

  test('a list of another role is refused with 403 incoming.box_not_allowed, in Vietnamese: staff asking for the intake, the clerk for the direction inbox, a leader for a unit\'s', async () => {
    const { clerk, leader, head, staff } = await agencyAtWork();
    const refused: [Client, readonly string[]][] = [
      [clerk.client, ['direct', 'unit', 'following']], [leader.client, ['intake', 'unit', 'following']], [head.client, ['intake', 'direct']],
      [staff.client, ['intake', 'direct', 'unit', 'following']],
    ];
    for (const [client, boxes] of refused) {
      for (const box of boxes) {
        const res = await client.get(`/api/incoming?box=${box}`);
        expect([res.status, res.body.error?.code, res.body.error?.message], box).toEqual([403, 'incoming.box_not_allowed', 'Bạn không có hộp công việc này.']);
      }
    }
  });
});
