import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { defineJob, enqueue, jobRequest, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { defineBackfillJob } from '../search/search-backfill.ts';
import { attachFile, findFile, inspectPdf, listFiles } from '../files/files.service.ts';
import { incomingRepo, searchTextOf } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { ocrPdf } from './incoming.ocr.ts';
import { verifyStoredIncomingPdf, type IncomingVerifyReport } from './incoming.verify.ts';
import { incomingRecheckRepo } from './incoming-recheck.repository.ts';
import { documentLabel, notifyUsers } from './incoming.notify.ts';
import { nextReminderAt, vietnamDay, vnDay } from '../../platform/dates.ts';
import { findUsersByIds, listUnitHeads } from '../users/users.directory.ts';

const systemFor = (agencyId: string) => ({ ...SYSTEM_ACTOR, agencyId });

/**
 * The text of a document's PDF for search. A paper scan is OCR'd: a searchable copy — PDF/A for a scan
 * without text — (a new file of kind 'ocr'; the scan stays untouched). An electronic document (no
 * `fileId`: its main PDF) is read the same way: a born-digital PDF gives its own text, a scanned one an
 * OCR'd copy too. Only the status, the text and the search text change — never the document's số/ký
 * hiệu or trích yếu. A tool failure is recorded on the document, not retried forever.
 */
export const ocrJob = defineJob({
  type: 'incoming.ocr',
  payload: z.object({ incomingId: z.uuid(), fileId: z.uuid().optional() }),
  maxAttempts: 3,
  handle: async ({ deps, db }, p) => {
    const doc = await incomingRepo.findById(db, p.incomingId);
    const file = p.fileId ? await findFile(db, p.fileId) : mainPdfOf(await listFiles(db, 'incoming', p.incomingId));
    if (!doc || !file || doc.ocrStatus === 'done') return;
    const bytes = await deps.blobs.get(file.sha256);
    const outcome = await ocrPdf(bytes, { pageCount: file.pageCount ?? pageCountOf(bytes) ?? doc.pageCount ?? 1 });
    // the OCR'd PDF is stored (fsynced) before the row that references it commits
    const stored = outcome.kind === 'done' ? await deps.blobs.put(outcome.pdf) : null;
    if (stored) await recordBlob(db, { ...stored, contentType: 'application/pdf' });
    await db.transaction().execute(async (tx) => {
      const current = await incomingRepo.findForUpdate(tx, doc.id);
      if (!current || current.ocrStatus === 'done') return;
      if (outcome.kind === 'done' && stored) {
        const fileName = file.fileName.replace(/\.pdf$/i, '') + '-ocr.pdf';
        await attachFile(tx, { agencyId: current.agencyId, ownerType: 'incoming', ownerId: current.id, kind: 'ocr', upload: { ...stored, fileName, contentType: 'application/pdf' }, pageCount: file.pageCount, createdBy: null });
        const text = outcome.text.normalize('NFC');
        await incomingRepo.update(tx, current.id, null, { ocrStatus: 'done', ocrError: outcome.isPartial ? `Chỉ nhận dạng ${outcome.pagesOcred} trang đầu.` : null, ocrText: text, searchText: searchTextOf({ ...current, ocrText: text }) });
      } else if (outcome.kind === 'has_text') {
        // a born-digital PDF: its own text is what is searched, the file stays the only copy
        const text = outcome.text.normalize('NFC');
        await incomingRepo.update(tx, current.id, null, { ocrStatus: 'done', ocrError: null, ocrText: text, searchText: searchTextOf({ ...current, ocrText: text }) });
      } else {
        await incomingRepo.update(tx, current.id, null, outcome.kind === 'unavailable'
          ? { ocrStatus: 'unavailable', ocrError: 'Máy chủ chưa cài ocrmypdf.' }
          : { ocrStatus: 'failed', ocrError: outcome.kind === 'failed' ? outcome.reason : null });
      }
      await audit(tx, systemFor(current.agencyId), { type: 'INCOMING_OCR_FINISHED', entityType: 'incoming', entityId: current.id, agencyId: current.agencyId, data: { outcome: outcome.kind, ...(outcome.kind === 'done' && { pages: outcome.pagesOcred, chars: outcome.text.length }) } });
    });
  },
});

/** An electronic document's main PDF (the edXML may name a PDF's type only by its file name), whose text is read for search. */
export const mainPdfOf = <F extends { kind: string; contentType: string; fileName: string }>(files: readonly F[]): F | undefined =>
  files.find((f) => f.kind === 'main' && (f.contentType === 'application/pdf' || /\.pdf$/i.test(f.fileName)));

/** A PDF's page count as the file says it (an electronic file's is not recorded); null when it cannot be read. */
function pageCountOf(bytes: Uint8Array): number | null {
  try {
    return inspectPdf(bytes).pageCount;
  } catch {
    return null;
  }
}

const VERIFY_ATTEMPTS = 5;

/**
 * Verifies every signature of an electronic document's PDFs and keeps the report with the document. When its
 * last attempt fails too (a file that cannot be read), the document is marked 'failed' — not left «Đang kiểm
 * tra…» for good — and its page offers «Kiểm tra lại»; a report kept from an earlier check stays.
 */
export const verifyJob = defineJob({
  type: 'incoming.verify',
  payload: z.object({ incomingId: z.uuid() }),
  maxAttempts: VERIFY_ATTEMPTS,
  handle: async ({ deps, db, attempt }, p) => {
    const doc = await incomingRepo.findById(db, p.incomingId);
    if (!doc || doc.verifyStatus === 'done') return;
    const files = (await listFiles(db, 'incoming', doc.id)).filter((f) => f.contentType === 'application/pdf' && (f.kind === 'main' || f.kind === 'appendix'));
    const reports: { fileId: string; fileName: string; kind: string; report: IncomingVerifyReport }[] = [];
    try {
      for (const f of files) reports.push({ fileId: f.id, fileName: f.fileName, kind: f.kind, report: await verifyStoredIncomingPdf(deps, f) });
    } catch (error) {
      if (attempt >= VERIFY_ATTEMPTS) await incomingRepo.update(db, doc.id, null, { verifyStatus: 'failed' });
      throw error;
    }
    const isAllValid = reports.length > 0 && reports.every((r) => r.report.isValid);
    await db.transaction().execute(async (tx) => {
      await incomingRepo.update(tx, doc.id, null, { verifyStatus: 'done', verifyReport: JSON.stringify({ checkedAt: new Date().toISOString(), isAllValid, files: reports }) });
      await audit(tx, systemFor(doc.agencyId), { type: 'INCOMING_VERIFIED', entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId, data: { files: reports.length, isAllValid } });
    });
  },
});

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The daily reminder (07:00 Vietnam time): every open assignment due within two days or overdue gets an
 * in-app notice and a mail to its holder(s) and their unit heads; then the job schedules its next run.
 */
export const reminderJob = defineJob({
  type: 'incoming.daily_reminder',
  payload: z.object({}),
  maxAttempts: 5,
  handle: async ({ deps, db }) => {
    const today = vietnamDay();
    await db.transaction().execute(async (tx) => {
      await sendReminders(tx, today, deps.config.publicUrl);
      const next = nextReminderAt();
      await enqueue(tx, reminderJob, {}, { runAt: next, dedupeKey: `incoming.daily_reminder:${vietnamDay(next)}` });
    });
  },
});

/**
 * Sends the reminders of one day (in the caller's transaction); returns how many notices went out. A person hears
 * of a document once a day whatever number of its parts concern them (a unit head over both the lead and a support
 * part, say), at the most pressing of those parts' deadlines.
 */
export async function sendReminders(tx: Db, today: string, publicUrl?: string): Promise<number> {
  const due = await workRepo.dueAssignments(tx, addDays(today, 2));
  const deadlines = new Map<string, Map<string, string>>(); // document → person → earliest deadline of their parts
  for (const a of due) {
    const deadline = a.deadline ?? a.dueDate ?? today;
    const holders = a.userId ? [a.userId] : (await listUnitHeads(tx, a.unitId ? [a.unitId] : [])).map((h) => h.id);
    const holderUnits = a.userId ? (await findUsersByIds(tx, [a.userId])).map((u) => u.unitId).filter((u): u is string => !!u) : [];
    const heads = (await listUnitHeads(tx, holderUnits)).map((h) => h.id);
    const people = deadlines.get(a.incomingId) ?? new Map<string, string>();
    deadlines.set(a.incomingId, people);
    for (const id of [...holders, ...heads]) if (!people.has(id) || deadline < (people.get(id) as string)) people.set(id, deadline);
  }
  let sent = 0;
  for (const [incomingId, people] of deadlines) {
    const doc = await incomingRepo.findById(tx, incomingId);
    if (!doc) continue;
    const byDeadline = Map.groupBy(people.keys(), (id) => people.get(id) as string);
    for (const [deadline, userIds] of byDeadline) {
      const isOverdue = deadline < today;
      const message = `${isOverdue ? 'QUÁ HẠN' : 'Sắp đến hạn'} (${vnDay(deadline)}): ${documentLabel(doc)}`;
      sent += await notifyUsers(tx, { doc, userIds, kind: isOverdue ? 'overdue' : 'reminder', message, email: true, publicUrl });
    }
  }
  return sent;
}

/**
 * After the upgrade, the electronic documents received before their main PDF was read for search
 * (ocr_status 'none') get their text job, in the background, a batch at a time (search-backfill.ts): they
 * are then found by the words of their body too. Each is marked 'pending' when queued, so none is queued
 * twice; a failed read stays 'failed'.
 */
export const textBackfillJob = defineBackfillJob({
  type: 'incoming.text_backfill',
  textJobType: ocrJob.type,
  nextBatch: incomingRepo.markUnreadElectronic,
  requestOf: (id, runAt) => jobRequest(ocrJob, { incomingId: id }, { runAt, dedupeKey: `incoming.ocr:${id}` }),
});

/**
 * After the install's trust store changes, the received documents whose outcome rests on it are checked again,
 * in the background, a batch at a time (search-backfill.ts), behind the live documents' checks: a root added can
 * prove the signatures that read «chưa xác định» (verifySweepJob), a certificate taken out can undo the proofs
 * whose path holds it (verifyAllSweepJob, its `scope` the certificates' SHA-256). A document that is unsigned,
 * unreadable, or whose signatures failed for reasons of their own (changed bytes) is not checked again: no root
 * changes that (incoming-recheck.repository.ts). Each is marked 'pending' when queued, so a document is never
 * queued twice, and its page shows «Đang kiểm tra…» until the new verdict.
 */
export const verifySweepJob = defineBackfillJob({
  type: 'incoming.verify_sweep',
  textJobType: verifyJob.type,
  nextBatch: (tx, after, limit) => incomingRecheckRepo.markTrustDependent(tx, after, limit, { kind: 'added' }),
  requestOf: (id, runAt) => jobRequest(verifyJob, { incomingId: id }, { runAt }),
});
export const verifyAllSweepJob = defineBackfillJob({
  type: 'incoming.verify_sweep_all',
  textJobType: verifyJob.type,
  nextBatch: (tx, after, limit, certs) => incomingRecheckRepo.markTrustDependent(tx, after, limit, { kind: 'removed', certs }),
  requestOf: (id, runAt) => jobRequest(verifyJob, { incomingId: id }, { runAt }),
});

/** The incoming flow's job types, for the worker's registry. */
export const INCOMING_JOBS = [ocrJob, verifyJob, reminderJob, textBackfillJob, verifySweepJob, verifyAllSweepJob] as unknown as JobDefinition[];
