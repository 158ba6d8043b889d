import type { Db } from '../db/client.ts';
import { enqueueMany } from '../jobs/jobs.ts';
import { vietnamParts } from '../dates.ts';
import { can } from '../../policies/index.ts';
import type { Role } from '../../policies/actor.ts';
import { lastNoticeAt, noticeMails, notify } from '../../domain/notices/notices.service.ts';
import { backupRepo } from './backup.repository.ts';

/** The kinds of the notices about the backups (about no document: see migration 2026_12_07_0620). */
export const BACKUP_NOTICE_KINDS = ['backup_failed', 'backup_stale'] as const;
export type BackupNoticeKind = (typeof BACKUP_NOTICE_KINDS)[number];

/** No successful backup for longer than this while the daily one is scheduled (02:00 plus two hours' grace): the administrators are warned. */
export const STALE_AFTER_HOURS = 26;
const HOUR_MS = 3_600_000;
/** The freshness warning is given at most once in this time, counting a failure's notice. */
const WARNING_GAP_MS = 24 * HOUR_MS;

/** HH:mm dd/MM/yyyy in Vietnam time, as the backup notices say it. */
const vnClock = (at: Date) => {
  const p = vietnamParts(at);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
};

export type BackupHealth = {
  lastSuccessAt: Date | null;
  /** The last failed run, when none has succeeded since. */
  lastFailure: { at: Date; error: string } | null;
  /** No success for more than STALE_AFTER_HOURS (counted from when the daily backup was scheduled, if none ever) while it is scheduled. */
  isStale: boolean;
  /** The next daily backup; null: none scheduled. */
  nextScheduledAt: Date | null;
  staleAfterHours: number;
  /** What the hours are counted from: the last success, else when the daily backup was first scheduled. */
  staleSince: Date | null;
};

/** How the install's backups stand at `now`: the last success, a failure since, whether they are overdue. */
export async function backupHealth(db: Db, now: Date = new Date()): Promise<BackupHealth> {
  const success = await backupRepo.lastFinished(db, 'succeeded');
  const failure = await backupRepo.lastFinished(db, 'failed');
  const schedule = await backupRepo.schedule(db);
  const lastSuccessAt = success?.finishedAt ?? null;
  const staleSince = lastSuccessAt ?? schedule.since;
  return {
    lastSuccessAt,
    lastFailure: failure?.finishedAt && (!lastSuccessAt || failure.finishedAt > lastSuccessAt) ? { at: failure.finishedAt, error: failure.error ?? '' } : null,
    isStale: !!schedule.nextAt && !!staleSince && now.getTime() - staleSince.getTime() > STALE_AFTER_HOURS * HOUR_MS,
    nextScheduledAt: schedule.nextAt,
    staleAfterHours: STALE_AFTER_HOURS,
    staleSince,
  };
}

/** Tells the install's backup administrators (rule backup.manage) that a backup failed, in the caller's transaction: a notice each, a mail to those with an address. */
export async function tellBackupFailed(tx: Db, o: { at: Date; error: string; publicUrl: string }): Promise<void> {
  const reason = o.error.length > 300 ? `${o.error.slice(0, 300)}…` : o.error;
  await tellBackupAdmins(tx, {
    kind: 'backup_failed', at: o.at, subject: 'Sao lưu dữ liệu thất bại', publicUrl: o.publicUrl,
    message: `Sao lưu dữ liệu thất bại lúc ${vnClock(o.at)}: ${reason}`,
  });
}

/**
 * The freshness check (job backup.watch): when no backup has succeeded for more than STALE_AFTER_HOURS
 * while the daily one is scheduled (the server was down at 02:00, a run died half-way, BACKUP_DIR is
 * full…), warns the backup administrators — once for the same last success, and not within a day of
 * an earlier warning or failure notice. Returns whether it warned.
 */
export async function warnIfStale(db: Db, o: { publicUrl: string }): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const now = new Date();
    const health = await backupHealth(tx, now);
    if (!health.isStale || !health.staleSince) return false;
    const lastStale = await lastNoticeAt(tx, ['backup_stale']);
    if (lastStale && lastStale >= health.staleSince) return false;
    const lastAny = await lastNoticeAt(tx, ['backup_stale', 'backup_failed']);
    if (lastAny && now.getTime() - lastAny.getTime() < WARNING_GAP_MS) return false;
    const since = health.lastSuccessAt ? `lần thành công gần nhất lúc ${vnClock(health.lastSuccessAt)}` : `chưa lần nào thành công kể từ ${vnClock(health.staleSince)}`;
    await tellBackupAdmins(tx, {
      kind: 'backup_stale', at: now, subject: `Quá ${STALE_AFTER_HOURS} giờ chưa sao lưu được dữ liệu`, publicUrl: o.publicUrl,
      message: `Quá ${STALE_AFTER_HOURS} giờ chưa có bản sao lưu dữ liệu thành công (${since}). Hãy kiểm tra máy chủ và thư mục sao lưu.`,
    });
    return true;
  });
}

/** A notice to each backup administrator of the install and a mail to those with an address (noticeMails, with the backups page's address). */
async function tellBackupAdmins(tx: Db, o: { kind: BackupNoticeKind; at: Date; subject: string; message: string; publicUrl: string }): Promise<void> {
  const admins = (await backupRepo.topAgencyUsers(tx)).filter((u) => can({ ...u, roles: u.roles as Role[] }, 'backup.manage', { id: u.agencyId, ancestorIds: [] }));
  await notify(tx, admins.map((a) => ({ userId: a.id, kind: o.kind, message: o.message, createdAt: o.at })));
  const text = `${o.message}\n\nXem các lần sao lưu: ${o.publicUrl}/admin/backups`;
  await enqueueMany(tx, admins.flatMap((a) => noticeMails({ agencyId: a.agencyId, subject: o.subject }, [a], () => text)));
}
