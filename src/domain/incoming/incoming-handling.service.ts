import type { Db } from '../../platform/db/client.ts';
import { authorize } from '../../policies/index.ts';
import { attachFile, listFiles, type StoredUpload } from '../files/files.service.ts';
import type { IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { incomingAssignmentNotFound, incomingInSettledFile, incomingNotFound, incomingResponseMissing } from './incoming.errors.ts';
import { assertActionAllowed, SENDER_STATUS } from './incoming.status.ts';
import { ASKING_NOTICES, documentLabel, notifyUsers } from './incoming.notify.ts';
import { sendBack } from './incoming.service.ts';
import { auditIncoming, loadDocument, moveTo, type AssignmentRow, type ServiceCtx } from './incoming.shared.ts';
import type { TProgressBody } from './incoming.schemas.ts';

/**
 * Attaches an uploaded result file (already stored) to a document the actor handles, for a later
 * progress note. Throws incoming.not_found, incoming.assignment_not_found, forbidden, incoming.bad_status.
 */
export async function attachResultFile(c: ServiceCtx & { id: string; assignmentId: string; upload: StoredUpload }) {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject, assignments } = await loadDocument(tx, c.actor, c.id);
    const assignment = activeAssignment(assignments, c.assignmentId);
    authorize(c.actor, 'incoming.handle', { doc: subject, assignment });
    assertActionAllowed(doc.status, 'attachResult');
    return attachFile(tx, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: 'result', upload: c.upload, createdBy: c.actor.id });
  });
}

function activeAssignment(assignments: readonly AssignmentRow[], id: string): AssignmentRow {
  const found = assignments.find((a) => a.id === id && a.isActive);
  if (!found) throw incomingAssignmentNotFound();
  return found;
}

/**
 * A handler records progress or a comment on their part, attaches a result file or links the outgoing
 * reply (which then answers this document: ResponseFor), and may mark their part done. The first
 * progress moves the document to "in progress" and answers 05 to an electronic sender.
 * Throws incoming.not_found, incoming.assignment_not_found, forbidden, incoming.bad_status, incoming.response_missing.
 */
export async function recordProgress(c: ServiceCtx & { id: string; body: TProgressBody }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject, assignments } = await loadDocument(tx, c.actor, c.id);
    const b = c.body;
    const assignment = activeAssignment(assignments, b.assignmentId);
    authorize(c.actor, 'incoming.handle', { doc: subject, assignment });
    assertActionAllowed(doc.status, 'progress');
    if (!b.text && !b.fileId && !b.response && !b.isDone) throw incomingResponseMissing();
    if (b.fileId && !(await listFiles(tx, 'incoming', doc.id)).some((f) => f.id === b.fileId)) throw incomingNotFound({ fileId: b.fileId });
    const kind = b.isDone ? 'done' : b.fileId || b.response ? 'result' : 'progress';
    await workRepo.insertProgress(tx, {
      incomingId: doc.id, assignmentId: assignment.id, authorId: c.actor.id, kind, text: b.text, fileId: b.fileId ?? null,
      responseOutgoingId: b.response?.outgoingId ?? null, responseNotation: b.response?.notation ?? null, responseDate: b.response?.date ?? null,
    });
    await workRepo.updateAssignment(tx, assignment.id, b.isDone ? { status: 'done', doneAt: new Date() } : { status: 'in_progress' });
    await rollUpToUnitPart(tx, assignments, assignment, b.isDone);
    // their part done, the handler's own «Được giao xử lý» and deadline reminders are answered (the others' are not)
    if (b.isDone) await withdrawNotices(tx, { incomingId: doc.id, userId: assignment.userId ?? c.actor.id }, ASKING_NOTICES.handling);
    let updated = doc;
    if (doc.status === 'assigned') {
      updated = await moveTo(tx, doc, 'in_progress');
      await sendBack(tx, c, updated, SENDER_STATUS.inProgress);
    }
    await auditIncoming(tx, c, b.isDone ? 'INCOMING_PART_DONE' : 'INCOMING_PROGRESS', doc, { assignmentId: assignment.id, kind, text: b.text, fileId: b.fileId, response: b.response });
    const leads = assignments.filter((a) => a.role === 'lead' && a.isActive && a.userId !== c.actor.id).map((a) => a.userId);
    await notifyUsers(tx, { doc: updated, userIds: [...leads, doc.directedBy === c.actor.id ? null : doc.directedBy], kind: 'progress', message: `${c.actor.fullName} ${b.isDone ? 'đã hoàn thành phần việc' : 'cập nhật tiến độ'}: ${documentLabel(updated)}` });
    return updated;
  });
}

/**
 * The lead (or the directing leader) closes the document as done (answers 06 to an electronic sender).
 * Throws incoming.not_found, forbidden, incoming.bad_status.
 */
export async function closeIncoming(c: ServiceCtx & { id: string; note: string }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject, assignments } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.close', subject);
    const updated = await moveTo(tx, doc, 'done', { closedAt: new Date(), closedBy: c.actor.id });
    await workRepo.insertProgress(tx, { incomingId: doc.id, authorId: c.actor.id, kind: 'closed', text: c.note });
    await auditIncoming(tx, c, 'INCOMING_CLOSED', updated, { note: c.note });
    await sendBack(tx, c, updated, SENDER_STATUS.done);
    await withdrawNotices(tx, { incomingId: doc.id }, ASKING_NOTICES.handling);
    await notifyUsers(tx, { doc: updated, userIds: participantsExcept(assignments, doc, c.actor.id), kind: 'closed', message: `Văn bản đã giải quyết xong: ${documentLabel(updated)}` });
    return updated;
  });
}

/**
 * Reopens a done document with a reason (back to "in progress", answered 05 to an electronic sender).
 * A document in a work file that was closed or handed over to the archive stays as filed: the file is
 * reopened first (a handed-over one never is). Throws incoming.not_found, forbidden, incoming.bad_status,
 * incoming.in_closed_file.
 */
export async function reopenIncoming(c: ServiceCtx & { id: string; reason: string }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject, assignments } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.reopen', subject);
    const file = await workRepo.settledFileHolding(tx, doc.id);
    if (file) {
      throw incomingInSettledFile({ file: file.notation }, { message: file.status === 'handed_over'
        ? `Văn bản thuộc hồ sơ ${file.notation} "${file.title}" đã nộp lưu vào Lưu trữ cơ quan nên không mở lại được.`
        : `Văn bản thuộc hồ sơ ${file.notation} "${file.title}" đã kết thúc. Hãy mở lại hồ sơ trước khi mở lại văn bản.` });
    }
    const updated = await moveTo(tx, doc, 'in_progress', { closedAt: null, closedBy: null });
    await workRepo.insertProgress(tx, { incomingId: doc.id, authorId: c.actor.id, kind: 'reopened', text: c.reason });
    await auditIncoming(tx, c, 'INCOMING_REOPENED', updated, { reason: c.reason });
    await sendBack(tx, c, updated, SENDER_STATUS.inProgress, `Mở lại: ${c.reason}`);
    await notifyUsers(tx, { doc: updated, userIds: participantsExcept(assignments, doc, c.actor.id), kind: 'reopened', message: `Văn bản được mở lại (${c.reason}): ${documentLabel(updated)}` });
    return updated;
  });
}

/**
 * A unit's part follows the people the unit head gave it to: in progress as soon as one of them is, done
 * when all of them (for-information excepted) are done.
 */
async function rollUpToUnitPart(tx: Db, assignments: readonly AssignmentRow[], changed: AssignmentRow, isDone: boolean): Promise<void> {
  const parent = assignments.find((a) => a.id === changed.parentId && a.isActive);
  if (!parent || parent.status === 'done') return;
  const children = assignments.filter((a) => a.parentId === parent.id && a.isActive && a.role !== 'info');
  const isAllDone = children.every((a) => (a.id === changed.id ? isDone : a.status === 'done'));
  if (isAllDone) await workRepo.updateAssignment(tx, parent.id, { status: 'done', doneAt: new Date() });
  else if (parent.status === 'pending') await workRepo.updateAssignment(tx, parent.id, { status: 'in_progress' });
}

const participantsExcept = (assignments: readonly AssignmentRow[], doc: IncomingDoc, actorId: string) =>
  [...assignments.filter((a) => a.isActive && a.role !== 'info').map((a) => a.userId), doc.directedBy].filter((id) => id !== actorId);
