import type { AppDeps } from '../../platform/deps.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { attachFile, inspectPdf, type StoredUpload } from '../files/files.service.ts';
import { incomingRepo, type IncomingDoc } from './incoming.repository.ts';
import { incomingUploadEmpty, incomingUploadMixed } from './incoming.errors.ts';
import { combineImagesToPdf, isOcrAvailable } from './incoming.ocr.ts';
import { ocrJob } from './incoming.jobs.ts';
import { auditIncoming, type ServiceCtx } from './incoming.shared.ts';

const IMAGE_EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/tiff': 'tif' };

/** Throws forbidden unless the actor may receive paper documents for their agency (checked before storing). */
export function assertCanReceive(actor: Actor): void {
  authorize(actor, 'incoming.receive', { agencyId: actor.agencyId });
}

/**
 * Receives a paper document from its scan, after the uploads are stored (storeUpload): one PDF, or
 * JPEG/PNG/TIFF page images combined into one PDF with img2pdf. Checks the PDF (not a PDF, encrypted,
 * corrupt → a clear error; the stored originals stay in the blob store and are named in the error's
 * details), records the document in the clerk's inbox with its original files untouched, and enqueues
 * OCR (or records that OCR is unavailable on this server).
 * Throws forbidden, incoming.upload_missing, incoming.upload_mixed, files.not_pdf, files.pdf_encrypted,
 * files.pdf_corrupt, incoming.image_convert_failed, incoming.image_convert_unavailable.
 */
export async function receivePaperScan(c: ServiceCtx & { deps: AppDeps; uploads: readonly StoredUpload[] }): Promise<IncomingDoc> {
  assertCanReceive(c.actor);
  if (c.uploads.length === 0) throw incomingUploadEmpty();
  const images = c.uploads.filter((u) => IMAGE_EXT[u.contentType]);
  if (images.length > 0 && images.length !== c.uploads.length) throw incomingUploadMixed();
  if (images.length === 0 && c.uploads.length > 1) throw incomingUploadMixed();
  const stored = { storedSha256: c.uploads.map((u) => u.sha256) };
  const scan = await withStoredDetails(stored, () => scanPdfOf(c.deps, c.uploads, images.length > 0));
  const facts = await withStoredDetails(stored, async () => inspectPdf(await c.deps.blobs.get(scan.sha256)));
  const hasOcr = await isOcrAvailable();
  return c.db.transaction().execute(async (tx) => {
    const doc = await incomingRepo.insert(tx, {
      agencyId: c.actor.agencyId, source: 'paper', status: 'received', pageCount: facts.pageCount, createdBy: c.actor.id,
      ocrStatus: hasOcr ? 'pending' : 'unavailable', ocrError: hasOcr ? null : 'Máy chủ chưa cài ocrmypdf: văn bản vẫn được tiếp nhận nhưng không nhận dạng chữ.',
    });
    if (images.length > 0) {
      for (const img of images) await attachFile(tx, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: 'source', upload: img, createdBy: c.actor.id });
    }
    const scanFile = await attachFile(tx, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: 'scan', upload: scan, pageCount: facts.pageCount, createdBy: c.actor.id });
    await auditIncoming(tx, c, 'INCOMING_RECEIVED', doc, { source: 'paper', files: c.uploads.map((u) => u.fileName), pageCount: facts.pageCount });
    if (hasOcr) await enqueue(tx, ocrJob, { incomingId: doc.id, fileId: scanFile.id }, { dedupeKey: `incoming.ocr:${doc.id}` });
    return doc;
  });
}

/** The scan as one PDF: the uploaded PDF itself, or the page images combined (stored as a new blob). */
async function scanPdfOf(deps: AppDeps, uploads: readonly StoredUpload[], isImages: boolean): Promise<StoredUpload> {
  const first = uploads[0];
  if (!first) throw incomingUploadEmpty();
  if (!isImages) return first;
  const pages = await Promise.all(uploads.map(async (u) => ({ bytes: await deps.blobs.get(u.sha256), ext: IMAGE_EXT[u.contentType] ?? 'bin' })));
  const pdf = await combineImagesToPdf(pages);
  const { sha256, size } = await deps.blobs.put(pdf);
  await recordBlob(deps.db, { sha256, size, contentType: 'application/pdf' });
  const base = first.fileName.replace(/\.[^.]+$/, '');
  return { sha256, size, contentType: 'application/pdf', fileName: `${base || 'ban-quet'}.pdf` };
}

// The originals are stored whatever happens next; a processing error names them so nothing is lost.
async function withStoredDetails<T>(stored: { storedSha256: string[] }, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error)) throw error;
    const details = typeof error.details === 'object' && error.details !== null ? { ...error.details, ...stored } : stored;
    throw new AppError(error.code, error.status, error.message, details, { cause: error });
  }
}
