import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { defineJob, enqueue, enqueueMany, jobRequest, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import { nextReminderAt } from '../incoming/incoming.jobs.ts';
import { workRepo } from '../incoming/incoming-work.repository.ts';
import { HAND_OVER_NOTICE_KIND, handOverRepo } from './records-hand-over.repository.ts';
import type { RecordsCtx } from './records.context.ts';

/** For the home page: how many closed files the actor hands over are due (or overdue) for hand-over to the agency archive. */
export const countHandOverDue = (c: RecordsCtx) => handOverRepo.countDue(c.db, c.actor);

type DueFile = Awaited<ReturnType<typeof handOverRepo.claimDueNotices>>[number];
/** Who is told of a due file: its keeper, or, when the keeper no longer works here, whoever hands it over instead. */
type Told = { id: string; fullName: string; email: string | null };

/** A file and its hand-over date, as the mail lists it and the notice says it: «01.VP — Tên hồ sơ: hạn nộp lưu 05/01/2027 (đã quá hạn)». */
const dueLine = (f: DueFile) => `${f.notation} — ${f.title}: hạn nộp lưu ${f.dueDate ? vnDay(f.dueDate) : ''}${f.state === 'overdue' ? ' (đã quá hạn)' : ''}`;
/** The line for someone told instead of a keeper who no longer works here: names the keeper. */
const dueLineFor = (f: DueFile, told: Told) => (told.id === f.ownerId ? dueLine(f) : `${dueLine(f)} — người lập hồ sơ ${f.fullName} không còn làm việc`);

/** The mail telling one person of the files now due for hand-over that they hand over, each with its due date (dd/MM/yyyy) and link. */
function dueMail(told: Told, files: readonly DueFile[], publicUrl: string) {
  const [first] = files;
  if (!first || !told.email) return [];
  const lines = files.map((f) => `- ${dueLineFor(f, told)}\n  ${publicUrl}/records/${f.id}`);
  const text = `Kính gửi ${told.fullName},\n\n${files.length === 1 ? 'Hồ sơ sau đã kết thúc và đến hạn' : `${files.length} hồ sơ sau đã kết thúc và đến hạn`} nộp lưu vào Lưu trữ cơ quan `
    + `(Nghị định 30/2020/NĐ-CP, Điều 30: trong thời hạn 01 năm kể từ ngày công việc kết thúc):\n\n${lines.join('\n')}\n\n`
    + 'Mở hồ sơ, rà soát văn bản trong hồ sơ rồi bấm «Nộp lưu».\n\n— vanthu';
  return [jobRequest(sendMailJob, { agencyId: first.agencyId, to: told.email, subject: 'Hồ sơ đến hạn nộp lưu vào Lưu trữ cơ quan', text })];
}

/**
 * Who is told of each due file: its keeper; when the keeper's account is no longer active, the heads of
 * the file's unit, who may hand it over (ND 30 Art. 31.3.a), or, with none, the agency's clerks.
 */
async function toldOf(tx: Db, due: readonly DueFile[]): Promise<Map<DueFile, Told[]>> {
  const orphaned = due.filter((f) => !f.ownerIsActive);
  const heads = await workRepo.unitHeads(tx, [...new Set(orphaned.flatMap((f) => (f.unitId ? [f.unitId] : [])))]);
  const clerks = new Map<string, Told[]>();
  for (const agencyId of new Set(orphaned.filter((f) => !heads.some((h) => h.unitId === f.unitId)).map((f) => f.agencyId))) {
    clerks.set(agencyId, await workRepo.usersWithRole(tx, agencyId, 'clerk'));
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
  await workRepo.insertNotices(tx, told.map(({ file, person }) => ({ userId: person.id, recordsFileId: file.id, kind: HAND_OVER_NOTICE_KIND, message: `Hồ sơ đến hạn nộp lưu: ${dueLineFor(file, person)}` })));
  const byPerson = Map.groupBy(told, ({ person }) => person.id);
  await enqueueMany(tx, [...byPerson.values()].flatMap((rows) => (rows[0] ? dueMail(rows[0].person, rows.map((r) => r.file), publicUrl) : [])));
  return due.length;
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
