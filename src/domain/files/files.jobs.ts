import { z } from 'zod';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { prunePageImageCache } from './page-image-cache.ts';

/** The hourly prune of the page-1 images (page-image-cache.ts): schedules its next run first, so a failed run never stops the series. */
export const pageImagePruneJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'files.page_image_prune',
  payload: z.object({}),
  maxAttempts: 3,
  handle: async ({ deps, logger }) => {
    const next = new Date(Date.now() + 3_600_000);
    await enqueue(deps.db, pageImagePruneJob, {}, { runAt: next, dedupeKey: `files.page_image_prune:${next.toISOString().slice(0, 13)}` });
    const result = await prunePageImageCache({ deps });
    const removed = result.unfinished + result.orphaned + result.outdated + result.unused + result.overBudget;
    if (removed > 0) logger.info(result, 'files: page-1 images pruned');
  },
});

/** The file job types, for the worker's registry. */
export const FILES_JOBS = [pageImagePruneJob] as unknown as JobDefinition[];
