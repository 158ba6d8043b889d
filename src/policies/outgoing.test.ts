import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';
import { outgoingVisibleTo, type OutgoingSubject } from './outgoing.ts';
import { useTestDb } from '../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../test/factories.ts';

const actor = (id: string, roles: Role[], agencyId = 'A', unitId: string | null = null): Actor => ({ id, agencyId, unitId, username: id, fullName: id, roles });
const doc = (o: Partial<OutgoingSubject> = {}): OutgoingSubject => ({
  agencyId: 'A', createdBy: 'drafter', status: 'draft', isSecret: false, signerId: 'leader', participantIds: [], reviewerIds: ['head'], pendingReviewerId: null, delegateIds: [], recipientUnitIds: [], ...o,
});

describe('outgoing rules (allow and deny)', () => {
  test('list_box: a user with several roles opens the lists of each; the archivist only the search page\'s «all»', () => {
    const boxes = ['drafts', 'review', 'signature', 'to_issue', 'issued', 'all'];
    expect(boxes.map((box) => can(actor('kl', ['clerk', 'leader']), 'outgoing.list_box', box))).toEqual([true, true, true, true, true, true]);
    expect(boxes.map((box) => can(actor('s', ['staff']), 'outgoing.list_box', box))).toEqual([true, true, false, false, true, true]);
    expect(boxes.map((box) => can(actor('a', ['archivist']), 'outgoing.list_box', box))).toEqual([false, false, false, false, false, true]);
  });
  test('view: participants, clerks and leaders of the agency; nobody else', () => {
    expect(can(actor('drafter', ['staff']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('head', ['unit_head']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('k', ['clerk']), 'outgoing.view', doc())).toBe(true);
    expect(can(actor('other', ['staff']), 'outgoing.view', doc())).toBe(false);
    expect(can(actor('k', ['clerk'], 'B'), 'outgoing.view', doc())).toBe(false);
  });
  test('view: the members of a unit the document was issued to, once issued; not before, not after a recall, not Mật', () => {
    const member = actor('m', ['staff'], 'A', 'unit-vp');
    expect(can(member, 'outgoing.view', doc({ status: 'issued', recipientUnitIds: ['unit-vp'] }))).toBe(true);
    expect(can(member, 'outgoing.view', doc({ status: 'replaced', recipientUnitIds: ['unit-vp'] }))).toBe(true);
    expect(can(member, 'outgoing.view', doc({ status: 'signed', recipientUnitIds: ['unit-vp'] }))).toBe(false);
    expect(can(member, 'outgoing.view', doc({ status: 'recalled', recipientUnitIds: ['unit-vp'] }))).toBe(false);
    expect(can(member, 'outgoing.view', doc({ status: 'issued', recipientUnitIds: ['unit-kt'] }))).toBe(false);
    expect(can(member, 'outgoing.view', doc({ status: 'issued', isSecret: true, recipientUnitIds: ['unit-vp'] }))).toBe(false);
    expect(can(actor('m', ['staff'], 'B', 'unit-vp'), 'outgoing.view', doc({ status: 'issued', recipientUnitIds: ['unit-vp'] }))).toBe(false);
    expect(can(member, 'outgoing.recall', doc({ status: 'issued', recipientUnitIds: ['unit-vp'] }))).toBe(false);
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
  const t = useTestDb();

  test('lists show exactly what the rule allows (plain and Mật, participants, roles and recipient units)', async () => {
    const db = t.db;
    const agency = await makeAgency(db);
    const [unit, otherUnit] = [await makeUnit(db, agency.id), await makeUnit(db, agency.id)];
    const [drafter, clerk, other, named, member, outsider] = await Promise.all([
      makeUser(db, { agencyId: agency.id, roles: ['staff'] }), makeUser(db, { agencyId: agency.id, roles: ['clerk'] }),
      makeUser(db, { agencyId: agency.id, roles: ['staff'] }), makeUser(db, { agencyId: agency.id, roles: ['clerk'] }),
      makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] }), makeUser(db, { agencyId: agency.id, unitId: otherUnit.id, roles: ['staff'] }),
    ]);
    const insert = async (secrecy: 'thuong' | 'mat', participantIds: string[] = [], status = 'draft', toUnit = false) => {
      const row = await db.insertInto('outgoingDocument')
        .values({ agencyId: agency.id, createdBy: drafter.user.id, typeCode: 'cong_van', subject: 's', secrecy, participantIds, status }).returningAll().executeTakeFirstOrThrow();
      if (toUnit) await db.insertInto('outgoingRecipient').values({ outgoingId: row.id, kind: 'unit', name: unit.name, unitId: unit.id }).execute();
      return row;
    };
    const rows = [await insert('thuong'), await insert('mat'), await insert('mat', [named.user.id]),
      await insert('thuong', [], 'issued', true), await insert('thuong', [], 'signed', true), await insert('thuong', [], 'recalled', true), await insert('mat', [], 'issued', true)];
    for (const u of [drafter, clerk, other, named, member, outsider]) {
      const listed = new Set((await db.selectFrom('outgoingDocument').select('id').where(outgoingVisibleTo(u.actor)).execute()).map((r) => r.id));
      for (const [i, r] of rows.entries()) {
        const subject = doc({ agencyId: r.agencyId, createdBy: r.createdBy, status: r.status, isSecret: r.isSecret, signerId: r.signerId, participantIds: r.participantIds, reviewerIds: [],
          recipientUnitIds: i >= 3 ? [unit.id] : [] });
        expect(listed.has(r.id), `${u.user.username} / ${r.secrecy} / ${r.status}`).toBe(can(u.actor, 'outgoing.view', subject));
      }
    }
    // The member of the unit sees the one issued plain document among them.
    expect((await db.selectFrom('outgoingDocument').select('id').where(outgoingVisibleTo(member.actor)).execute()).map((r) => r.id)).toEqual([rows[3]?.id]);
  });
});
