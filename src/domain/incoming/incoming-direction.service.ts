import type { Db } from '../../platform/db/client.ts';
import { authorize } from '../../policies/index.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { hasRole } from '../../policies/actor.ts';
import type { IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { incomingAssigneeInvalid, incomingAssignmentNotFound, incomingDeadlinePast, incomingDelegationInvalid, incomingLeaderInvalid, incomingNotFound } from './incoming.errors.ts';
import { assertActionAllowed, SENDER_STATUS } from './incoming.status.ts';
import { ASKING_NOTICES, documentLabel, notifyUsers } from './incoming.notify.ts';
import { sendBack } from './incoming.service.ts';
import { assertNoPendingRecall, auditIncoming, loadDocument, moveTo, type AssignmentRow, type ServiceCtx } from './incoming.shared.ts';
import type { TAssignee, TDirectIncomingBody, TReassignBody } from './incoming.schemas.ts';
import { findUsersByIds, listUnitHeads } from '../users/users.directory.ts';

/** The active users of one agency among `ids` (who may be forwarded, assigned or delegated to); others are left out. */
const activeColleagues = async (db: Db, agencyId: string, ids: readonly string[]) =>
  (await findUsersByIds(db, ids)).filter((u) => u.isActive && u.agencyId === agencyId);

/**
 * The clerk forwards a registered document to a leader for direction (trình, Art. 23).
 * Throws incoming.not_found, forbidden, incoming.bad_status, incoming.recall_pending, incoming.leader_invalid.
 */
export async function forwardIncoming(c: ServiceCtx & { id: string; leaderId: string; note?: string }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.forward', subject);
    const [leader] = await activeColleagues(tx, doc.agencyId, [c.leaderId]);
    if (!leader || !leader.roles.includes('leader')) throw incomingLeaderInvalid();
    const updated = await moveTo(tx, doc, 'forwarded', { forwardedTo: leader.id, forwardedAt: new Date() });
    await auditIncoming(tx, c, 'INCOMING_FORWARDED', updated, { leaderId: leader.id, leaderName: leader.fullName, note: c.note ?? '' });
    await notifyUsers(tx, { doc: updated, userIds: [leader.id, ...(await workRepo.delegatesOf(tx, leader.id, vietnamDay()))], kind: 'forwarded', message: `Văn bản chờ ý kiến chỉ đạo: ${documentLabel(updated)}` });
    return updated;
  });
}

/**
 * The leader writes the direction (ý kiến chỉ đạo) and assigns one lead (a unit or a person), supporting
 * handlers and for-information recipients with a deadline (Phiếu giải quyết part 1). A new direction
 * replaces the previous assignments. Answers 04 to an electronic sender.
 * A deadline before today's (Vietnam) day is refused — but for the one the document already has, kept on a
 * new direction of an overdue document.
 * Throws incoming.not_found, forbidden, incoming.bad_status, incoming.recall_pending, incoming.assignee_invalid, incoming.deadline_past.
 */
export async function directIncoming(c: ServiceCtx & { id: string; body: TDirectIncomingBody }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.direct', subject);
    const b = c.body;
    assertDeadlineNotPast(b.deadline, [doc.dueDate]);
    const all = [{ ...b.lead, role: 'lead' as const }, ...b.support.map((a) => ({ ...a, role: 'support' as const })), ...b.info.map((a) => ({ ...a, role: 'info' as const }))];
    await assertAssignees(tx, doc.agencyId, all);
    const deadline = b.deadline ?? doc.dueDate;
    const updated = await moveTo(tx, doc, 'assigned', { direction: b.direction, directedBy: c.actor.id, directedAt: new Date(), dueDate: deadline });
    await workRepo.deactivateAssignments(tx, doc.id);
    const rows = await workRepo.insertAssignments(tx, all.map((a) => ({
      incomingId: doc.id, role: a.role, unitId: a.unitId ?? null, userId: a.userId ?? null, assignedBy: c.actor.id, deadline: a.role === 'info' ? null : deadline,
    })));
    await auditIncoming(tx, c, 'INCOMING_DIRECTED', updated, { direction: b.direction, deadline, assignments: rows.map((r) => ({ role: r.role, unitId: r.unitId, userId: r.userId })) });
    await sendBack(tx, c, updated, SENDER_STATUS.assigned);
    // «Văn bản chờ ý kiến chỉ đạo» is answered, for the leader and the deputies told alike
    await withdrawNotices(tx, { incomingId: doc.id }, ASKING_NOTICES.direction);
    const heads = await listUnitHeads(tx, rows.map((r) => r.unitId).filter((u): u is string => !!u));
    await notifyUsers(tx, { doc: updated, userIds: [...rows.map((r) => r.userId), ...heads.map((h) => h.id)], kind: 'assigned', message: `Được giao xử lý văn bản: ${documentLabel(updated)}` });
    return updated;
  });
}

/**
 * A deadline already past (a slip of the month or year) would make the work overdue the moment it is given:
 * refused, unless it is one the document or part already has (`kept`), left as it was.
 */
function assertDeadlineNotPast(deadline: string | null | undefined, kept: readonly (string | null | undefined)[]): void {
  if (deadline && deadline < vietnamDay() && !kept.includes(deadline)) throw incomingDeadlinePast({ deadline, today: vietnamDay() });
}

async function assertAssignees(tx: Db, agencyId: string, list: readonly TAssignee[], unitId?: string): Promise<void> {
  const userIds = list.map((a) => a.userId).filter((u): u is string => !!u);
  const unitIds = list.map((a) => a.unitId).filter((u): u is string => !!u);
  const users = await activeColleagues(tx, agencyId, userIds);
  const units = await workRepo.agencyUnits(tx, agencyId, unitIds);
  const isInUnit = unitId === undefined || users.every((u) => u.unitId === unitId);
  if (users.length !== new Set(userIds).size || units.length !== new Set(unitIds).size || !isInUnit) throw incomingAssigneeInvalid();
}

/**
 * A unit head gives their unit's part to people inside the unit (Phiếu giải quyết part 2): a lead only
 * under the unit's lead part; the deadline never later than the unit's. Passed on to someone to handle
 * it (isPassedOn), the part is theirs: the unit's heads follow it («Đang theo dõi») and their «Được giao
 * xử lý» is answered (passedOnByHeads).
 * A deadline before today is refused as the leader's is (but the unit's own, kept).
 * Throws incoming.not_found, incoming.assignment_not_found, forbidden, incoming.bad_status, incoming.recall_pending, incoming.assignee_invalid, incoming.deadline_past.
 */
export async function reassignInUnit(c: ServiceCtx & { id: string; body: TReassignBody }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject, assignments } = await loadDocument(tx, c.actor, c.id);
    const parent = assignments.find((a) => a.id === c.body.assignmentId && a.isActive);
    if (!parent) throw incomingAssignmentNotFound();
    authorize(c.actor, 'incoming.reassign', { doc: subject, assignment: parent });
    assertActionAllowed(doc.status, 'reassign');
    await assertNoPendingRecall(tx, doc);
    assertDeadlineNotPast(c.body.deadline, [parent.deadline, doc.dueDate]);
    if (c.body.users.some((u) => u.role === 'lead') && parent.role !== 'lead') throw incomingAssigneeInvalid({ reason: 'lead only under the lead part' });
    await assertAssignees(tx, doc.agencyId, c.body.users.map((u) => ({ userId: u.userId })), parent.unitId ?? undefined);
    const deadline = [c.body.deadline, parent.deadline].filter((d): d is string => !!d).sort()[0] ?? null;
    const rows = await workRepo.insertAssignments(tx, c.body.users.map((u) => ({
      incomingId: doc.id, role: u.role, userId: u.userId, parentId: parent.id, assignedBy: c.actor.id, deadline: u.role === 'info' ? null : deadline, note: c.body.note,
    })));
    await auditIncoming(tx, c, 'INCOMING_REASSIGNED', doc, { parentId: parent.id, note: c.body.note, users: c.body.users, deadline });
    if (rows.some((r) => r.role !== 'info' || parent.role === 'info')) await passedOnByHeads(tx, doc.id, parent, assignments);
    await notifyUsers(tx, { doc, userIds: rows.map((r) => r.userId), kind: 'reassigned', message: `Lãnh đạo đơn vị giao xử lý: ${documentLabel(doc)}` });
    return doc;
  });
}

/**
 * A unit's part passed on: the «Được giao xử lý» its heads were told with is answered, for each of them —
 * but for a head who also holds a part of their own to handle on the document, which the same notice told of.
 */
async function passedOnByHeads(tx: Db, incomingId: string, part: AssignmentRow, assignments: readonly AssignmentRow[]): Promise<void> {
  const ownOpenPart = (userId: string) => assignments.some((a) => a.isActive && a.userId === userId && a.role !== 'info' && a.status !== 'done');
  for (const head of await listUnitHeads(tx, part.unitId ? [part.unitId] : [])) {
    if (!ownOpenPart(head.id)) await withdrawNotices(tx, { incomingId, userId: head.id }, ['assigned']);
  }
}

/**
 * A leader delegates their direction of incoming documents to a deputy (another leader) for a date range.
 * Throws forbidden, incoming.delegation_invalid.
 */
export async function delegateDirection(c: ServiceCtx & { deputyId: string; startsOn: string; endsOn: string }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'incoming.delegate', { agencyId: c.actor.agencyId });
    const [deputy] = await activeColleagues(tx, c.actor.agencyId, [c.deputyId]);
    if (!deputy || deputy.id === c.actor.id || !deputy.roles.includes('leader') || c.endsOn < c.startsOn) throw incomingDelegationInvalid();
    const row = await workRepo.insertDelegation(tx, { agencyId: c.actor.agencyId, leaderId: c.actor.id, deputyId: deputy.id, startsOn: c.startsOn, endsOn: c.endsOn });
    await auditIncoming(tx, c, 'INCOMING_DELEGATED', { id: row.id, agencyId: row.agencyId }, { deputyId: deputy.id, startsOn: c.startsOn, endsOn: c.endsOn });
    return row;
  });
}

/** Ends one of the actor's delegations early. Throws forbidden, incoming.not_found. */
export async function revokeDelegation(c: ServiceCtx & { delegationId: string }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'incoming.delegate', { agencyId: c.actor.agencyId });
    const row = await workRepo.revokeDelegation(tx, c.delegationId, c.actor.id);
    if (!row) throw incomingNotFound();
    await auditIncoming(tx, c, 'INCOMING_DELEGATION_REVOKED', { id: row.id, agencyId: row.agencyId }, {});
    return row;
  });
}

/** Delegations the actor gave or received that have not ended. */
export async function listDelegations(c: Pick<ServiceCtx, 'db' | 'actor'>) {
  return hasRole(c.actor, 'leader') ? workRepo.listDelegations(c.db, c.actor.id, vietnamDay()) : [];
}
