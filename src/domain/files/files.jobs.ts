import { z } from 'zod';
import { isAppError } from '../../platform/errors.ts';
import { defineJob, enqueue, jobRequest, type JobDefinition, type JobRequest } from '../../platform/jobs/jobs.ts';
import { prunePageImageCache } from './page-image-cache.ts';
import { PAGE_IMAGE, pageImage, RENDER_VERSION } from './page-image.ts';

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

const ZPageImagePayload = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * Page 1's image of a stored PDF, rendered ahead of its first viewer (pageImage, the same cache as the file
 * routes). Off any user's path, so its time limit is PAGE_IMAGE.aheadTimeoutMs. A PDF poppler refuses gets its
 * mark and a render killed at the limit none (as on a request); neither is retried here — the viewer asks
 * again on its own and waits for pdf.js if there is no image.
 */
export const pageImageJob: JobDefinition<typeof ZPageImagePayload> = defineJob({
  type: 'files.page_image',
  payload: ZPageImagePayload,
  maxAttempts: 3,
  handle: async ({ deps, logger }, { sha256 }) => {
    try {
      await pageImage(deps, { sha256, contentType: 'application/pdf' }, { timeoutMs: PAGE_IMAGE.aheadTimeoutMs });
    } catch (error) {
      if (!isAppError(error, 'files.preview_failed') && !isAppError(error, 'files.preview_unavailable')) throw error;
      logger.info({ sha256, code: error.code }, 'files.page_image: no image ahead of the viewer');
    }
  },
});

/** What a stored file is, as far as the viewer cares. */
type StoredFile = { ownerType: string; kind: string; note?: string | null; contentType: string; sha256: string };

/**
 * Whether the viewer opens the file by itself: an outgoing document's version is read from its issued PDF,
 * else its signed (approved) one, else its draft's main file (displayFile in web/src/features/outgoing/outgoing-api.ts).
 * Not an appendix, a DOCX source or an incoming document's files (opened in the browser's own tab, not the
 * viewer): those are rendered when someone asks for their image.
 */
export const opensInViewer = (f: StoredFile): boolean =>
  f.ownerType === 'outgoing' && f.contentType === 'application/pdf'
  && (f.kind === 'main' || (f.kind === 'signed' && (f.note === 'approved' || f.note === 'issued')));

/** The render-ahead jobs of newly stored files (one per content and render version), to enqueue in the transaction that stores them. */
export const pageImageJobsFor = (files: readonly StoredFile[]): JobRequest[] =>
  [...new Set(files.filter(opensInViewer).map((f) => f.sha256))]
    .map((sha256) => jobRequest(pageImageJob, { sha256 }, { dedupeKey: `files.page_image:${sha256}-${RENDER_VERSION}` }));

/** The file job types, for the worker's registry. */
export const FILES_JOBS = [pageImagePruneJob, pageImageJob] as unknown as JobDefinition[];
