import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { nextReminderAt, vietnamDay, vnDay } from '../../platform/dates.ts';
import { defineJob, enqueue, enqueueMany, jobRequest, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import { listUnitHeads, listUsersWithRole } from '../users/users.directory.ts';
import { notify, withdrawNotices } from '../notices/notices.service.ts';
import { audit } from '../../platform/audit/audit.ts';
import { authorize } from '../../policies/index.ts';
import { recordsFileKeptListFor } from '../../policies/records.ts';
import { HAND_OVER_NOTICE_KIND, handOverRepo, KEEP_DECIDED_NOTICE_KIND, KEEP_REQUESTED_NOTICE_KIND } from './records-hand-over.repository.ts';
import { actingUserId, auditActor, type RecordsCtx } from './records.context.ts';
import {
  recordsBadStatus, recordsConstructionKept, recordsConstructionSettledFuture, recordsKeepAlreadyApproved, recordsKeepAtLimit, recordsKeepExtensionOutOfRange, recordsKeepNotApproved,
  recordsKeepNotDue, recordsKeepNotRequested, recordsKeepPending, recordsKeepUntilOutOfRange, recordsReadOnly,
} from './records.errors.ts';
import { presentKept } from './records.present.ts';
import type { TConstructionBody, TKeepDecisionBody, TKeepRequestBody } from './records.schemas.ts';
import { lockFile } from './records.service.ts';

/** For the home page: how many closed files the actor hands over are due (or overdue) for hand-over to the agency archive. */
export const countHandOverDue = (c: RecordsCtx) => handOverRepo.countDue(c.db, c.actor);

type DueFile = Awaited<ReturnType<typeof handOverRepo.claimDueNotices>>[number];
/** Who is told of a due file: its keeper, or, when the keeper no longer works here, whoever hands it over instead. */
type Told = { id: string; fullName: string; email: string | null };

/** A file and its hand-over date, as the mail lists it and the notice says it: «01.VP — Tên hồ sơ: hạn nộp lưu 05/01/2027 (đã quá hạn)». */
const dueLine = (f: DueFile) => `${f.notation} — ${f.title}: hạn nộp lưu ${f.dueDate ? vnDay(f.dueDate) : ''}${f.state === 'overdue' ? ' (đã quá hạn)' : ''}`;
/** The line for someone told instead of a keeper who no longer works here: names the keeper. */
const dueLineFor = (f: DueFile, told: Told) => (told.id === f.ownerId ? dueLine(f) : `${dueLine(f)} — người lập hồ sơ ${f.fullName} không còn làm việc`);

/** The rule a due file's date comes from, as the mail cites it: a keep agreed (Art. 31.3.d), a construction file (Art. 30.2.a), else the year after closing (Art. 30.2.b). */
const dueRule = (f: DueFile) => (f.keepStatus === 'approved' ? 'Điều 31 khoản 3 điểm d: hồ sơ được lãnh đạo cơ quan đồng ý giữ lại, nộp lưu đến ngày được đồng ý'
  : f.isConstruction ? 'Điều 30 khoản 2 điểm a: hồ sơ xây dựng cơ bản, trong thời hạn 03 tháng kể từ ngày công trình được quyết toán'
    : 'Điều 30 khoản 2 điểm b: trong thời hạn 01 năm kể từ ngày công việc kết thúc');

/** The mail telling one person of the files now due for hand-over that they hand over, each with its due date (dd/MM/yyyy) and link. */
function dueMail(told: Told, files: readonly DueFile[], publicUrl: string) {
  const [first] = files;
  if (!first || !told.email) return [];
  const lines = files.map((f) => `- ${dueLineFor(f, told)}\n  ${publicUrl}/records/${f.id}`);
  const text = `Kính gửi ${told.fullName},\n\n${files.length === 1 ? 'Hồ sơ sau đã kết thúc và đến hạn' : `${files.length} hồ sơ sau đã kết thúc và đến hạn`} nộp lưu vào Lưu trữ cơ quan `
    + `(Nghị định 30/2020/NĐ-CP, ${[...new Set(files.map(dueRule))].join('; ')}):\n\n${lines.join('\n')}\n\n`
    + 'Mở hồ sơ, rà soát văn bản trong hồ sơ rồi bấm «Nộp lưu».\n\n— vanthu';
  return [jobRequest(sendMailJob, { agencyId: first.agencyId, to: told.email, subject: 'Hồ sơ đến hạn nộp lưu vào Lưu trữ cơ quan', text })];
}

/**
 * Who is told of each due file: its keeper; when the keeper's account is no longer active, the heads of
 * the file's unit, who may hand it over (ND 30 Art. 31.3.a), or, with none, the agency's clerks.
 */
async function toldOf(tx: Db, due: readonly DueFile[]): Promise<Map<DueFile, Told[]>> {
  const orphaned = due.filter((f) => !f.ownerIsActive);
  const heads = await listUnitHeads(tx, [...new Set(orphaned.flatMap((f) => (f.unitId ? [f.unitId] : [])))]);
  const clerks = new Map<string, Told[]>();
  for (const agencyId of new Set(orphaned.filter((f) => !heads.some((h) => h.unitId === f.unitId)).map((f) => f.agencyId))) {
    clerks.set(agencyId, await listUsersWithRole(tx, agencyId, 'clerk'));
  }
  return new Map(due.map((f) => {
    if (f.ownerIsActive) return [f, [{ id: f.ownerId, fullName: f.fullName, email: f.email }]];
    const ofUnit = heads.filter((h) => h.unitId === f.unitId);
    return [f, ofUnit.length > 0 ? ofUnit : clerks.get(f.agencyId) ?? []];
  }));
}

/**
 * Tells, once, of the closed files that came due for hand-over (HAND_OVER_NOTICE_DAYS before the due
 * date, or overdue) whoever hands each over (toldOf): an in-app notice per file, linking to it, and one
 * mail per person listing them, in the caller's transaction with the files marked told. Returns how many files.
 */
export async function sendHandOverNotices(tx: Db, publicUrl: string): Promise<number> {
  const due = await handOverRepo.claimDueNotices(tx);
  const told = [...(await toldOf(tx, due))].flatMap(([file, people]) => people.map((person) => ({ file, person })));
  await notify(tx, told.map(({ file, person }) => ({ userId: person.id, recordsFileId: file.id, kind: HAND_OVER_NOTICE_KIND, message: `Hồ sơ đến hạn nộp lưu: ${dueLineFor(file, person)}` })));
  const byPerson = Map.groupBy(told, ({ person }) => person.id);
  await enqueueMany(tx, [...byPerson.values()].flatMap((rows) => (rows[0] ? dueMail(rows[0].person, rows.map((r) => r.file), publicUrl) : [])));
  return due.length;
}

/** A locked closed file with its keep-back, as the keep rules see it. Throws records.file_not_found, records.read_only, records.bad_status. */
async function lockClosedFileWithKeep(c: RecordsCtx, tx: Db, id: string) {
  const file = await lockFile(tx, c.actor, id);
  if (file.status === 'handed_over') throw recordsReadOnly();
  if (file.status !== 'closed') throw recordsBadStatus({ status: file.status });
  const keep = await handOverRepo.findKeep(tx, file.id);
  const pending = (await handOverRepo.keepHistory(tx, file.id)).find((h) => h.status === 'requested');
  return { file, keep, pending, subject: { ...file, hasHandOverDue: !!keep.legalDueDate, keepStatus: keep.keepStatus, isExtensionPending: pending?.kind === 'extend' } };
}

/** «01.VP — Tên hồ sơ», as a notice names a file. */
const fileLine = (f: { notation: string; title: string }) => `${f.notation} — ${f.title}`;

/**
 * Asks to keep a closed file back past its hand-over date (ND 30 Art. 31.3.d): its keeper or its unit's head, with
 * a reason and a day after the due date, at most 02 years after it; the agency's leaders are told. Throws
 * records.file_not_found, records.read_only, records.bad_status, records.keep_not_due, records.keep_pending,
 * records.keep_already_approved, forbidden, records.keep_until_out_of_range.
 */
export async function requestKeepFile(c: RecordsCtx & { id: string; body: TKeepRequestBody }) {
  return c.db.transaction().execute(async (tx) => {
    const { file, keep, subject } = await lockClosedFileWithKeep(c, tx, c.id);
    if (!keep.legalDueDate || !keep.keepEarliest || !keep.keepLimit) throw recordsKeepNotDue();
    if (keep.keepStatus === 'requested') throw recordsKeepPending();
    if (keep.keepStatus === 'approved') throw recordsKeepAlreadyApproved();
    authorize(c.actor, 'records.file.keep', subject);
    const { until, reason } = c.body;
    if (until < keep.keepEarliest || until > keep.keepLimit) throw recordsKeepUntilOutOfRange({ from: keep.keepEarliest, to: keep.keepLimit });
    await handOverRepo.setHandOverFacts(tx, file.id, {
      keepStatus: 'requested', keepUntil: until, keepReason: reason, keepRequestedBy: actingUserId(c), keepRequestedAt: new Date(), keepDecidedBy: null, keepDecidedAt: null, keepNote: null,
    });
    await handOverRepo.insertKeepRequest(tx, { fileId: file.id, kind: 'keep', until, previousUntil: null, reason, requestedBy: actingUserId(c) });
    await tellLeaders(tx, file, `Đề nghị giữ lại hồ sơ đã đến hạn nộp lưu: ${fileLine(file)}, đến ${vnDay(until)} — ${c.actor.fullName}: ${reason}`);
    await audit(tx, auditActor(c), { type: 'RECORDS_FILE_KEEP_REQUESTED', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { until, reason, legalDueDate: keep.legalDueDate } });
  });
}

/** Every active leader of the agency gets a notice asking for an answer about a file, linking to it. */
async function tellLeaders(tx: Db, file: { id: string; agencyId: string }, message: string) {
  const leaders = await listUsersWithRole(tx, file.agencyId, 'leader');
  await notify(tx, leaders.map((l) => ({ userId: l.id, recordsFileId: file.id, kind: KEEP_REQUESTED_NOTICE_KIND, message })));
}

/**
 * Asks to keep a file kept back longer (gia hạn, ND 30 Art. 31.3.d): its keeper or its unit's head, with a reason and a
 * day after the day agreed, still at most 02 years after the legal due date; the agency's leaders are told. Until a
 * leader answers, the keep agreed stands. Throws records.file_not_found, records.read_only, records.bad_status,
 * records.keep_not_approved, records.keep_pending, forbidden, records.keep_at_limit, records.keep_extension_out_of_range.
 */
export async function requestKeepExtension(c: RecordsCtx & { id: string; body: TKeepRequestBody }) {
  return c.db.transaction().execute(async (tx) => {
    const { file, keep, pending, subject } = await lockClosedFileWithKeep(c, tx, c.id);
    if (keep.keepStatus !== 'approved' || !keep.keepUntil || !keep.extendEarliest || !keep.keepLimit || !keep.legalDueDate) throw recordsKeepNotApproved();
    if (pending) throw recordsKeepPending();
    authorize(c.actor, 'records.file.keep.extend', subject);
    if (keep.keepUntil >= keep.keepLimit) throw recordsKeepAtLimit({ to: keep.keepLimit });
    const { until, reason } = c.body;
    if (until < keep.extendEarliest || until > keep.keepLimit) throw recordsKeepExtensionOutOfRange({ from: keep.extendEarliest, to: keep.keepLimit });
    await handOverRepo.insertKeepRequest(tx, { fileId: file.id, kind: 'extend', until, previousUntil: keep.keepUntil, reason, requestedBy: actingUserId(c) });
    await tellLeaders(tx, file, `Đề nghị gia hạn giữ lại hồ sơ: ${fileLine(file)}, từ ${vnDay(keep.keepUntil)} đến ${vnDay(until)} — ${c.actor.fullName}: ${reason}`);
    await audit(tx, auditActor(c), {
      type: 'RECORDS_FILE_KEEP_EXTENSION_REQUESTED', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId,
      data: { until, previousUntil: keep.keepUntil, reason, legalDueDate: keep.legalDueDate },
    });
  });
}

/**
 * A leader of the agency agrees to the request waiting — to keep a file back, or to extend a keep agreed — or refuses
 * it (ND 30 Art. 31.3.d: «phải được người đứng đầu cơ quan, tổ chức đồng ý»). Agreed: the file's hand-over date
 * becomes the day asked, and its keeper is told again 30 days before it. Refused: a keep agreed before stands. The
 * one who asked is told the answer. Throws records.file_not_found, records.read_only, records.bad_status,
 * records.keep_not_requested, forbidden.
 */
export async function decideKeepFile(c: RecordsCtx & { id: string; body: TKeepDecisionBody }) {
  return c.db.transaction().execute(async (tx) => {
    const { file, pending, subject } = await lockClosedFileWithKeep(c, tx, c.id);
    if (!pending) throw recordsKeepNotRequested();
    authorize(c.actor, 'records.file.keep.decide', subject);
    const { approve, note } = c.body;
    const isExtension = pending.kind === 'extend';
    const decided = { keepDecidedBy: actingUserId(c), keepDecidedAt: new Date(), keepNote: note || null };
    if (approve) {
      // the keep in force is the one just agreed; the reminder tells again before its day, the notices of the old one are taken back
      await handOverRepo.setHandOverFacts(tx, file.id, {
        keepStatus: 'approved', keepUntil: pending.until, keepReason: pending.reason, keepRequestedBy: pending.requestedBy, keepRequestedAt: pending.requestedAt, ...decided, handOverNotifiedAt: null,
      });
    } else if (!isExtension) await handOverRepo.setHandOverFacts(tx, file.id, { keepStatus: 'refused', ...decided });
    if (!(await handOverRepo.decideKeepRequest(tx, pending.id, { status: approve ? 'approved' : 'refused', decidedBy: actingUserId(c), note }))) throw recordsKeepNotRequested();
    await withdrawNotices(tx, { recordsFileId: file.id }, approve ? [HAND_OVER_NOTICE_KIND, KEEP_REQUESTED_NOTICE_KIND] : [KEEP_REQUESTED_NOTICE_KIND]);
    const what = isExtension ? 'gia hạn giữ lại' : 'giữ lại';
    const answer = approve ? `${c.actor.fullName} đồng ý ${what} hồ sơ ${fileLine(file)} đến ${vnDay(pending.until)}` : `${c.actor.fullName} không đồng ý ${what} hồ sơ ${fileLine(file)}`;
    if (pending.requestedBy) await notify(tx, [{ userId: pending.requestedBy, recordsFileId: file.id, kind: KEEP_DECIDED_NOTICE_KIND, message: `${answer}${note ? `: ${note}` : '.'}` }]);
    const type = isExtension ? (approve ? 'RECORDS_FILE_KEEP_EXTENSION_APPROVED' : 'RECORDS_FILE_KEEP_EXTENSION_REFUSED') : approve ? 'RECORDS_FILE_KEEP_APPROVED' : 'RECORDS_FILE_KEEP_REFUSED';
    await audit(tx, auditActor(c), { type, entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { until: pending.until, ...(isExtension && { previousUntil: pending.previousUntil }), note } });
  });
}

/**
 * Marks a file as a construction file (hồ sơ xây dựng cơ bản) with the day its works were settled, or unmarks it
 * (ND 30 Art. 30.2.a: due «trong thời hạn 03 tháng kể từ ngày công trình được quyết toán», HAND_OVER_LEGAL_DUE). Its
 * keeper (or the clerk), until it is handed over; a closed file's due date moves, and its keeper is told again.
 * Throws records.file_not_found, records.read_only, forbidden, records.construction_settled_future, records.construction_kept.
 */
export async function setFileConstruction(c: RecordsCtx & { id: string; body: TConstructionBody }) {
  return c.db.transaction().execute(async (tx) => {
    const file = await lockFile(tx, c.actor, c.id);
    if (file.status === 'handed_over') throw recordsReadOnly();
    authorize(c.actor, 'records.file.construction', file);
    const settledOn = c.body.isConstruction ? c.body.settledOn : null;
    if (settledOn && settledOn > vietnamDay()) throw recordsConstructionSettledFuture();
    // a keep is asked or agreed against the due date this changes
    if (file.keepStatus === 'requested' || file.keepStatus === 'approved') throw recordsConstructionKept();
    await handOverRepo.setHandOverFacts(tx, file.id, { isConstruction: c.body.isConstruction, constructionSettledOn: settledOn, handOverNotifiedAt: null });
    await withdrawNotices(tx, { recordsFileId: file.id }, [HAND_OVER_NOTICE_KIND]);
    await audit(tx, auditActor(c), { type: 'RECORDS_FILE_CONSTRUCTION_SET', entityType: 'records_file', entityId: file.id, agencyId: file.agencyId, data: { isConstruction: c.body.isConstruction, settledOn } });
  });
}

/**
 * The Danh mục hồ sơ, tài liệu giữ lại (ND 30 Art. 31.3.d, sent to the agency archive): the closed files a leader
 * agreed to keep back, of a year or all — the agency's for its clerks, leaders and archivists, a unit's for its head. Throws forbidden.
 */
export async function listKeptFiles(c: RecordsCtx & { year?: number }) {
  authorize(c.actor, 'records.kept.list', { agencyId: c.actor.agencyId });
  return (await handOverRepo.listKept(c.db, recordsFileKeptListFor(c.actor), c.year)).map(presentKept);
}

/** The daily hand-over reminder (07:00 Vietnam time, with the incoming deadline reminder); then it schedules its next run. */
export const handOverReminderJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'records.hand_over_reminder',
  payload: z.object({}),
  maxAttempts: 5,
  handle: async ({ deps, db, logger }) => {
    await db.transaction().execute(async (tx) => {
      const sent = await sendHandOverNotices(tx, deps.config.publicUrl);
      const next = nextReminderAt();
      await enqueue(tx, handOverReminderJob, {}, { runAt: next, dedupeKey: `records.hand_over_reminder:${vietnamDay(next)}` });
      if (sent > 0) logger.info({ files: sent }, 'records: hand-over reminders sent');
    });
  },
});

/** The work files' job types, for the worker's registry. */
export const RECORDS_JOBS = [handOverReminderJob] as unknown as JobDefinition[];
