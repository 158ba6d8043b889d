import { audit } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { authorize, can } from '../../policies/index.ts';
import { recordsBatchVisibleTo } from '../../policies/records.ts';
import { recordsRepo } from './records.repository.ts';
import { HAND_OVER_NOTICE_KIND, handOverRepo, KEEP_REQUESTED_NOTICE_KIND } from './records-hand-over.repository.ts';
import { listUsersWithRole } from '../users/users.directory.ts';
import { notify, withdrawNotices } from '../notices/notices.service.ts';
import { batchRepo, type BatchRow } from './records-batch.repository.ts';
import { recordsBadStatus, recordsBatchAlreadyReceived, recordsBatchEmpty, recordsBatchMixedUnits, recordsBatchNotFound, recordsFileNotFound, recordsHandOverKeepPending } from './records.errors.ts';
import { assertFileTransition } from './records.status.ts';
import { actingUserId, auditActor, type RecordsCtx } from './records.context.ts';
import { presentFile } from './records.present.ts';
import { lockFile } from './records.service.ts';
import { buildNotation, formatDocumentNumber } from '../registers/document-types.ts';
import { vietnamYear } from '../registers/registers.service.ts';

const iso = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d : d.toISOString());
/** Files in the order of a mục lục: by year, then số/ký hiệu as people count (02.TH before 10.TH). */
export const byNotation = <F extends { year: number; notation: string }>(a: F, b: F) => a.year - b.year || a.notation.localeCompare(b.notation, 'vi', { numeric: true });

/**
 * Hands closed files of one unit over to the agency archive together, as one batch (đợt nộp lưu, ND 30 Art. 30.3),
 * in one transaction: each file is locked (in id order), must be visible (else records.file_not_found), closed
 * (records.bad_status / records.read_only) and handed over by the actor (forbidden) — one refusal and none is handed over.
 * The batch row names the agency, the unit, who and when; each file names its batch. Returns the batch id.
 */
export async function handOverRecordsFiles(c: RecordsCtx & { fileIds: readonly string[]; note?: string }) {
  const ids = [...new Set(c.fileIds)].sort();
  if (ids.length === 0) throw recordsBatchEmpty();
  return c.db.transaction().execute(async (tx) => {
    const files = [];
    for (const id of ids) {
      const file = await lockFile(tx, c.actor, id);
      assertFileTransition(file.status, 'handed_over');
      authorize(c.actor, 'records.file.hand_over', file);
      // a keep-back a leader has yet to answer is the leader's to decide (Art. 31.3.d), not the hand-over's
      if (await handOverRepo.isKeepAwaitingDecision(tx, file.id)) throw recordsHandOverKeepPending({ notation: file.notation }, { message: `Hồ sơ ${file.notation}: ${recordsHandOverKeepPending.message}` });
      files.push(file);
    }
    const [first] = files;
    if (!first) throw recordsBatchEmpty();
    if (files.some((f) => f.unitId !== first.unitId)) throw recordsBatchMixedUnits();
    const handedBy = actingUserId(c);
    if (!handedBy) throw recordsBadStatus();
    // the biên bản giao nhận's Số, per agency and year of the hand-over, kept with the batch
    const handedOverAt = new Date();
    const minutesYear = vietnamYear(handedOverAt);
    const minutesNumber = await batchRepo.takeMinutesNumber(tx, first.agencyId, minutesYear);
    const batch = await batchRepo.insertBatch(tx, { agencyId: first.agencyId, unitId: first.unitId, handedOverBy: handedBy, handedOverAt, note: c.note ?? '', minutesYear, minutesNumber });
    for (const file of files) {
      const values = { status: 'handed_over', handedOverAt: batch.handedOverAt, handedOverBy: handedBy, handOverBatchId: batch.id };
      if (!(await recordsRepo.updateFile(tx, file.id, 'closed', values))) throw recordsFileNotFound();
      await withdrawNotices(tx, { recordsFileId: file.id }, [HAND_OVER_NOTICE_KIND, KEEP_REQUESTED_NOTICE_KIND]);
      await audit(tx, auditActor(c), { type: 'RECORDS_FILE_HANDED_OVER', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { notation: file.notation, year: file.year, docTotal: file.docTotal, retention: file.retention, batchId: batch.id, batchSize: files.length } });
    }
    await tellArchivists(tx, batch.id, files);
    return batch.id;
  });
}

/** The archivists' notice of a batch waiting for them; a notice is about one work file, so it names the first of the batch's mục lục. */
export const HAND_OVER_BATCH_NOTICE_KIND = 'hand_over_batch';

/** Tells the agency's archivists (Lưu trữ cơ quan) that a batch waits for them to receive it: «Đợt nộp lưu chờ tiếp nhận: N hồ sơ của <đơn vị>». */
async function tellArchivists(tx: Db, batchId: string, files: readonly { id: string; year: number; notation: string }[]) {
  const [first] = [...files].sort(byNotation);
  const batch = await batchRepo.findBatch(tx, batchId);
  if (!first || !batch) return;
  const archivists = await listUsersWithRole(tx, batch.agencyId, 'archivist');
  const message = `Đợt nộp lưu chờ tiếp nhận: ${files.length} hồ sơ của ${batch.unitName ?? batch.agencyName}`;
  await notify(tx, archivists.map((a) => ({ userId: a.id, recordsFileId: first.id, kind: HAND_OVER_BATCH_NOTICE_KIND, message })));
}

/** A batch as the API shows it: who handed it over and when, who received it and when (null while «Chờ tiếp nhận»). */
export function presentBatch(b: BatchRow) {
  return {
    id: b.id, agencyName: b.agencyName, unitId: b.unitId, unitName: b.unitName, note: b.note, fileCount: Number(b.fileCount ?? 0),
    handedOverAt: iso(b.handedOverAt), handedOverByName: b.handedOverByName, handedOverByPosition: b.handedOverByPosition,
    receivedAt: iso(b.receivedAt), receivedByName: b.receivedByName, receivedByPosition: b.receivedByPosition,
    /** The Số of its Biên bản giao nhận, e.g. «03/BB-UBND» (numbered per agency and year). */
    minutesNumber: `${formatDocumentNumber(b.minutesNumber)}/${buildNotation({ typeCode: 'bien_ban', agencyShort: b.agencyShortName })}`, minutesYear: b.minutesYear,
  };
}
export type TBatchView = ReturnType<typeof presentBatch>;

/** A batch the actor may see, or records.batch_not_found (another unit's or agency's alike: no existence leak). */
async function loadVisibleBatch(c: RecordsCtx, id: string) {
  const batch = await batchRepo.findBatch(c.db, id);
  if (!batch || !can(c.actor, 'records.batch.view', batch)) throw recordsBatchNotFound();
  return batch;
}

/** One batch with its files in the order of its mục lục, and whether the actor may receive it. Throws records.batch_not_found. */
export async function getHandOverBatch(c: RecordsCtx & { id: string }) {
  const batch = await loadVisibleBatch(c, c.id);
  const rows = await Promise.all((await batchRepo.fileIds(c.db, batch.id)).map((id) => recordsRepo.findFile(c.db, id)));
  const files = rows.filter((f) => f !== undefined).map(presentFile).sort(byNotation);
  return { batch: presentBatch(batch), files, can: { receive: can(c.actor, 'records.batch.receive', batch) } };
}

/** The batches the actor may see: waiting for the archive («Chờ tiếp nhận», oldest first), received, or all (newest first). */
export async function listHandOverBatches(c: RecordsCtx & { status?: 'waiting' | 'received' }) {
  return (await batchRepo.listBatches(c.db, recordsBatchVisibleTo(c.actor), c.status)).map(presentBatch);
}

/**
 * The agency archive takes a batch in (ND 30 Art. 30.3: «Lưu trữ cơ quan … tiếp nhận»): the archivist who receives it
 * and when are recorded, and printed as Bên nhận in the Biên bản giao nhận. Once only. Throws records.batch_not_found,
 * forbidden (not the agency's archivist), records.batch_already_received.
 */
export async function receiveHandOverBatch(c: RecordsCtx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const batch = await batchRepo.lockBatch(tx, c.id);
    if (!batch || !can(c.actor, 'records.batch.view', batch)) throw recordsBatchNotFound();
    if (batch.receivedAt !== null) throw recordsBatchAlreadyReceived();
    authorize(c.actor, 'records.batch.receive', batch);
    await batchRepo.markReceived(tx, batch.id, c.actor.id);
    for (const fileId of await batchRepo.fileIds(tx, batch.id)) {
      // received: the archivists' «chờ tiếp nhận» notice is answered, for all of them
      await withdrawNotices(tx, { recordsFileId: fileId }, [HAND_OVER_BATCH_NOTICE_KIND]);
      await audit(tx, auditActor(c), { type: 'RECORDS_FILE_RECEIVED', entityType: 'records_file', entityId: fileId, agencyId: batch.agencyId, data: { batchId: batch.id } });
    }
  });
}
