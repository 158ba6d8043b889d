import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';
import { outgoingVisibleTo, type OutgoingSubject } from './outgoing.ts';
import { createTestDb } from '../test/db.ts';
import { makeAgency, makeUser } from '../test/factories.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';

const actor = (id: string, roles: Role[], agencyId = 'A'): Actor => ({ id, agencyId, unitId: null, username: id, fullName: id, roles });
const doc = (o: Partial<OutgoingSubject> = {}): OutgoingSubject => ({
  agencyId: 'A', createdBy: 'drafter', status: 'draft', isSecret: false, signerId: 'leader', participantIds: [], reviewerIds: ['head'], pendingReviewerId: null, delegateIds: [], ...o,
});

describe('outgoing rules (allow and deny)', () => {
  test('view: participants, clerks and leaders of the agency; nobody else', () => {
    expect(can(actor('drafter', ['staff']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('head', ['unit_head']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('k', ['clerk']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('other', ['staff']), 'outgoing.view', doc())).toBe(false);
    expect(can(actor('k', ['clerk'], 'B'), 'outgoing.view', doc())).toBe(false);
  });
  test('Mật: only explicit participants, not clerks or leaders by role', () => {
    expect(can(actor('k', ['clerk']), 'outgoing.view', doc({ isSecret: true }))).toBe(false);
    expect(can(actor('l2', ['leader']), 'outgoing.view', doc({ isSecret: true }))).toBe(false);
    expect(can(actor('k', ['clerk']), 'outgoing.view', doc({ isSecret: true, participantIds: ['k'] }))).toBe(true);
    expect(can(actor('k', ['clerk']), 'outgoing.issue', doc({ isSecret: true, status: 'signed' }))).toBe(false);
    expect(can(actor('k', ['clerk']), 'outgoing.issue', doc({ isSecret: true, status: 'signed', participantIds: ['k'] }))).toBe(true);
  });
  test('edit and submit: the drafter while draft or returned', () => {
    expect(can(actor('drafter', ['staff']), 'outgoing.edit', doc({ status: 'returned' }))).toBe(true);
    expect(can(actor('drafter', ['staff']), 'outgoing.edit', doc({ status: 'in_review' }))).toBe(false);
    expect(can(actor('head', ['unit_head']), 'outgoing.submit', doc())).toBe(false);
  });
  test('review: only the pending reviewer; sign: the signer or a deputy under delegation', () => {
    expect(can(actor('head', ['unit_head']), 'outgoing.review', doc({ status: 'in_review', pendingReviewerId: 'head' }))).toBe(true);
    expect(can(actor('x', ['unit_head']), 'outgoing.review', doc({ status: 'in_review', pendingReviewerId: 'head' }))).toBe(false);
    expect(can(actor('leader', ['leader']), 'outgoing.sign', doc({ status: 'awaiting_signature' }))).toBe(true);
    expect(can(actor('deputy', ['leader']), 'outgoing.sign', doc({ status: 'awaiting_signature' }))).toBe(false);
    expect(can(actor('deputy', ['leader']), 'outgoing.sign', doc({ status: 'awaiting_signature', delegateIds: ['deputy'] }))).toBe(true);
  });
  test('issue: a clerk of the agency once signed; never a staff member', () => {
    expect(can(actor('k', ['clerk']), 'outgoing.issue', doc({ status: 'signed' }))).toBe(true);
    expect(can(actor('drafter', ['staff']), 'outgoing.issue', doc({ status: 'signed' }))).toBe(false);
    expect(can(actor('k', ['clerk']), 'outgoing.issue', doc({ status: 'awaiting_signature' }))).toBe(false);
  });
});

describe('outgoingVisibleTo agrees with outgoing.view', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle?.close());

  test('lists show exactly what the rule allows (plain and Mật, participants and roles)', async () => {
    const db = handle.db;
    const agency = await makeAgency(db);
    const [drafter, clerk, other, named] = await Promise.all([
      makeUser(db, { agencyId: agency.id, roles: ['staff'] }), makeUser(db, { agencyId: agency.id, roles: ['clerk'] }),
      makeUser(db, { agencyId: agency.id, roles: ['staff'] }), makeUser(db, { agencyId: agency.id, roles: ['clerk'] }),
    ]);
    const insert = (secrecy: 'thuong' | 'mat', participantIds: string[] = []) => db.insertInto('outgoingDocument')
      .values({ agencyId: agency.id, createdBy: drafter.user.id, typeCode: 'cong_van', subject: 's', secrecy, participantIds }).returningAll().executeTakeFirstOrThrow();
    const rows = [await insert('thuong'), await insert('mat'), await insert('mat', [named.user.id])];
    for (const u of [drafter, clerk, other, named]) {
      const listed = new Set((await db.selectFrom('outgoingDocument').select('id').where(outgoingVisibleTo(u.actor)).execute()).map((r) => r.id));
      for (const r of rows) {
        const subject = doc({ agencyId: r.agencyId, createdBy: r.createdBy, isSecret: r.isSecret, signerId: r.signerId, participantIds: r.participantIds, reviewerIds: [] });
        expect(listed.has(r.id), `${u.user.username} / ${r.secrecy}`).toBe(can(u.actor, 'outgoing.view', subject));
      }
    }
  });
});
