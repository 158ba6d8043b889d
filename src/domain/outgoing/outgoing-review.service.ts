import type { Db } from '../../platform/db/client.ts';
import { audit } from '../../platform/audit/audit.ts';
import { directoryRepo, outgoingRepo, type OutgoingRow } from './outgoing.repository.ts';
import { outgoingBadUnit, outgoingBadUser, outgoingNoFile, outgoingNoSigner, outgoingNotFound } from './outgoing.errors.ts';
import type { TChainStep, TReviewBody } from './outgoing.schemas.ts';
import { EDITABLE_STATUSES } from './outgoing.status.ts';
import { auditActor, guard, lockDocument, type Ctx } from './outgoing.context.ts';
import { assertColleague, assertSecretParticipant, loadVisible } from './outgoing.service.ts';
import { authorize } from '../../policies/index.ts';
import { findUsersByIds, listUnitHeads } from '../users/users.directory.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { FLOW_NOTICES, notifyFlow, withdrawFlowNotices } from './outgoing.notify.ts';

/** The review actions take the deps when the route gives them: the link in a notice's mail. */
type FlowCtx = Ctx & { deps?: Pick<AppDeps, 'config'> };

/** Tells who the document now waits on: its pending reviewer, else the signer (and their deputies today). */
async function notifyNextDesk(tx: Db, c: FlowCtx, doc: OutgoingRow, reviewerId: string | null) {
  const publicUrl = c.deps?.config.publicUrl;
  if (reviewerId) return notifyFlow(tx, { actor: c.actor, doc, kind: FLOW_NOTICES.review, to: [reviewerId], publicUrl });
  return notifyFlow(tx, { actor: c.actor, doc, kind: FLOW_NOTICES.signature, to: 'signer', publicUrl });
}

// An agency that never configured its chain sends drafts to the head of the drafting unit.
const DEFAULT_STEPS: TChainStep[] = [{ kind: 'drafting_unit_head' }];

/** The review steps for a document type: the type's own chain, else the agency's general one, else the default. */
export async function agencySteps(db: Db, agencyId: string, typeCode: string): Promise<TChainStep[]> {
  const row = await outgoingRepo.chainOf(db, agencyId, typeCode);
  return row ? (row.steps as TChainStep[]) : DEFAULT_STEPS;
}

/** The people the agency's steps name for one document, in order: a unit's step names its first active head in the agency's order (the Trưởng phòng before a Phó); a step whose unit has none is skipped. */
async function resolveSteps(db: Db, doc: Pick<OutgoingRow, 'draftingUnitId'>, steps: TChainStep[]): Promise<string[]> {
  const ids: string[] = [];
  for (const step of steps) {
    const unitId = step.kind === 'drafting_unit_head' ? doc.draftingUnitId : step.kind === 'unit_head' ? step.unitId : null;
    const id = step.kind === 'user' ? step.userId : unitId ? (await listUnitHeads(db, [unitId]))[0]?.id : undefined;
    if (id) ids.push(id);
  }
  return ids;
}

/** Drops duplicates, the drafter (no one reviews their own draft) and the signer (who acts at the signing step). */
const cleanChain = (doc: Pick<OutgoingRow, 'createdBy' | 'signerId'>, ids: string[]) => [...new Set(ids)].filter((id) => id !== doc.createdBy && id !== doc.signerId);

/** The review chain for a document: the one given, else the agency's configured steps resolved for it. */
async function chainFor(tx: Db, doc: OutgoingRow, given: string[] | undefined): Promise<string[]> {
  const chain = cleanChain(doc, given ?? await resolveSteps(tx, doc, await agencySteps(tx, doc.agencyId, doc.typeCode)));
  for (const id of chain) {
    await assertColleague(tx, doc.agencyId, id);
    assertSecretParticipant({ ...doc, participantIds: [...doc.participantIds, ...(given ?? [])] }, id);
  }
  return chain;
}

/**
 * Submits a draft for review (trình duyệt) along a chain, or straight to the signer when the chain is
 * empty. Throws outgoing.not_found, outgoing.bad_status, forbidden, outgoing.no_file, outgoing.no_signer, outgoing.bad_user, outgoing.not_participant.
 */
export async function submitForReview(c: FlowCtx & { id: string; reviewerIds?: string[]; comment?: string }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.submit', 'in_review');
    const doc = subject.row;
    if (doc.currentVersion < 1) throw outgoingNoFile();
    if (!doc.signerId) throw outgoingNoSigner();
    await assertColleague(tx, doc.agencyId, doc.signerId);
    const chain = await chainFor(tx, doc, c.reviewerIds);
    const round = doc.reviewRound + 1;
    const steps = [];
    for (const [i, reviewerId] of chain.entries()) steps.push(await outgoingRepo.insertStep(tx, { outgoingId: doc.id, round, seq: i + 1, reviewerId, version: doc.currentVersion }));
    const first = steps[0];
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, {
      status: first ? 'in_review' : 'awaiting_signature', currentStepId: first?.id ?? null, reviewRound: round,
      ...(c.reviewerIds && doc.isSecret && { participantIds: [...new Set([...doc.participantIds, ...chain])] }),
    });
    // the drafter's «trả lại» notice is answered by submitting again
    await withdrawFlowNotices(tx, doc, [FLOW_NOTICES.returned]);
    if (updated) await notifyNextDesk(tx, c, updated, first?.reviewerId ?? null);
    await audit(tx, auditActor(c), { type: 'OUTGOING_SUBMITTED', entityType: 'outgoing', entityId: doc.id, data: { round, reviewerIds: chain, version: doc.currentVersion, comment: c.comment ?? '' } });
    return updated;
  });
}

/**
 * The current reviewer's answer: approve (to the next reviewer, or to the signer after the last),
 * return to the drafter with a comment (optionally pointing at a page), or forward to another reviewer.
 * Throws outgoing.not_found, outgoing.bad_status, forbidden, outgoing.bad_user.
 */
export async function reviewOutgoing(c: FlowCtx & { id: string; body: TReviewBody }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    const b = c.body;
    guard(c.actor, subject, 'outgoing.review', b.action === 'return' ? 'returned' : 'in_review');
    const doc = subject.row;
    const step = doc.currentStepId ? await outgoingRepo.findStep(tx, doc.currentStepId) : undefined;
    if (!step) throw outgoingNotFound();
    // whatever the reviewer answers, their «chờ duyệt» notice is answered
    await withdrawFlowNotices(tx, doc, [FLOW_NOTICES.review]);
    if (b.action === 'approve') {
      await outgoingRepo.actStep(tx, step.id, { status: 'approved', comment: b.comment });
      const next = await outgoingRepo.nextStep(tx, doc.id, step.round, step.seq);
      const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: next ? 'in_review' : 'awaiting_signature', currentStepId: next?.id ?? null });
      if (updated) await notifyNextDesk(tx, c, updated, next?.reviewerId ?? null);
      await audit(tx, auditActor(c), { type: 'OUTGOING_REVIEW_APPROVED', entityType: 'outgoing', entityId: doc.id, data: { stepId: step.id, comment: b.comment, next: next?.reviewerId ?? 'signer' } });
      return updated;
    }
    if (b.action === 'return') {
      await outgoingRepo.actStep(tx, step.id, { status: 'returned', comment: b.comment, page: b.page });
      await outgoingRepo.cancelPendingSteps(tx, doc.id);
      const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'returned', currentStepId: null });
      if (updated) await notifyFlow(tx, { actor: c.actor, doc: updated, kind: FLOW_NOTICES.returned, to: [doc.createdBy], publicUrl: c.deps?.config.publicUrl });
      await audit(tx, auditActor(c), { type: 'OUTGOING_REVIEW_RETURNED', entityType: 'outgoing', entityId: doc.id, data: { stepId: step.id, comment: b.comment, page: b.page } });
      return updated;
    }
    const target = await assertColleague(tx, doc.agencyId, b.toUserId);
    if (!target || target.id === c.actor.id) throw outgoingBadUser({ userId: b.toUserId });
    assertSecretParticipant(doc, target.id);
    await outgoingRepo.actStep(tx, step.id, { status: 'forwarded', comment: b.comment });
    await outgoingRepo.shiftSteps(tx, doc.id, step.round, step.seq);
    const added = await outgoingRepo.insertStep(tx, { outgoingId: doc.id, round: step.round, seq: step.seq + 1, reviewerId: target.id, version: doc.currentVersion });
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { currentStepId: added.id });
    if (updated) await notifyNextDesk(tx, c, updated, target.id);
    await audit(tx, auditActor(c), { type: 'OUTGOING_REVIEW_FORWARDED', entityType: 'outgoing', entityId: doc.id, data: { stepId: step.id, toUserId: target.id, comment: b.comment } });
    return updated;
  });
}

/**
 * The signer (before signing) or the clerk (before issuing) sends the document back to the drafter
 * with a comment. Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function returnToDrafter(c: FlowCtx & { id: string; comment: string; page: number | null }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    const action = subject.status === 'signed' ? 'outgoing.return_signed' : 'outgoing.sign';
    guard(c.actor, subject, action, 'returned');
    authorize(c.actor, action, subject);
    const doc = subject.row;
    const step = await outgoingRepo.insertStep(tx, { outgoingId: doc.id, round: doc.reviewRound, seq: 1000, reviewerId: c.actor.id, version: doc.currentVersion });
    await outgoingRepo.actStep(tx, step.id, { status: 'returned', comment: c.comment, page: c.page });
    // A signed version cannot be edited: the drafter starts a new version from the last draft file.
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'returned', currentStepId: null, approvedAt: null, approvedBy: null, approvalWidget: null });
    // the signer's «chờ ký» or the clerks' «chờ phát hành» can no longer be done
    await withdrawFlowNotices(tx, doc, [FLOW_NOTICES.signature, FLOW_NOTICES.issue]);
    if (updated) await notifyFlow(tx, { actor: c.actor, doc: updated, kind: FLOW_NOTICES.returned, to: [doc.createdBy], publicUrl: c.deps?.config.publicUrl });
    await audit(tx, auditActor(c), { type: 'OUTGOING_RETURNED', entityType: 'outgoing', entityId: doc.id, data: { from: doc.status, comment: c.comment, page: c.page } });
    return updated;
  });
}

/** The agency's review chains, for its administrator: the general one (`steps`) and those of document types with their own. Throws forbidden. */
export async function readReviewChain(c: Ctx) {
  authorize(c.actor, 'outgoing.configure', { agencyId: c.actor.agencyId });
  const rows = await outgoingRepo.listChains(c.db, c.actor.agencyId);
  const general = rows.find((r) => r.typeCode === '');
  return {
    steps: general ? (general.steps as TChainStep[]) : DEFAULT_STEPS,
    byType: rows.filter((r) => r.typeCode !== '').map((r) => ({ typeCode: r.typeCode, steps: r.steps as TChainStep[] })),
  };
}

/** Removes a document type's own chain (the type then follows the general one). Throws forbidden, outgoing.not_found. */
export async function removeTypeChain(c: Ctx & { typeCode: string }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'outgoing.configure', { agencyId: c.actor.agencyId });
    const result = await outgoingRepo.deleteChain(tx, c.actor.agencyId, c.typeCode);
    if (Number(result.numDeletedRows) === 0) throw outgoingNotFound({ typeCode: c.typeCode });
    await audit(tx, auditActor(c), { type: 'OUTGOING_CHAIN_UPDATED', entityType: 'outgoing', entityId: c.actor.agencyId, data: { typeCode: c.typeCode, removed: true } });
    return { typeCode: c.typeCode };
  });
}

/**
 * Sets a review chain (ordered steps): the agency's general one, or a document type's own when
 * `typeCode` is given. Throws forbidden, outgoing.bad_user, outgoing.bad_unit.
 */
export async function saveReviewChain(c: Ctx & { steps: TChainStep[]; typeCode?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'outgoing.configure', { agencyId: c.actor.agencyId });
    for (const step of c.steps) {
      if (step.kind === 'user') await assertColleague(tx, c.actor.agencyId, step.userId);
      if (step.kind === 'unit_head' && (await directoryRepo.findUnit(tx, step.unitId))?.agencyId !== c.actor.agencyId) throw outgoingBadUnit({ unitId: step.unitId });
    }
    await outgoingRepo.saveChain(tx, { agencyId: c.actor.agencyId, typeCode: c.typeCode ?? '', steps: c.steps });
    await audit(tx, auditActor(c), { type: 'OUTGOING_CHAIN_UPDATED', entityType: 'outgoing', entityId: c.actor.agencyId, data: { typeCode: c.typeCode ?? null, steps: c.steps } });
    return { typeCode: c.typeCode ?? null, steps: c.steps };
  });
}

/**
 * The chain a submit would use for this document (the agency's steps resolved for it), with names, so
 * the drafter can adjust it for this document. Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function proposedChain(c: Ctx & { id: string }) {
  const subject = await loadVisible(c);
  guard(c.actor, subject, 'outgoing.submit', EDITABLE_STATUSES);
  const ids = cleanChain(subject.row, await resolveSteps(c.db, subject.row, await agencySteps(c.db, subject.row.agencyId, subject.row.typeCode)));
  const people = new Map((await findUsersByIds(c.db, ids)).map((u) => [u.id, u]));
  return ids.flatMap((id) => {
    const u = people.get(id);
    return u ? [{ id, fullName: u.fullName, position: u.position, unitName: u.unitName }] : [];
  });
}
