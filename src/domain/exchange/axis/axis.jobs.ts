import { z } from 'zod';
import { isAppError } from '../../../platform/errors.ts';
import type { Db } from '../../../platform/db/client.ts';
import { defineJob, enqueue, type JobDefinition } from '../../../platform/jobs/jobs.ts';
import { readStoredBody } from './axis.bodylog.ts';
import { createAxisClient, type AxisCredentials } from './axis.client.ts';
import { axisRepo } from './axis.repository.ts';
import { bodyExpired, pruneBodies } from './axis.retention.ts';

const ZForwardPayload = z.object({ docId: z.uuid().describe('The package to hand to the parent axis') });
const MAX_ATTEMPTS = 10;

/**
 * The job that hands a package to the parent axis (recipients this axis does not serve). Enqueued in
 * the sendEdoc transaction; the handler is bound to the parent's address by `makeAxisJobs`.
 */
export const axisForwardJobSpec = defineJob({
  type: 'axis.forward',
  payload: ZForwardPayload,
  maxAttempts: MAX_ATTEMPTS,
  handle: async () => {
    throw new Error('axis.forward runs only in an axis process with a parent axis (makeAxisJobs)');
  },
});

export type ParentAxis = AxisCredentials;

/** The body retention runs this often when `bodyRetentionDays` is set. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** The periodic body retention (axis.retention.ts); each run schedules the next one first. */
export const axisPruneBodiesJobSpec = defineJob({
  type: 'axis.prune-bodies',
  payload: z.object({}).strict().describe('Nothing: the retention period is the serving axis\'s own'),
  maxAttempts: 3,
  handle: async () => {
    throw new Error('axis.prune-bodies runs only in an axis process with a body retention (makeAxisJobs)');
  },
});

/** Schedules the retention run of the next slot (one per slot, however many axis processes share the database). */
export async function schedulePruneBodies(db: Db, now = Date.now()): Promise<void> {
  const slot = new Date((Math.floor(now / PRUNE_EVERY_MS) + 1) * PRUNE_EVERY_MS);
  await enqueue(db, axisPruneBodiesJobSpec, {}, { runAt: slot, dedupeKey: `axis.prune-bodies:${slot.toISOString()}` });
}

/**
 * The axis's jobs: with a parent, forwarding, retried with the queue's backoff; the parent
 * deduplicates a re-sent package by its bytes (same DocId), so a retry after a crash is harmless. After
 * the last attempt the deliveries are marked failed with the reason (visible in getSentEdocList). With
 * `bodyRetentionDays`, the hourly body retention (axis.retention.ts).
 */
export function makeAxisJobs(options: { parent?: ParentAxis; axisCode: string; bodyRetentionDays?: number }): JobDefinition[] {
  const { parent, bodyRetentionDays } = options;
  const prune = bodyRetentionDays === undefined ? [] : [defineJob({
    ...axisPruneBodiesJobSpec,
    handle: async ({ db, deps }) => {
      await schedulePruneBodies(db); // the next run, whatever this one does
      await pruneBodies({ deps, olderThanDays: bodyRetentionDays });
    },
  }) as unknown as JobDefinition];
  if (!parent) return prune;
  const client = createAxisClient(parent);
  const forward = defineJob({
    ...axisForwardJobSpec,
    handle: async ({ db, deps, attempt, logger }, { docId }) => {
      const pkg = await axisRepo.findPackage(db, docId);
      if (!pkg) return;
      if (await axisRepo.isBodyDropped(db, docId)) {
        // Never the case for a delivery still being forwarded (the retention waits for it); said clearly if it is.
        const expired = bodyExpired(docId);
        await axisRepo.setParentOutcome(db, docId, { status: 'fail', statusDesc: expired.message.slice(0, 500) });
        await axisRepo.addTrace(db, { docId, organId: options.axisCode, event: 'forward_failed', detail: expired.code });
        logger.info({ docId, code: expired.code }, 'axis: not forwarded: its body was dropped by the retention');
        return;
      }
      const bytes = await readStoredBody(deps, pkg.deliveredSha256); // checked against its SHA-256
      try {
        const sent = await client.sendEdoc(bytes, { from: pkg.fromCode, messagetype: pkg.messageType === 'status' ? 'status' : 'edoc' });
        await db.transaction().execute(async (tx) => {
          await axisRepo.setParentOutcome(tx, docId, { status: 'forwarded', statusDesc: '', parentDocId: sent.docId });
          await axisRepo.addTrace(tx, { docId, organId: options.axisCode, event: 'forwarded', detail: `parent DocId ${sent.docId}` });
        });
        logger.info({ docId, parentDocId: sent.docId }, 'axis: forwarded to parent');
      } catch (error) {
        if (attempt < MAX_ATTEMPTS || !isAppError(error)) throw error;
        await axisRepo.setParentOutcome(db, docId, { status: 'fail', statusDesc: error.message.slice(0, 500) });
        await axisRepo.addTrace(db, { docId, organId: options.axisCode, event: 'forward_failed', detail: error.message.slice(0, 500) });
      }
    },
  });
  return [forward as unknown as JobDefinition, ...prune];
}
