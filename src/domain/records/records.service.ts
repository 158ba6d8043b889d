import { audit } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { authorize, can, hasRole } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { recordsRepo, searchWords } from './records.repository.ts';
import { HAND_OVER_NOTICE_KIND, handOverRepo, KEEP_REQUESTED_NOTICE_KIND } from './records-hand-over.repository.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { handOverRecordsFiles } from './records-batch.service.ts';
import {
  recordsDocumentAlreadyFiled, recordsDocumentNotFileable, recordsDocumentNotFound, recordsDocumentNotInFile, recordsDocumentsUnfinished,
  recordsFileDuplicate, recordsFileEmpty, recordsFileNotFound, recordsPlanEntryNotFound,
} from './records.errors.ts';
import { assertFileOpen, assertFileTransition, FINISHED_INCOMING, isFileable } from './records.status.ts';
import { actingUserId, auditActor, isUniqueViolation, type RecordsCtx } from './records.context.ts';
import { fileCan, presentConstruction, presentDocument, presentDocumentChoices, presentFile, presentKeep } from './records.present.ts';
import type { TDocumentRef, TListFilesQuery, TOpenFileBody } from './records.schemas.ts';

/** The files the actor may see: theirs, their unit's or the agency's, by year, status and words (of the file or of a document in it). */
export async function listRecordsFiles(c: RecordsCtx & { query: TListFilesQuery }) {
  return (await recordsRepo.listFiles(c.db, c.actor, c.query)).map(presentFile);
}

/** A file the actor may see, or records.file_not_found (also for another agency's file: no existence leak). */
async function loadVisibleFile(db: Db, actor: Actor, id: string) {
  const file = await recordsRepo.findFile(db, id);
  if (!file || !can(actor, 'records.file.view', file)) throw recordsFileNotFound();
  return file;
}

/** One file with its documents in date order (the mục lục văn bản) and what the actor may do. Throws records.file_not_found. */
export async function getRecordsFile(c: RecordsCtx & { id: string }) {
  const file = await loadVisibleFile(c.db, c.actor, c.id);
  const [documents, keep, history] = await Promise.all([recordsRepo.listDocuments(c.db, c.actor, file.id), handOverRepo.findKeep(c.db, file.id), handOverRepo.keepHistory(c.db, file.id)]);
  const isExtensionPending = history.some((h) => h.status === 'requested' && h.kind === 'extend');
  const can = fileCan(c.actor, { ...file, hasHandOverDue: !!keep.legalDueDate, keepStatus: keep.keepStatus, isExtensionPending });
  return { file: presentFile(file), documents: documents.map((d, i) => presentDocument(d, i + 1)), keep: presentKeep(keep, history), construction: presentConstruction(keep), can };
}

/** Locks a file for a change: FOR UPDATE, then the view rule (else 404). */
export async function lockFile(tx: Db, actor: Actor, id: string) {
  const file = await recordsRepo.findFileForUpdate(tx, id);
  if (!file || !can(actor, 'records.file.view', file)) throw recordsFileNotFound();
  return file;
}

/**
 * Opens a work file for this year, from an entry of the file plan (số/ký hiệu, title, retention and
 * unit come from it) or ad hoc; the actor is its người lập hồ sơ. Throws forbidden,
 * records.plan_entry_not_found, records.file_duplicate.
 */
export async function openRecordsFile(c: RecordsCtx & { body: TOpenFileBody }) {
  return c.db.transaction().execute(async (tx) => {
    const agencyId = c.actor.agencyId;
    authorize(c.actor, 'records.file.create', { agencyId });
    let values = { year: vietnamYear(new Date()), planEntryId: null as string | null, notation: '', title: '', retention: '', unitId: c.actor.unitId };
    if ('planEntryId' in c.body) {
      const entry = await recordsRepo.findPlanEntryForUpdate(tx, c.body.planEntryId);
      if (!entry || entry.agencyId !== agencyId) throw recordsPlanEntryNotFound();
      values = { year: entry.year, planEntryId: entry.id, notation: entry.notation, title: entry.title, retention: entry.retention, unitId: entry.unitId ?? c.actor.unitId };
    } else {
      values = { ...values, notation: c.body.notation, title: c.body.title, retention: c.body.retention };
    }
    if (await recordsRepo.findFileByNotation(tx, agencyId, values.year, values.notation)) throw recordsFileDuplicate({ notation: values.notation, year: values.year });
    const { id } = await recordsRepo.insertFile(tx, { ...values, agencyId, ownerId: c.actor.id, description: c.body.description }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? recordsFileDuplicate({ notation: values.notation, year: values.year }) : error;
    });
    await audit(tx, auditActor(c), { type: 'RECORDS_FILE_OPENED', entityType: 'records_file', entityId: id, agencyId, data: { year: values.year, notation: values.notation, title: values.title, planEntryId: values.planEntryId } });
    return id;
  });
}

/**
 * Files a document (incoming, registered; or outgoing, issued) of the agency in an open file. The same
 * document may sit in several files (Phụ lục VI III.4.e), once in each. Throws records.file_not_found,
 * forbidden, records.read_only, records.bad_status, records.document_not_found,
 * records.document_not_fileable, records.document_already_filed.
 */
export async function addDocumentToFile(c: RecordsCtx & { fileId: string; ref: TDocumentRef }) {
  return changeFileDocuments(c, 'RECORDS_DOCUMENT_ADDED', async (tx, file) => {
    const doc = await recordsRepo.findVisibleDocument(tx, c.actor, c.ref);
    if (!doc || doc.agencyId !== file.agencyId) throw recordsDocumentNotFound();
    if (!isFileable(c.ref.ownerType, doc.status)) throw recordsDocumentNotFileable({ status: doc.status });
    if (!(await recordsRepo.insertDocument(tx, file.id, c.ref, actingUserId(c)))) throw recordsDocumentAlreadyFiled();
  });
}

const CHOICES_LIMIT = 20;

/**
 * From an open file's page: the documents its keeper may put in it, found by words of their trích yếu,
 * số/ký hiệu or sender (every word must appear; none: the latest ones), newest first, at most 20 of each
 * kind. Throws records.file_not_found, records.read_only, records.bad_status, forbidden.
 */
export async function findDocumentsToFile(c: RecordsCtx & { fileId: string; q?: string }) {
  const file = await loadVisibleFile(c.db, c.actor, c.fileId);
  assertFileOpen(file.status);
  authorize(c.actor, 'records.file.edit', file);
  const found = await recordsRepo.searchFileable(c.db, c.actor, { fileId: file.id, agencyId: file.agencyId, words: searchWords(c.q), limit: CHOICES_LIMIT });
  return presentDocumentChoices(found, file.agencyName);
}

/** Takes a document out of an open file (the document itself stays as it is). Throws records.file_not_found, forbidden, records.read_only, records.bad_status, records.document_not_in_file. */
export async function removeDocumentFromFile(c: RecordsCtx & { fileId: string; ref: TDocumentRef }) {
  return changeFileDocuments(c, 'RECORDS_DOCUMENT_REMOVED', async (tx, file) => {
    const removed = await recordsRepo.deleteDocument(tx, file.id, c.ref);
    if (removed.numDeletedRows !== 1n) throw recordsDocumentNotInFile();
  });
}

/** A change to an open file's list of documents, in one transaction: lock, guard, authorize, change, touch, audit. */
async function changeFileDocuments(
  c: RecordsCtx & { fileId: string; ref: TDocumentRef }, type: 'RECORDS_DOCUMENT_ADDED' | 'RECORDS_DOCUMENT_REMOVED',
  change: (tx: Db, file: Awaited<ReturnType<typeof lockFile>>) => Promise<void>,
) {
  return c.db.transaction().execute(async (tx) => {
    const file = await lockFile(tx, c.actor, c.fileId);
    assertFileOpen(file.status);
    authorize(c.actor, 'records.file.edit', file);
    await change(tx, file);
    await recordsRepo.touchFile(tx, file.id);
    await audit(tx, auditActor(c), { type, entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { ...c.ref } });
  });
}

/**
 * Closes (kết thúc) a file when its work is done: start and end dates (first and last document), number
 * of documents and pages are computed and kept. Every incoming document in it must be finished.
 * Throws records.file_not_found, records.read_only, records.bad_status, forbidden, records.file_empty,
 * records.documents_unfinished (with how many).
 */
export async function closeRecordsFile(c: RecordsCtx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const file = await lockFile(tx, c.actor, c.id);
    assertFileTransition(file.status, 'closed');
    authorize(c.actor, 'records.file.close', file);
    const s = await recordsRepo.summarize(tx, file.id, FINISHED_INCOMING);
    if (s.docTotal === 0) throw recordsFileEmpty();
    if (s.unfinished > 0) throw recordsDocumentsUnfinished({ count: s.unfinished });
    const values = { status: 'closed', startDate: s.startDate, endDate: s.endDate, docTotal: s.docTotal, pageTotal: s.pageTotal, closedAt: new Date(), closedBy: actingUserId(c), handOverNotifiedAt: null };
    if (!(await recordsRepo.updateFile(tx, file.id, 'open', values))) throw recordsFileNotFound();
    await audit(tx, auditActor(c), { type: 'RECORDS_FILE_CLOSED', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { docTotal: s.docTotal, pageTotal: s.pageTotal, startDate: s.startDate, endDate: s.endDate } });
  });
}

/**
 * Opens a closed (not yet handed-over) file again, e.g. to add a document forgotten. A keep-back asked or agreed
 * goes with it (closing again starts afresh). Throws records.file_not_found, records.read_only, records.bad_status, forbidden.
 */
export async function reopenRecordsFile(c: RecordsCtx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const file = await lockFile(tx, c.actor, c.id);
    assertFileTransition(file.status, 'open');
    authorize(c.actor, 'records.file.reopen', file);
    if (!(await recordsRepo.updateFile(tx, file.id, 'closed', { status: 'open', closedAt: null, closedBy: null, ...NO_KEEP }))) throw recordsFileNotFound();
    await withdrawNotices(tx, { recordsFileId: file.id }, [HAND_OVER_NOTICE_KIND, KEEP_REQUESTED_NOTICE_KIND]);
    await handOverRepo.clearKeeps(tx, file.id);
    await audit(tx, auditActor(c), { type: 'RECORDS_FILE_REOPENED', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId });
  });
}

/** A file with no keep-back asked (ND 30 Art. 31.3.d). */
const NO_KEEP = { keepStatus: null, keepUntil: null, keepReason: null, keepRequestedBy: null, keepRequestedAt: null, keepDecidedBy: null, keepDecidedAt: null, keepNote: null };

/**
 * Hands a closed file over to the agency archive (nộp lưu vào Lưu trữ cơ quan, ND 30 Art. 30), as a batch of one
 * (handOverRecordsFiles): from then on nobody changes the file or its list of documents, and the archive keeps its
 * signed PDFs verifiable for the retention period (docs/archive.md). Returns the batch id. Throws
 * records.file_not_found, records.read_only, records.bad_status, forbidden.
 */
export const handOverRecordsFile = (c: RecordsCtx & { id: string }) => handOverRecordsFiles({ ...c, fileIds: [c.id] });

/**
 * For a document's page: the files holding it that the actor may see, and the open files the actor may
 * file it in (their own; a clerk's: every open file of the agency). Throws records.document_not_found.
 */
export async function filesForDocument(c: RecordsCtx & { ref: TDocumentRef }) {
  const doc = await recordsRepo.findVisibleDocument(c.db, c.actor, c.ref);
  if (!doc) throw recordsDocumentNotFound();
  const [files, open] = await Promise.all([recordsRepo.filesOfDocument(c.db, c.actor, c.ref), recordsRepo.openFilesFor(c.db, c.actor, hasRole(c.actor, 'clerk'))]);
  const filedIds = new Set(files.map((f) => f.id));
  return { files, isFileable: isFileable(c.ref.ownerType, doc.status), openFiles: open.filter((f) => !filedIds.has(f.id)) };
}

/** The agency's work files of a year for the records report (thống kê hồ sơ), with their hand-over state; only those `visibleTo` may open when given. */
export const listFilesOfYear = (db: Db, q: Parameters<typeof recordsRepo.filesOfYear>[1]) => recordsRepo.filesOfYear(db, q);

/** Open files' documents and pages as closing will count them (recordsRepo.summarize), in one query per 1000 files; a file with none is absent. */
export const openFilesTotals = (db: Db, fileIds: readonly string[]) => recordsRepo.totalsOf(db, fileIds);
