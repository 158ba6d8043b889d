import { describe, expect, test } from 'vitest';
import { useTestDb } from '../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../test/factories.ts';
import { can } from './index.ts';
import { incomingVisibleTo, type IncomingAssignmentSubject, type IncomingSubject } from './incoming.ts';
import { vietnamDay } from '../platform/dates.ts';
import type { Actor, Role } from './actor.ts';

const actor = (id: string, roles: Role[], o: { agencyId?: string; unitId?: string | null } = {}): Actor =>
  ({ id, agencyId: o.agencyId ?? 'A', unitId: o.unitId ?? null, username: id, fullName: id, roles });
const doc = (o: Partial<IncomingSubject> = {}): IncomingSubject => ({
  agencyId: 'A', isSecret: false, status: 'registered', createdBy: 'clerk1', registeredBy: 'clerk1', forwardedTo: null, directedBy: null, assignments: [], ...o,
});
const part = (o: Partial<IncomingAssignmentSubject>): IncomingAssignmentSubject => ({ id: 'p', role: 'lead', userId: null, unitId: null, isActive: true, ...o });

describe('incoming.view', () => {
  test('clerks, leaders and archivists of the agency see ordinary documents; staff see only theirs', () => {
    for (const r of ['clerk', 'leader', 'archivist'] as Role[]) expect(can(actor('x', [r]), 'incoming.view', doc())).toBe(true);
    expect(can(actor('s', ['staff']), 'incoming.view', doc())).toBe(false);
    expect(can(actor('s', ['staff']), 'incoming.view', doc({ assignments: [part({ userId: 's', role: 'info' })] }))).toBe(true);
  });
  test('another agency sees nothing, whatever its roles', () => {
    expect(can(actor('x', ['clerk', 'leader'], { agencyId: 'B' }), 'incoming.view', doc())).toBe(false);
  });
  test('a Mật document: only its explicit participants (and clerks until it is registered)', () => {
    const secret = doc({ isSecret: true, forwardedTo: 'L1' });
    expect(can(actor('clerk2', ['clerk']), 'incoming.view', secret)).toBe(false);
    expect(can(actor('clerk2', ['clerk']), 'incoming.view', { ...secret, status: 'received' })).toBe(true);
    expect(can(actor('clerk1', ['clerk']), 'incoming.view', secret)).toBe(true);
    expect(can(actor('L1', ['leader']), 'incoming.view', secret)).toBe(true);
    expect(can(actor('L2', ['leader']), 'incoming.view', secret)).toBe(false);
    expect(can(actor('L2', ['leader']), 'incoming.view', { ...secret, delegatorIds: ['L1'] })).toBe(true);
  });
  test('a unit head sees what is assigned to their unit; a staff member of that unit does not', () => {
    const d = doc({ assignments: [part({ unitId: 'U' })] });
    expect(can(actor('h', ['unit_head'], { unitId: 'U' }), 'incoming.view', d)).toBe(true);
    expect(can(actor('s', ['staff'], { unitId: 'U' }), 'incoming.view', d)).toBe(false);
  });
});

describe('actions', () => {
  test('register / refuse / forward: clerks only', () => {
    for (const a of ['incoming.register', 'incoming.refuse', 'incoming.forward']) {
      expect(can(actor('c', ['clerk']), a, doc({ status: 'received' }))).toBe(true);
      expect(can(actor('l', ['leader']), a, doc({ status: 'received' }))).toBe(false);
    }
    expect(can(actor('c', ['clerk']), 'incoming.receive', { agencyId: 'A' })).toBe(true);
    expect(can(actor('s', ['staff']), 'incoming.receive', { agencyId: 'A' })).toBe(false);
  });
  test('direct: the leader it was forwarded to or their delegate; not another leader, not staff', () => {
    const d = doc({ status: 'forwarded', forwardedTo: 'L1' });
    expect(can(actor('L1', ['leader']), 'incoming.direct', d)).toBe(true);
    expect(can(actor('L2', ['leader']), 'incoming.direct', d)).toBe(false);
    expect(can(actor('L2', ['leader']), 'incoming.direct', { ...d, delegatorIds: ['L1'] })).toBe(true);
    expect(can(actor('L1', ['staff']), 'incoming.direct', d)).toBe(false);
    expect(can(actor('L2', ['leader']), 'incoming.direct', doc())).toBe(true);
  });
  test('reassign: the head of the assigned unit only', () => {
    const a = part({ unitId: 'U' });
    expect(can(actor('h', ['unit_head'], { unitId: 'U' }), 'incoming.reassign', { doc: doc({ assignments: [a] }), assignment: a })).toBe(true);
    expect(can(actor('h', ['unit_head'], { unitId: 'V' }), 'incoming.reassign', { doc: doc({ assignments: [a] }), assignment: a })).toBe(false);
    expect(can(actor('h', ['unit_head'], { unitId: 'U' }), 'incoming.reassign', { doc: doc(), assignment: { ...a, isActive: false } })).toBe(false);
  });
  test('handle: whoever holds the part', () => {
    const mine = part({ userId: 's' });
    expect(can(actor('s', ['staff']), 'incoming.handle', { doc: doc({ assignments: [mine] }), assignment: mine })).toBe(true);
    expect(can(actor('t', ['staff']), 'incoming.handle', { doc: doc({ assignments: [mine] }), assignment: mine })).toBe(false);
  });
  test('close / reopen: the lead or the directing leader; not a supporting handler', () => {
    const d = doc({ directedBy: 'L1', assignments: [part({ userId: 'lead' }), part({ id: 'q', userId: 'sup', role: 'support' })] });
    for (const a of ['incoming.close', 'incoming.reopen']) {
      expect(can(actor('lead', ['staff']), a, d)).toBe(true);
      expect(can(actor('L1', ['leader']), a, d)).toBe(true);
      expect(can(actor('sup', ['staff']), a, d)).toBe(false);
    }
  });
  test("answer a sender's recall / update request: the recipient agency's clerks and leaders only", () => {
    for (const r of ['clerk', 'leader'] as Role[]) expect(can(actor('x', [r]), 'incoming.answer_request', { agencyId: 'A' })).toBe(true);
    for (const r of ['staff', 'unit_head', 'archivist', 'admin'] as Role[]) expect(can(actor('x', [r]), 'incoming.answer_request', { agencyId: 'A' })).toBe(false);
    expect(can(actor('x', ['clerk', 'leader'], { agencyId: 'B' }), 'incoming.answer_request', { agencyId: 'A' })).toBe(false);
  });
  test("list the senders' requests: the agency's clerks, leaders and admins; not staff, unit heads, archivists or another agency", () => {
    for (const r of ['clerk', 'leader', 'admin'] as Role[]) expect(can(actor('x', [r]), 'incoming.list_requests', { agencyId: 'A' })).toBe(true);
    for (const r of ['staff', 'unit_head', 'archivist'] as Role[]) expect(can(actor('x', [r]), 'incoming.list_requests', { agencyId: 'A' })).toBe(false);
    expect(can(actor('x', ['clerk', 'leader', 'admin'], { agencyId: 'B' }), 'incoming.list_requests', { agencyId: 'A' })).toBe(false);
  });
  test('delegate: leaders; register books: the Mật one for clerks only', () => {
    expect(can(actor('l', ['leader']), 'incoming.delegate', { agencyId: 'A' })).toBe(true);
    expect(can(actor('s', ['staff']), 'incoming.delegate', { agencyId: 'A' })).toBe(false);
    expect(can(actor('l', ['leader']), 'incoming.register_book', { agencyId: 'A', isSecret: false })).toBe(true);
    expect(can(actor('l', ['leader']), 'incoming.register_book', { agencyId: 'A', isSecret: true })).toBe(false);
    expect(can(actor('c', ['clerk']), 'incoming.register_book', { agencyId: 'A', isSecret: true })).toBe(true);
  });
});

describe('incoming.list_box', () => {
  test('a user with several roles opens the lists of each; the system opens any; a staff member only their tasks and all', () => {
    const clerkAndLeader = actor('kl', ['clerk', 'leader']);
    expect(['intake', 'direct', 'mine', 'all'].map((box) => can(clerkAndLeader, 'incoming.list_box', box))).toEqual([true, true, true, true]);
    expect(['unit', 'following'].map((box) => can(clerkAndLeader, 'incoming.list_box', box))).toEqual([false, false]);
    expect(can({ ...actor('sys', []), isSystem: true }, 'incoming.list_box', 'intake')).toBe(true);
    expect(['intake', 'direct', 'mine', 'unit', 'following', 'all'].map((box) => can(actor('s', ['staff']), 'incoming.list_box', box)))
      .toEqual([false, false, true, false, false, true]);
  });
});

describe('the list rule (SQL) agrees with the single-read rule', () => {
  const t = useTestDb();

  test('for every actor and document of a small agency, incomingVisibleTo returns exactly what incoming.view allows', async () => {
    const db = t.db;
    const agencyId = (await makeAgency(db)).id;
    const unitId = (await makeUnit(db, agencyId)).id;
    const u = async (roles: Role[], inUnit = false) => (await makeUser(db, { agencyId, roles, unitId: inUnit ? unitId : null })).actor;
    const [clerk, clerk2, leader, deputy, head, staff, archivist, other] = [await u(['clerk']), await u(['clerk']), await u(['leader']), await u(['leader']), await u(['unit_head'], true), await u(['staff'], true), await u(['archivist']), await u(['staff'])];
    const actors = [clerk, clerk2, leader, deputy, head, staff, archivist, other, (await makeUser(db, { roles: ['clerk'] })).actor];
    await db.insertInto('incomingDelegation').values({ agencyId, leaderId: leader.id, deputyId: deputy.id, startsOn: vietnamDay(), endsOn: vietnamDay() }).execute();
    const specs: { secrecy: 'thuong' | 'mat'; status: string; forwardedTo?: string; parts?: { unitId?: string; userId?: string }[] }[] = [
      { secrecy: 'thuong', status: 'received' }, { secrecy: 'mat', status: 'received' }, { secrecy: 'mat', status: 'registered' },
      { secrecy: 'mat', status: 'forwarded', forwardedTo: leader.id }, { secrecy: 'mat', status: 'assigned', parts: [{ unitId }] },
      { secrecy: 'thuong', status: 'assigned', parts: [{ userId: staff.id }] }, { secrecy: 'mat', status: 'assigned', parts: [{ userId: other.id }] },
    ];
    const docs: { id: string; subject: IncomingSubject }[] = [];
    for (const s of specs) {
      const row = await db.insertInto('incomingDocument').values({ agencyId, source: 'paper', status: s.status, secrecy: s.secrecy, createdBy: clerk.id, forwardedTo: s.forwardedTo ?? null }).returning('id').executeTakeFirstOrThrow();
      const parts = [];
      for (const p of s.parts ?? []) {
        const a = await db.insertInto('incomingAssignment').values({ incomingId: row.id, role: 'lead', unitId: p.unitId ?? null, userId: p.userId ?? null, assignedBy: leader.id }).returning(['id', 'role', 'userId', 'unitId', 'isActive']).executeTakeFirstOrThrow();
        parts.push(a);
      }
      docs.push({ id: row.id, subject: { agencyId, isSecret: s.secrecy === 'mat', status: s.status, createdBy: clerk.id, registeredBy: null, forwardedTo: s.forwardedTo ?? null, directedBy: null, assignments: parts } });
    }
    for (const a of actors) {
      const listed = (await db.selectFrom('incomingDocument').select('id').where(incomingVisibleTo(a)).execute()).map((r) => r.id).sort();
      const delegatorIds = a.id === deputy.id ? [leader.id] : [];
      const allowed = docs.filter((d) => can(a, 'incoming.view', { ...d.subject, delegatorIds })).map((d) => d.id).sort();
      expect(listed, `actor ${a.roles.join(',')}`).toEqual(allowed);
    }
  });
});
