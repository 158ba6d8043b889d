/**
 * The outgoing-document flow (văn bản đi). This file holds drafting, review and reading; the other
 * actions live next to it: outgoing-files.service.ts (versions), outgoing-signing.service.ts
 * (approval signature, batch, external signing, delegation), outgoing-issue.service.ts (number,
 * seal, dispatch), outgoing-recall.service.ts (recall, replacement), outgoing-register.service.ts.
 *
 * PUBLIC CONTRACT for the incoming flow: `recordRecipientStatus(tx, {...})` below — stable signature.
 */
import type { Db } from '../../platform/db/client.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { authorize, can, policiesFor } from '../../policies/index.ts';
import { OUTGOING_ACTIONS } from '../../policies/outgoing.ts';
import { accessHistoryCan, accessHistorySubject } from '../../policies/access.ts';
import { documentType, SECRECY_LEVELS } from '../registers/document-types.ts';
import { directoryRepo, outgoingRepo, type ListOutgoingQuery, type OutgoingRow } from './outgoing.repository.ts';
import {
  outgoingBadRecipient, outgoingBadType, outgoingBadUser, outgoingBoxNotAllowed, outgoingNotFound, outgoingNotParticipant, outgoingNotReplaceable, outgoingRecipientNotFound, outgoingSecrecyRefused,
} from './outgoing.errors.ts';
import { EDITABLE_STATUSES, isAboutUpdate, type RecipientStatusCode } from './outgoing.status.ts';
import type { TCreateDraftBody, TRecipientInput, TUpdateDraftBody } from './outgoing.schemas.ts';
import { outgoingWorkBoxesOf } from './outgoing.boxes.ts';
import { auditActor, guard, lockDocument, subjectOf, type Ctx } from './outgoing.context.ts';
import { findUsersByIds } from '../users/users.directory.ts';

/** Refuses Tối mật / Tuyệt mật with the legal reason. Throws outgoing.secrecy_refused. */
export function assertSecrecyAllowed(secrecy: string): void {
  const level = SECRECY_LEVELS.find((s) => s.code === secrecy);
  if (!level || !level.isAllowed) throw outgoingSecrecyRefused({ secrecy });
}

async function assertColleague(db: Db, agencyId: string, userId: string | null | undefined) {
  if (!userId) return undefined;
  const [user] = await findUsersByIds(db, [userId]);
  if (!user || user.agencyId !== agencyId || !user.isActive) throw outgoingBadUser({ userId });
  return user;
}

/** Resolves recipients to rows: units of this agency, agencies on this install, external agencies by code. Throws outgoing.bad_recipient. */
export async function resolveRecipients(db: Db, agencyId: string, inputs: TRecipientInput[]) {
  const rows: { kind: string; unitId: string | null; agencyId: string | null; agencyCode: string | null; name: string }[] = [];
  for (const r of inputs) {
    if (r.kind === 'unit') {
      const unit = await directoryRepo.findUnit(db, r.unitId);
      if (!unit || unit.agencyId !== agencyId) throw outgoingBadRecipient({ unitId: r.unitId });
      rows.push({ kind: 'unit', unitId: unit.id, agencyId: null, agencyCode: null, name: unit.name });
    } else if (r.kind === 'agency') {
      const agency = await directoryRepo.findAgency(db, r.agencyId);
      if (!agency || agency.id === agencyId) throw outgoingBadRecipient({ agencyId: r.agencyId });
      rows.push({ kind: 'agency', unitId: null, agencyId: agency.id, agencyCode: agency.code, name: agency.name });
    } else {
      // An external code that belongs to an agency on this install is delivered internally.
      const local = await directoryRepo.findAgencyByCode(db, r.agencyCode);
      if (local && local.id !== agencyId) rows.push({ kind: 'agency', unitId: null, agencyId: local.id, agencyCode: local.code, name: local.name });
      else if (local) throw outgoingBadRecipient({ agencyCode: r.agencyCode });
      else {
        const listed = await directoryRepo.findDirectoryAgency(db, r.agencyCode);
        const name = r.name || listed?.name;
        if (!name) throw outgoingBadRecipient({ agencyCode: r.agencyCode }, { message: `Mã định danh ${r.agencyCode} không có trong danh bạ liên thông; hãy nhập tên cơ quan.` });
        rows.push({ kind: 'external', unitId: null, agencyId: null, agencyCode: r.agencyCode, name });
      }
    }
  }
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.kind}:${r.unitId ?? r.agencyId ?? r.agencyCode}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

async function checkDraftFields(db: Db, agencyId: string, b: { typeCode?: string; secrecy?: string; signerId?: string | null; participantIds?: string[] }) {
  if (b.typeCode !== undefined && !documentType(b.typeCode)) throw outgoingBadType();
  if (b.secrecy !== undefined) assertSecrecyAllowed(b.secrecy);
  await assertColleague(db, agencyId, b.signerId);
  for (const id of b.participantIds ?? []) await assertColleague(db, agencyId, id);
}

/**
 * Creates a draft with its metadata and recipients (files come with uploadVersion).
 * Throws forbidden, outgoing.bad_type, outgoing.secrecy_refused, outgoing.bad_user, outgoing.bad_recipient, outgoing.not_found (replacesId).
 */
export async function createDraft(c: Ctx & { body: TCreateDraftBody }) {
  const { actor, body } = c;
  return c.db.transaction().execute(async (tx) => {
    authorize(actor, 'outgoing.create', { agencyId: actor.agencyId });
    await checkDraftFields(tx, actor.agencyId, body);
    if (body.replacesId) {
      const old = await outgoingRepo.findById(tx, body.replacesId);
      if (!old || old.agencyId !== actor.agencyId) throw outgoingNotFound({ replacesId: body.replacesId });
      const oldSubject = await subjectOf(tx, old);
      if (!can(actor, 'outgoing.view', oldSubject)) throw outgoingNotFound({ replacesId: body.replacesId });
      if (old.status !== 'issued') throw outgoingNotReplaceable({ status: old.status });
      authorize(actor, 'outgoing.replace', oldSubject);
    }
    const recipients = await resolveRecipients(tx, actor.agencyId, body.recipients);
    const doc = await outgoingRepo.insert(tx, {
      agencyId: actor.agencyId, createdBy: actor.id, draftingUnitId: actor.unitId, typeCode: body.typeCode, subject: body.subject,
      urgency: body.urgency, secrecy: body.secrecy, signerId: body.signerId, signerCompetence: body.signerCompetence, signerPosition: body.signerPosition,
      recipientsText: body.recipientsText, archiveNote: body.archiveNote, copies: body.copies, dueDate: body.dueDate, note: body.note,
      participantIds: [...new Set(body.participantIds)], replacesId: body.replacesId,
    });
    await outgoingRepo.insertRecipients(tx, recipients.map((r) => ({ ...r, outgoingId: doc.id })));
    await audit(tx, auditActor(c), { type: 'OUTGOING_CREATED', entityType: 'outgoing', entityId: doc.id, data: { typeCode: body.typeCode, subject: body.subject, secrecy: body.secrecy, replacesId: body.replacesId } });
    return doc;
  });
}

/** Changes a draft's metadata or recipients. Throws outgoing.not_found, forbidden, outgoing.bad_status and the createDraft checks. */
export async function updateDraft(c: Ctx & { id: string; body: TUpdateDraftBody }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.edit', EDITABLE_STATUSES);
    const { recipients, ...fields } = c.body;
    await checkDraftFields(tx, c.actor.agencyId, fields);
    if (recipients) {
      const rows = await resolveRecipients(tx, c.actor.agencyId, recipients);
      await outgoingRepo.deleteRecipients(tx, c.id);
      await outgoingRepo.insertRecipients(tx, rows.map((r) => ({ ...r, outgoingId: c.id })));
    }
    const updated = await outgoingRepo.update(tx, c.id, subject.status, { ...fields, ...(fields.participantIds && { participantIds: [...new Set(fields.participantIds)] }) });
    if (!updated) throw outgoingNotFound();
    await audit(tx, auditActor(c), { type: 'OUTGOING_UPDATED', entityType: 'outgoing', entityId: c.id, data: { fields: Object.keys(c.body) } });
    return updated;
  });
}

/** Cancels a draft (kept for the record). Throws outgoing.not_found, outgoing.bad_status, forbidden. */
export async function cancelDraft(c: Ctx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.cancel', 'cancelled');
    const updated = await outgoingRepo.update(tx, c.id, subject.status, { status: 'cancelled', currentStepId: null });
    await outgoingRepo.cancelPendingSteps(tx, c.id);
    // a cancelled draft asks nothing of anyone any more (the drafter's «trả lại» notice)
    await withdrawNotices(tx, { outgoingId: c.id });
    await audit(tx, auditActor(c), { type: 'OUTGOING_CANCELLED', entityType: 'outgoing', entityId: c.id });
    return updated;
  });
}

/** A document the actor may see, with its policy subject. Throws outgoing.not_found (also when not allowed: no existence leak). */
export async function loadVisible(c: Ctx & { id: string }) {
  const doc = await outgoingRepo.findById(c.db, c.id);
  if (!doc) throw outgoingNotFound();
  const subject = await subjectOf(c.db, doc);
  if (!can(c.actor, 'outgoing.view', subject)) throw outgoingNotFound();
  return subject;
}

/** The actions the actor may take on a document, and whether its page may show who opened it, for the UI. */
export function actionsFor(c: Ctx, subject: Awaited<ReturnType<typeof subjectOf>>) {
  return { ...policiesFor(c.actor, subject, OUTGOING_ACTIONS), ...accessHistoryCan(c.actor, accessHistorySubject.outgoing(subject)) };
}

/**
 * The work lists: my drafts, waiting for my review, waiting for my signature, to issue, issued, and all (the search
 * page's) — only a list of the actor's roles (OUTGOING_BOX_ROLES). Throws outgoing.box_not_allowed.
 */
export async function listOutgoing(c: Ctx & { query: ListOutgoingQuery }): Promise<OutgoingRow[]> {
  if (!can(c.actor, 'outgoing.list_box', c.query.box)) throw outgoingBoxNotAllowed({ box: c.query.box });
  return outgoingRepo.listVisible(c.db, c.actor, c.query);
}

/**
 * How many documents wait in each of the actor's work lists (those of their roles, outgoingWorkBoxesOf), by the
 * lists' own rules, in one SQL statement: the home page's tiles without the rows. No overdue: an outgoing document's
 * date (dueDate) is the recipients' deadline to answer, not the drafter's or the signer's.
 */
export async function countOutgoingWork(c: Pick<Ctx, 'db' | 'actor'>) {
  return { boxes: await outgoingRepo.countBoxes(c.db, c.actor, outgoingWorkBoxesOf(c.actor)) };
}

/**
 * Records a recipient agency's handling status of an internally sent document (QCVN 102 codes: 01 đã
 * đến, 02 từ chối, 03 đã vào sổ, 04 đã phân công, 05 đang xử lý, 06 hoàn thành; 15/16 answers to a
 * recall), inside the caller's transaction. Called by the incoming flow; STABLE signature.
 * Throws outgoing.recipient_not_found.
 */
export async function recordRecipientStatus(tx: Db, o: { outgoingId: string; recipientAgencyId: string; code: '01' | '02' | '03' | '04' | '05' | '06' | '15' | '16'; at: Date; description?: string }) {
  const recipient = await outgoingRepo.findRecipientForUpdate(tx, o.outgoingId, o.recipientAgencyId);
  if (!recipient) throw outgoingRecipientNotFound({ outgoingId: o.outgoingId, agencyId: o.recipientAgencyId });
  return applyRecipientStatus(tx, recipient, o);
}

// statusCode and recallCode are written back with the new state (flushRecipientStatuses): the full row's values.
type RecipientState = { id: string; outgoingId: string; statusCode: string | null; statusAt: Date | null; recallAt: Date | null; recallCode: string | null };
type RecipientStatus = { code: RecipientStatusCode; at: Date; description?: string; agencyId?: string };

/** Writes one status event of a recipient and its latest state: a batch of one. */
export async function applyRecipientStatus<R extends RecipientState>(tx: Db, recipient: R, o: RecipientStatus): Promise<R> {
  const batch = newRecipientStatusBatch();
  const updated = await applyRecipientStatusInBatch(tx, batch, recipient, o);
  await flushRecipientStatuses(tx, batch);
  return updated;
}

/** Statuses of recipients applied together (a received batch): their events and latest states, written by flushRecipientStatuses. */
export type RecipientStatusBatch = { events: { recipientId: string; code: string; at: Date; description: string }[]; changed: Map<string, RecipientState> };

export const newRecipientStatusBatch = (): RecipientStatusBatch => ({ events: [], changed: new Map() });

/**
 * applyRecipientStatus inside a batch: the event and the recipient's new state are kept for
 * flushRecipientStatuses (one statement each for the whole batch). Returns the recipient's new state,
 * which the next status of the same recipient must be applied to.
 */
export async function applyRecipientStatusInBatch<R extends RecipientState>(tx: Db, batch: RecipientStatusBatch, recipient: R, o: RecipientStatus): Promise<R> {
  batch.events.push({ recipientId: recipient.id, code: o.code, at: o.at, description: o.description ?? '' });
  const change = await isStaleUpdateAnswer(tx, recipient, o) ? undefined : recipientChange(recipient, o);
  const updated = change ? { ...recipient, ...change } : recipient;
  if (change) batch.changed.set(recipient.id, updated);
  await auditRecipientStatus(tx, recipient, o);
  return updated;
}

/** Writes what a batch of recipient statuses changed (the batch is emptied). */
export async function flushRecipientStatuses(tx: Db, batch: RecipientStatusBatch): Promise<void> {
  const [events, changed] = [batch.events.splice(0), [...batch.changed.values()]];
  batch.changed.clear();
  await outgoingRepo.insertRecipientEvents(tx, events);
  await outgoingRepo.updateRecipientStates(tx, changed);
}

/**
 * The recipient's new latest state after a status, or undefined when the status only joins its timeline.
 * Statuses may arrive out of order (exchange retries, concurrent sends): the latest by time wins.
 * edXML timestamps carry whole seconds, so times are compared by the second; in a tie a handling
 * status further along wins (03 → 06 in one second must end at 06, whatever order they arrive in),
 * a recall code goes to the one arriving now; an answer (15/16) to a recall request (13) always
 * replaces the request, whatever the clocks say. (An update's answer on a recalled document never gets here: isStaleUpdateAnswer.)
 */
function recipientChange(recipient: RecipientState, o: RecipientStatus) {
  const isRecall = o.code === '13' || o.code === '15' || o.code === '16';
  const latest = isRecall ? recipient.recallAt : recipient.statusAt;
  const isAnswer = (o.code === '15' || o.code === '16') && recipient.recallCode === '13';
  const [was, now] = [latest ? Math.floor(latest.getTime() / 1000) : 0, Math.floor(o.at.getTime() / 1000)];
  const isNewer = !latest || was < now || (was === now && (isRecall || (recipient.statusCode ?? '') <= o.code));
  if (!isAnswer && !isNewer) return undefined;
  return isRecall ? { recallCode: o.code, recallAt: o.at } : { statusCode: o.code, statusAt: o.at };
}

/**
 * Whether a 15/16 answers an update of a document recalled since. Nothing is asked of a recipient after a recall (an update
 * needs the document issued), so the recall is the request its answer state stands for: an update's answer — the 16 a
 * recipient sends with the recall's 15 in the same second (incoming takeOut), or one given before the recall that comes
 * late — only joins the timeline, whatever order the axis brings them in. Answers that do not say what they answer
 * (another vendor's wording) keep the rules of recipientChange.
 */
async function isStaleUpdateAnswer(tx: Db, recipient: RecipientState, o: RecipientStatus): Promise<boolean> {
  if ((o.code !== '15' && o.code !== '16') || !isAboutUpdate(o.description ?? '')) return false;
  return (await outgoingRepo.findById(tx, recipient.outgoingId))?.status === 'recalled';
}

async function auditRecipientStatus(tx: Db, recipient: RecipientState, o: RecipientStatus): Promise<void> {
  const agencyId = o.agencyId ?? (await outgoingRepo.findById(tx, recipient.outgoingId))?.agencyId ?? null; // the sender's agency (the caller may know it)
  await audit(tx, { ...SYSTEM_ACTOR, agencyId }, {
    type: 'OUTGOING_RECIPIENT_STATUS', entityType: 'outgoing', entityId: recipient.outgoingId, data: { recipientId: recipient.id, code: o.code, at: o.at.toISOString(), description: o.description ?? '' },
  });
}

/** Checks that a Mật document's actor-to-be is one of its explicit participants. Throws outgoing.not_participant. */
export function assertSecretParticipant(doc: { isSecret: boolean; createdBy: string; signerId: string | null; participantIds: readonly string[] }, userId: string): void {
  if (!doc.isSecret) return;
  if (doc.createdBy !== userId && doc.signerId !== userId && !doc.participantIds.includes(userId)) throw outgoingNotParticipant({ userId });
}

export { assertColleague };
