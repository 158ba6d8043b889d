import type { Db } from '../../platform/db/client.ts';
import { audit } from '../../platform/audit/audit.ts';
import { directoryRepo, outgoingRepo, type OutgoingRow } from './outgoing.repository.ts';
import { outgoingBadUser, outgoingNoFile, outgoingNoSigner, outgoingNotFound } from './outgoing.errors.ts';
import type { TReviewBody } from './outgoing.schemas.ts';
import { auditActor, guard, lockDocument, type Ctx } from './outgoing.context.ts';
import { assertColleague, assertSecretParticipant } from './outgoing.service.ts';
import { authorize } from '../../policies/index.ts';

/** The review chain for a document: the one given, else the agency's (unit head of the drafting unit, then the configured reviewers). */
async function chainFor(tx: Db, doc: OutgoingRow, given: string[] | undefined): Promise<string[]> {
  let ids = given;
  if (!ids) {
    const config = await outgoingRepo.chainOf(tx, doc.agencyId);
    const head = (config?.useUnitHead ?? true) && doc.draftingUnitId ? await directoryRepo.unitHeadOf(tx, doc.draftingUnitId) : undefined;
    ids = [...(head ? [head.id] : []), ...(config?.reviewerIds ?? [])];
  }
  // The drafter does not review their own draft and the signer acts at the signing step.
  const chain = [...new Set(ids)].filter((id) => id !== doc.createdBy && id !== doc.signerId);
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
export async function submitForReview(c: Ctx & { id: string; reviewerIds?: string[]; comment?: string }) {
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
    await audit(tx, auditActor(c), { type: 'OUTGOING_SUBMITTED', entityType: 'outgoing', entityId: doc.id, data: { round, reviewerIds: chain, version: doc.currentVersion, comment: c.comment ?? '' } });
    return updated;
  });
}

/**
 * The current reviewer's answer: approve (to the next reviewer, or to the signer after the last),
 * return to the drafter with a comment (optionally pointing at a page), or forward to another reviewer.
 * Throws outgoing.not_found, outgoing.bad_status, forbidden, outgoing.bad_user.
 */
export async function reviewOutgoing(c: Ctx & { id: string; body: TReviewBody }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    const b = c.body;
    guard(c.actor, subject, 'outgoing.review', b.action === 'return' ? 'returned' : 'in_review');
    const doc = subject.row;
    const step = doc.currentStepId ? await outgoingRepo.findStep(tx, doc.currentStepId) : undefined;
    if (!step) throw outgoingNotFound();
    if (b.action === 'approve') {
      await outgoingRepo.actStep(tx, step.id, { status: 'approved', comment: b.comment });
      const next = await outgoingRepo.nextStep(tx, doc.id, step.round, step.seq);
      const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: next ? 'in_review' : 'awaiting_signature', currentStepId: next?.id ?? null });
      await audit(tx, auditActor(c), { type: 'OUTGOING_REVIEW_APPROVED', entityType: 'outgoing', entityId: doc.id, data: { stepId: step.id, comment: b.comment, next: next?.reviewerId ?? 'signer' } });
      return updated;
    }
    if (b.action === 'return') {
      await outgoingRepo.actStep(tx, step.id, { status: 'returned', comment: b.comment, page: b.page });
      await outgoingRepo.cancelPendingSteps(tx, doc.id);
      const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'returned', currentStepId: null });
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
    await audit(tx, auditActor(c), { type: 'OUTGOING_REVIEW_FORWARDED', entityType: 'outgoing', entityId: doc.id, data: { stepId: step.id, toUserId: target.id, comment: b.comment } });
    return updated;
  });
}

/**
 * The signer (before signing) or the clerk (before issuing) sends the document back to the drafter
 * with a comment. Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function returnToDrafter(c: Ctx & { id: string; comment: string; page: number | null }) {
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
    await audit(tx, auditActor(c), { type: 'OUTGOING_RETURNED', entityType: 'outgoing', entityId: doc.id, data: { from: doc.status, comment: c.comment, page: c.page } });
    return updated;
  });
}

/** Sets the agency's default review chain. Throws forbidden, outgoing.bad_user. */
export async function saveReviewChain(c: Ctx & { reviewerIds: string[]; useUnitHead: boolean }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'outgoing.configure', { agencyId: c.actor.agencyId });
    for (const id of c.reviewerIds) await assertColleague(tx, c.actor.agencyId, id);
    const row = await outgoingRepo.saveChain(tx, { agencyId: c.actor.agencyId, reviewerIds: c.reviewerIds, useUnitHead: c.useUnitHead });
    await audit(tx, auditActor(c), { type: 'OUTGOING_CHAIN_UPDATED', entityType: 'outgoing', entityId: c.actor.agencyId, data: { reviewerIds: c.reviewerIds, useUnitHead: c.useUnitHead } });
    return row;
  });
}
