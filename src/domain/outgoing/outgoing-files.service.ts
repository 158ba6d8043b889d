import type { Db } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { audit } from '../../platform/audit/audit.ts';
import { attachFile, convertToPdf, inspectPdf, listFiles, type StoredUpload } from '../files/files.service.ts';
import { fileTypeUnsupported } from '../files/files.errors.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { outgoingNoFile, outgoingNotFound } from './outgoing.errors.ts';
import { EDITABLE_STATUSES } from './outgoing.status.ts';
import { auditActor, guard, lockDocument, type DepsCtx } from './outgoing.context.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const CONVERTIBLE = new Set([DOCX, 'application/msword']);

type ReadyPdf = { upload: StoredUpload; pageCount: number; source?: StoredUpload };

/**
 * Turns a stored upload into a checked PDF: a PDF is inspected; a DOCX/DOC is converted with
 * LibreOffice headless and the result stored as a new blob. Throws files.not_pdf, files.pdf_encrypted,
 * files.pdf_corrupt, files.type_unsupported, files.convert_unavailable, files.convert_failed.
 */
export async function preparePdf(deps: AppDeps, upload: StoredUpload): Promise<ReadyPdf> {
  if (CONVERTIBLE.has(upload.contentType)) {
    const pdf = await convertToPdf(await deps.blobs.get(upload.sha256), upload.fileName);
    const facts = inspectPdf(pdf);
    const stored = await deps.blobs.put(pdf);
    await recordBlob(deps.db, { ...stored, contentType: 'application/pdf' });
    const fileName = upload.fileName.replace(/\.[^.]+$/, '') + '.pdf';
    return { upload: { ...stored, fileName, contentType: 'application/pdf' }, pageCount: facts.pageCount, source: upload };
  }
  if (upload.contentType !== 'application/pdf') throw fileTypeUnsupported({ contentType: upload.contentType }, { message: 'Văn bản chính và phụ lục phải là tệp PDF hoặc DOCX.' });
  const facts = inspectPdf(await deps.blobs.get(upload.sha256));
  return { upload, pageCount: facts.pageCount };
}

/** The files of one version of a document, by kind ('main', 'appendix', 'source', 'signed'). */
export async function versionFiles(db: Db, outgoingId: string, version: number) {
  return (await listFiles(db, 'outgoing', outgoingId)).filter((f) => f.version === version)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The main PDF of the current version (draft, or approved once signed). Throws outgoing.no_file. */
export async function currentMain(db: Db, doc: { id: string; currentVersion: number }) {
  const files = await versionFiles(db, doc.id, doc.currentVersion);
  const main = files.find((f) => f.kind === 'main');
  if (!main) throw outgoingNoFile();
  return { main, appendices: files.filter((f) => f.kind === 'appendix'), files };
}

/**
 * Adds a new version of a draft: a main file (PDF, or DOCX converted to PDF) and/or appendices; what is
 * not re-uploaded is carried over from the previous version, so each version is complete and older
 * ones stay viewable. The uploads are already stored (storeUpload) before this runs.
 * Throws outgoing.not_found, outgoing.bad_status, forbidden, outgoing.no_file and the preparePdf errors.
 */
export async function uploadVersion(c: DepsCtx & { id: string; main?: StoredUpload; appendices: StoredUpload[]; replaceAppendices?: boolean; note?: string }) {
  const main = c.main ? await preparePdf(c.deps, c.main) : undefined;
  const appendices = await Promise.all(c.appendices.map((a) => preparePdf(c.deps, a)));
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.edit', EDITABLE_STATUSES);
    const doc = subject.row;
    const previous = doc.currentVersion > 0 ? await versionFiles(tx, doc.id, doc.currentVersion) : [];
    const version = doc.currentVersion + 1;
    const base = { agencyId: doc.agencyId, ownerType: 'outgoing' as const, ownerId: doc.id, version, createdBy: c.actor.id };
    const prevMain = previous.find((f) => f.kind === 'main');
    if (!main && !prevMain) throw outgoingNoFile();
    if (main) {
      await attachFile(tx, { ...base, kind: 'main', upload: main.upload, pageCount: main.pageCount, note: c.note });
      if (main.source) await attachFile(tx, { ...base, kind: 'source', upload: main.source });
    } else if (prevMain) {
      await attachFile(tx, { ...base, kind: 'main', upload: { ...prevMain, fileName: prevMain.fileName }, pageCount: prevMain.pageCount, note: c.note });
      const prevSource = previous.find((f) => f.kind === 'source');
      if (prevSource) await attachFile(tx, { ...base, kind: 'source', upload: prevSource });
    }
    const carried = c.replaceAppendices ? [] : previous.filter((f) => f.kind === 'appendix').map((f) => ({ upload: f, pageCount: f.pageCount ?? 0 }));
    for (const a of [...carried, ...appendices]) await attachFile(tx, { ...base, kind: 'appendix', upload: a.upload, pageCount: a.pageCount });
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { currentVersion: version });
    if (!updated) throw outgoingNotFound();
    await audit(tx, auditActor(c), { type: 'OUTGOING_FILE_UPLOADED', entityType: 'outgoing', entityId: doc.id, data: {
      version, main: main?.upload.fileName ?? null, converted: !!main?.source, appendices: appendices.map((a) => a.upload.fileName),
    } });
    return updated;
  });
}
