import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { defineJob, enqueue, enqueueMany, jobRequest, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import { nextReminderAt } from '../incoming/incoming.jobs.ts';
import { handOverRepo } from './records-hand-over.repository.ts';
import type { RecordsCtx } from './records.context.ts';

/** For the home page: how many closed files the actor hands over are due (or overdue) for hand-over to the agency archive. */
export const countHandOverDue = (c: RecordsCtx) => handOverRepo.countDue(c.db, c.actor);

type DueFile = Awaited<ReturnType<typeof handOverRepo.claimDueNotices>>[number];

/** A file and its hand-over date, as the mail lists it and the notice says it: «01.VP — Tên hồ sơ: hạn nộp lưu 05/01/2027 (đã quá hạn)». */
const dueLine = (f: DueFile) => `${f.notation} — ${f.title}: hạn nộp lưu ${f.dueDate ? vnDay(f.dueDate) : ''}${f.state === 'overdue' ? ' (đã quá hạn)' : ''}`;

/** The mail telling one keeper of their files now due for hand-over, each with its due date (dd/MM/yyyy) and link. */
function dueMail(files: readonly DueFile[], publicUrl: string) {
  const [first] = files;
  if (!first?.email) return [];
  const lines = files.map((f) => `- ${dueLine(f)}\n  ${publicUrl}/records/${f.id}`);
  const text = `Kính gửi ${first.fullName},\n\n${files.length === 1 ? 'Hồ sơ sau đã kết thúc và đến hạn' : `${files.length} hồ sơ sau đã kết thúc và đến hạn`} nộp lưu vào Lưu trữ cơ quan `
    + `(Nghị định 30/2020/NĐ-CP, Điều 30: trong thời hạn 01 năm kể từ ngày công việc kết thúc):\n\n${lines.join('\n')}\n\n`
    + 'Mở hồ sơ, rà soát văn bản trong hồ sơ rồi bấm «Nộp lưu».\n\n— vanthu';
  return [jobRequest(sendMailJob, { agencyId: first.agencyId, to: first.email, subject: 'Hồ sơ đến hạn nộp lưu vào Lưu trữ cơ quan', text })];
}

/**
 * Tells each keeper, once, of their closed files that came due for hand-over (HAND_OVER_NOTICE_DAYS before
 * the due date, or overdue): an in-app notice per file, linking to it, and one mail per keeper listing them,
 * in the caller's transaction with the files marked told. Returns how many files.
 */
export async function sendHandOverNotices(tx: Db, publicUrl: string): Promise<number> {
  const due = await handOverRepo.claimDueNotices(tx);
  await handOverRepo.insertNotices(tx, due.map((f) => ({ userId: f.ownerId, recordsFileId: f.id, message: `Hồ sơ đến hạn nộp lưu: ${dueLine(f)}` })));
  const byOwner = Map.groupBy(due, (f) => f.ownerId);
  await enqueueMany(tx, [...byOwner.values()].flatMap((files) => dueMail(files, publicUrl)));
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
