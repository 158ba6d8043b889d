import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { defineJob, enqueue, enqueueMany, type JobDefinition, type JobRequest } from '../../platform/jobs/jobs.ts';
import { searchRepo } from './search.repository.ts';

/** At most this many entries in a sweep's `scope`. */
export const MAX_BACKFILL_SCOPE = 100;
/** How many documents one step queues. */
export const BACKFILL_BATCH = 20;
/** The text jobs of a step are spaced this far apart, so that the queue's other jobs (the exchange's) run between them. */
export const BACKFILL_SPACING_MS = 2_000;
/** While the text queue holds jobs (live documents, or the last step's not yet read), a step waits this long. */
export const BACKFILL_WAIT_MS = 60_000;

/**
 * A sweep over the documents stored before their text was read for search: which they are and how each
 * is read. `nextBatch` returns the ids of the next `limit` documents to read after `after`, in id order
 * (marking them queued where the document keeps such a state); none left ends the sweep.
 */
export type BackfillSweep = {
  type: string;
  textJobType: string;
  /** `scope`: what the sweep was started for, as given to its first step (absent for a sweep without one). */
  nextBatch: (tx: Db, after: string | undefined, limit: number, scope?: readonly string[]) => Promise<string[]>;
  requestOf: (id: string, runAt: Date) => JobRequest;
};

const ZStep = z.object({
  after: z.uuid().optional().describe('The last document id looked at (absent: from the start)'),
  waits: z.number().int().min(0).default(0).describe('How many times this step has waited for the text queue'),
  run: z.string().max(64).optional().describe('Which sweep this is, for a sweep started more than once (absent: the one after the upgrade)'),
  scope: z.array(z.string().max(128)).max(MAX_BACKFILL_SCOPE).optional().describe('What this run is about, passed to every step (e.g. the SHA-256 of the certificates taken out of the trust store)'),
});

/**
 * The job that runs a sweep in the background, one batch a step, after an upgrade (its first step is
 * enqueued by migration 2026_12_07_0605): it queues the batch's text jobs — spaced out — and the next step
 * in one transaction, so a restart resumes where it stopped and a step run twice queues nothing twice (the
 * next step's and each text job's dedupe keys); it waits while the text queue is busy, so live documents
 * go first. The sweep passes each document once: one whose text job failed is not queued again.
 */
export function defineBackfillJob(sweep: BackfillSweep): JobDefinition<typeof ZStep> {
  const step: JobDefinition<typeof ZStep> = defineJob({
    type: sweep.type,
    payload: ZStep,
    maxAttempts: 5,
    handle: async ({ db }, p) => db.transaction().execute(async (tx) => {
      // the next step is keyed by this one: run again after a crash, this step queues no second chain
      // (a sweep started again — `run` — has keys of its own: the done steps of an earlier one would stop it)
      const next = (payload: z.infer<typeof ZStep>, runAt: number) =>
        enqueue(tx, step, { ...payload, run: p.run, scope: p.scope }, { runAt: new Date(runAt), dedupeKey: `${sweep.type}:${p.run ? `${p.run}:` : ''}${p.after ?? 'start'}:${p.waits}` });
      if (await searchRepo.hasOpenJobs(tx, sweep.textJobType)) return next({ ...p, waits: p.waits + 1 }, Date.now() + BACKFILL_WAIT_MS);
      const ids = await sweep.nextBatch(tx, p.after, BACKFILL_BATCH, p.scope);
      const last = ids.at(-1);
      if (!last) return; // every document looked at: the sweep is over
      const now = Date.now();
      await enqueueMany(tx, ids.map((id, i) => sweep.requestOf(id, new Date(now + i * BACKFILL_SPACING_MS))));
      await next({ after: last, waits: 0 }, now + ids.length * BACKFILL_SPACING_MS);
    }),
  });
  return step;
}
