import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defineJob, jobRequest, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { defineBackfillJob } from '../search/search-backfill.ts';
import { inspectPdf, listFiles } from '../files/files.service.ts';
import { MAX_TEXT, pageTexts } from '../incoming/incoming.ocr.ts';
import { outgoingRepo } from './outgoing.repository.ts';

/**
 * After the issue: the text of the issued main PDF (pdftotext, no OCR: the document was made on a
 * computer) is stored on the document and indexed with it, so it is found by the words of its body.
 * Without pdftotext, or when the PDF has no text, the document stays found by its trích yếu and số/ký hiệu.
 */
export const contentTextJob = defineJob({
  type: 'outgoing.content_text',
  payload: z.object({ outgoingId: z.uuid() }),
  maxAttempts: 3,
  handle: async ({ deps, db, logger }, p) => {
    const issued = (await listFiles(db, 'outgoing', p.outgoingId)).find((f) => f.kind === 'signed' && f.note === 'issued');
    if (!issued) return;
    const bytes = await deps.blobs.get(issued.sha256);
    const text = await pdfText(bytes, issued.pageCount ?? inspectPdf(bytes).pageCount);
    if (text === null) return logger.warn({ outgoingId: p.outgoingId }, 'outgoing.content_text: pdftotext could not read the issued PDF');
    await db.transaction().execute((tx) => outgoingRepo.setContentText(tx, p.outgoingId, text));
  },
});

/** The text of a PDF's pages (pdftotext), null when it cannot be read. */
async function pdfText(bytes: Uint8Array, pages: number): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-text-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, bytes);
    const texts = await pageTexts(file, pages);
    return texts ? texts.join('\f').normalize('NFC').slice(0, MAX_TEXT) : null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * After the upgrade, the documents issued before their PDF's text was read for search get the job, in the
 * background, a batch at a time (search-backfill.ts). One whose job already ran — read empty, or failed —
 * is not queued again: the job's dedupe key stays taken.
 */
export const contentTextBackfillJob = defineBackfillJob({
  type: 'outgoing.content_text_backfill',
  textJobType: contentTextJob.type,
  nextBatch: outgoingRepo.unreadIssued,
  // the issue's own key (outgoing-issue.service.ts): a document whose job ran is not queued again
  requestOf: (id, runAt) => jobRequest(contentTextJob, { outgoingId: id }, { runAt, dedupeKey: `outgoing.content_text:${id}` }),
});

/** The outgoing flow's job types, for the worker's registry. */
export const OUTGOING_JOBS = [contentTextJob, contentTextBackfillJob] as unknown as JobDefinition[];
