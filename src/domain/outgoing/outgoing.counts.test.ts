import { describe, expect, test } from 'vitest';
import type { Insertable } from 'kysely';
import type { OutgoingDocument } from '../../platform/db/types.gen.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { countOutgoingWork } from './outgoing.service.ts';

const t = useTestApp();

type Counts = { boxes: Record<string, { count: number }> };
type Client = Awaited<ReturnType<typeof signedInClient>>['client'];

const insertDoc = (values: Omit<Insertable<OutgoingDocument>, 'subject' | 'typeCode'>) =>
  t.db.insertInto('outgoingDocument').values({ subject: 'V/v đếm việc', typeCode: 'cong_van', ...values }).returning('id').executeTakeFirstOrThrow();

/** An agency's clerk, leader, unit head and staff, with drafts, documents in review, awaiting signature and signed. */
async function agencyAtWork() {
  const agency = await makeAgency(t.db);
  const unit = await makeUnit(t.db, agency.id);
  const [clerk, leader, head, staff] = [
    await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['leader'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, unitId: unit.id, roles: ['unit_head'] }),
    await signedInClient(t.app, t.db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] }),
  ];
  const agencyId = agency.id;
  const drafted = { agencyId, createdBy: staff.user.id, signerId: leader.user.id };
  // the staff member's drafts: two being written, one returned; one cancelled (no longer theirs to do)
  await insertDoc({ ...drafted, status: 'draft' });
  await insertDoc({ ...drafted, status: 'draft' });
  await insertDoc({ ...drafted, status: 'returned' });
  await insertDoc({ ...drafted, status: 'cancelled' });
  // one in review, the unit head's turn (still among the staff member's drafts)
  const reviewed = await insertDoc({ ...drafted, status: 'in_review' });
  const step = await t.db.insertInto('outgoingReviewStep').values({ outgoingId: reviewed.id, reviewerId: head.user.id, round: 1, seq: 1, version: 1 }).returning('id').executeTakeFirstOrThrow();
  await t.db.updateTable('outgoingDocument').set({ currentStepId: step.id }).where('id', '=', reviewed.id).execute();
  // the leader's signature: two; the clerk's: three signed to issue; one issued (in no work list)
  await insertDoc({ ...drafted, status: 'awaiting_signature' });
  await insertDoc({ ...drafted, status: 'awaiting_signature' });
  for (let i = 0; i < 3; i++) await insertDoc({ ...drafted, status: 'signed' });
  await insertDoc({ ...drafted, status: 'issued' });
  return { agency, clerk, leader, head, staff };
}

/** Each list the counts name, read whole (its page size is 200). */
async function listsOf(client: Client, boxes: readonly string[]) {
  const lists: Record<string, { count: number }> = {};
  for (const box of boxes) lists[box] = { count: ((await client.get(`/api/outgoing?box=${box}&limit=200`)).body.data as unknown[]).length };
  return lists;
}

describe('GET /api/outgoing/counts', () => {
  test('each role gets, in one request, the lists that are its work with how many wait in each — as many as the lists themselves show', async () => {
    const { clerk, leader, head, staff } = await agencyAtWork();
    const expected: [Client, Counts][] = [
      [clerk.client, { boxes: { drafts: { count: 0 }, review: { count: 0 }, to_issue: { count: 3 } } }],
      [leader.client, { boxes: { drafts: { count: 0 }, review: { count: 0 }, signature: { count: 2 } } }],
      [head.client, { boxes: { drafts: { count: 0 }, review: { count: 1 }, signature: { count: 0 } } }],
      [staff.client, { boxes: { drafts: { count: 4 }, review: { count: 0 } } }],
    ];
    for (const [client, counts] of expected) {
      const res = await client.get('/api/outgoing/counts');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(counts);
      expect((res.body.data as Counts).boxes).toEqual(await listsOf(client, Object.keys(counts.boxes)));
    }
  });

  test('a list the role does not work in is not counted: the clerk has no signature count, the staff member no signature or issuing', async () => {
    const { clerk, staff } = await agencyAtWork();
    expect(Object.keys(((await clerk.client.get('/api/outgoing/counts')).body.data as Counts).boxes)).toEqual(['drafts', 'review', 'to_issue']);
    expect(Object.keys(((await staff.client.get('/api/outgoing/counts')).body.data as Counts).boxes)).toEqual(['drafts', 'review']);
  });

  test('another agency\'s documents are not counted, however many wait there', async () => {
    const { clerk } = await agencyAtWork();
    const other = await agencyAtWork();
    await insertDoc({ agencyId: other.agency.id, createdBy: other.staff.user.id, status: 'signed' });
    expect(((await clerk.client.get('/api/outgoing/counts')).body.data as Counts).boxes).toEqual({ drafts: { count: 0 }, review: { count: 0 }, to_issue: { count: 3 } });
  });

  test('all of a leader\'s counts — drafts, review, signature — are one SQL statement', async () => {
    const { leader } = await agencyAtWork();
    let statements = 0;
    const db = t.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => { statements += 1; return args.result; } });
    expect(await countOutgoingWork({ db, actor: leader.actor })).toEqual({ boxes: { drafts: { count: 0 }, review: { count: 0 }, signature: { count: 2 } } });
    expect(statements).toBe(1);
  });

  test('a user not signed in is refused', async () => {
    expect((await t.app.request('/api/outgoing/counts')).status).toBe(401);
  });
});

describe('GET /api/outgoing?box=…', () => {
  test('each role opens the lists its roles have — drafts and reviews for those who draft (the clerk too), signatures for a leader and a unit head, issuing for the clerk, all for everyone', async () => {
    const { agency, clerk, leader, head, staff } = await agencyAtWork();
    const admin = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['admin'] });
    const lists: [Client, readonly string[]][] = [
      [clerk.client, ['drafts', 'review', 'to_issue', 'issued', 'all']], [leader.client, ['drafts', 'review', 'signature', 'issued', 'all']],
      [head.client, ['drafts', 'review', 'signature', 'issued', 'all']], [staff.client, ['drafts', 'review', 'issued', 'all']], [admin.client, ['all']],
    ];
    for (const [client, boxes] of lists) {
      for (const box of boxes) expect((await client.get(`/api/outgoing?box=${box}`)).status, box).toBe(200);
    }
    // the list they open holds their work: the leader's signatures its two documents
    expect(((await leader.client.get('/api/outgoing?box=signature')).body.data as unknown[]).length).toBe(2);
  });

  test('a list of another role is refused with 403 outgoing.box_not_allowed, in Vietnamese: staff asking for signatures, the clerk for signatures, a leader for issuing', async () => {
    const { agency, clerk, leader, head, staff } = await agencyAtWork();
    const archivist = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['archivist'] });
    const refused: [Client, readonly string[]][] = [
      [clerk.client, ['signature']], [leader.client, ['to_issue']], [head.client, ['to_issue']], [staff.client, ['signature', 'to_issue']],
      [archivist.client, ['drafts', 'review', 'signature', 'to_issue', 'issued']],
    ];
    for (const [client, boxes] of refused) {
      for (const box of boxes) {
        const res = await client.get(`/api/outgoing?box=${box}`);
        expect([res.status, res.body.error?.code, res.body.error?.message], box).toEqual([403, 'outgoing.box_not_allowed', 'Bạn không có hộp công việc này.']);
      }
    }
  });
});
