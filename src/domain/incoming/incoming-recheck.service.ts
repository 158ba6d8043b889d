import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { incomingRepo } from './incoming.repository.ts';
import type { TrustChange } from './incoming-recheck.repository.ts';
import { MAX_BACKFILL_SCOPE } from '../search/search-backfill.ts';
import { incomingVerifyNotApplicable } from './incoming.errors.ts';
import { verifyAllSweepJob, verifyJob, verifySweepJob } from './incoming.jobs.ts';
import { auditIncoming, loadDocument, type ServiceCtx } from './incoming.shared.ts';

/**
 * «Kiểm tra lại chữ ký số»: anyone who sees a received document (and so its signature report) has its
 * signatures checked again with the install's trust store as it is now (a root added since). The check is
 * the verify job, queued once: asked again while it waits, nothing more is queued. Returns whether a check
 * was queued by this request. Throws incoming.not_found, incoming.verify_not_applicable (no electronic file to check).
 */
export async function recheckIncomingSignatures(c: ServiceCtx & { id: string }): Promise<{ isQueued: boolean }> {
  return c.db.transaction().execute(async (tx) => {
    const { doc } = await loadDocument(tx, c.actor, c.id);
    if (doc.verifyStatus === 'none') throw incomingVerifyNotApplicable();
    if (doc.verifyStatus === 'pending') return { isQueued: false };
    await incomingRepo.update(tx, doc.id, null, { verifyStatus: 'pending' });
    await auditIncoming(tx, c, 'INCOMING_VERIFY_REQUESTED', doc);
    await enqueue(tx, verifyJob, { incomingId: doc.id });
    return { isQueued: true };
  });
}

/**
 * Starts, in the caller's transaction, the background sweep that checks received documents again after the
 * install's trust store changed: `added` checks those a root can prove (a signature «chưa xác định»), `removed`
 * those whose proof may rest on the certificates taken out (`certs`: their SHA-256, hex). Documents that are
 * unsigned or whose signatures failed for reasons of their own are not checked again.
 */
export async function sweepSignaturesAfterTrustChange(tx: Db, change: TrustChange): Promise<void> {
  const job = change.kind === 'added' ? verifySweepJob : verifyAllSweepJob;
  const run = randomUUID();
  // a bundle of more certificates than a step carries: every trust-bound document is checked again
  const scope = change.kind === 'removed' && change.certs && change.certs.length <= MAX_BACKFILL_SCOPE ? change.certs : undefined;
  await enqueue(tx, job, { run, waits: 0, ...(scope ? { scope: [...scope] } : {}) }, { dedupeKey: `${job.type}:${run}` });
}
