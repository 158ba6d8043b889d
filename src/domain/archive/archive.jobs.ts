import { z } from 'zod';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Db } from '../../platform/db/client.ts';

/** The next 02:00 in Vietnam (19:00 UTC, no daylight saving) after `now`: the daily pass runs at night. */
export function nextNightlyPassAt(now: Date = new Date()): Date {
  const at = new Date(now);
  at.setUTCHours(19, 0, 0, 0);
  return at > now ? at : new Date(at.getTime() + 86_400_000);
}

/** Schedules a pass at `runAt` (one per minute slot, so retries of many files share one pass). */
export async function schedulePass(tx: Db, runAt: Date, why: 'nightly' | 'retry' | 'more' | 'manual'): Promise<void> {
  const slot = Math.floor(runAt.getTime() / 60_000);
  await enqueue(tx, archiveRenewJob, {}, { runAt, dedupeKey: `archive.renew:${why}:${slot}` });
}

/** After a pass: a pass at the earliest retry time of the files that failed, and one at once if the batch limit was hit. */
export async function scheduleFollowUps(db: Db, report: { earliestRetryAt: string | null; hasMore: boolean }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (report.earliestRetryAt) await schedulePass(tx, new Date(report.earliestRetryAt), 'retry');
    if (report.hasMore) await schedulePass(tx, new Date(), 'more');
  });
}

/**
 * The archive pass (see runArchivePass). It schedules the next nightly pass first (its own commit, so
 * a crash mid-pass cannot stop the chain), then runs; files that failed get a pass at their retry time,
 * and a pass that hit its batch limit continues at once.
 */
export const archiveRenewJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'archive.renew',
  payload: z.object({}),
  maxAttempts: 3,
  handle: async ({ deps, db, logger }) => {
    await db.transaction().execute((tx) => schedulePass(tx, nextNightlyPassAt(), 'nightly'));
    const { runArchivePass } = await import('./archive.service.ts');
    const report = await runArchivePass(deps);
    await scheduleFollowUps(db, report);
    logger.info({ discovered: report.discovered, checked: report.checked, renewed: report.renewed, failed: report.failed, skipped: report.skipped }, 'archive: pass done');
  },
});

export const ARCHIVE_JOBS = [archiveRenewJob] as unknown as JobDefinition[];
