import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineJob, enqueue, type JobDefinition } from '../jobs/jobs.ts';
import type { AppDeps } from '../deps.ts';
import { vietnamDay } from '../dates.ts';
import { backupSettings, createBackup } from './backup.ts';
import { BACKUP_NOTICE_KINDS, tellBackupFailed, warnIfStale } from './backup.alerts.ts';
import { withdrawNoticesOfKinds } from '../../domain/notices/notices.service.ts';
import { backupRepo } from './backup.repository.ts';

/** The next 02:00 in Vietnam (19:00 UTC, no daylight saving) after `now`. */
export function nextBackupAt(now: Date = new Date()): Date {
  const at = new Date(now);
  at.setUTCHours(19, 0, 0, 0);
  return at > now ? at : new Date(at.getTime() + 86_400_000);
}

/**
 * One backup by the server, over its own open database (so it works with the embedded PGlite too), into
 * BACKUP_DIR; recorded in backup_run. A failure is recorded, logged and told to the install's backup
 * administrators (notice and mail), never thrown (not retried: the next day's run or «Sao lưu ngay» tries
 * again). A success takes the unread backup warnings back, and only the newest BACKUP_KEEP archives stay.
 */
export async function runServerBackup(deps: AppDeps, o: { runId?: string; trigger: 'scheduled' | 'manual' }): Promise<{ id: string; ok: boolean }> {
  const { db, config, logger } = deps;
  const id = o.runId ?? (await backupRepo.insert(db, { trigger: o.trigger, requestedBy: null, status: 'running' })).id;
  if (o.runId) await backupRepo.start(db, id);
  const settings = backupSettings(config);
  try {
    const made = await createBackup({ config, handle: { db, kind: config.databaseUrl ? 'postgres' : 'pglite' }, outDir: settings.dir });
    await db.transaction().execute(async (tx) => {
      await backupRepo.finish(tx, id, { status: 'succeeded', file: made.file, size: made.size });
      await withdrawNoticesOfKinds(tx, BACKUP_NOTICE_KINDS);
    });
    const removed = await pruneArchives(settings.dir, settings.keep);
    logger.info({ file: made.file, size: made.size, removed }, 'backup: archive written');
    return { id, ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.transaction().execute(async (tx) => {
      await backupRepo.finish(tx, id, { status: 'failed', error: message.slice(0, 4000) });
      await tellBackupFailed(tx, { at: new Date(), error: message, publicUrl: config.publicUrl });
    });
    logger.error({ err: error, runId: id }, 'backup: failed');
    return { id, ok: false };
  }
}

/** Deletes all but the newest `keep` archives of `dir` (by their time-stamped names); returns the names deleted. */
async function pruneArchives(dir: string, keep: number): Promise<string[]> {
  const archives = (await readdir(dir)).filter((n) => /^vanthu-backup-\d{8}-\d{6}\.tar$/.test(n)).sort().reverse();
  const old = archives.slice(keep);
  for (const name of old) await unlink(path.join(dir, name));
  return old;
}

/** The daily backup (02:00 Vietnam time): schedules its next run first, so a failed backup never stops the series. */
export const scheduledBackupJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'backup.scheduled',
  payload: z.object({}),
  maxAttempts: 1,
  handle: async ({ deps }) => {
    const next = nextBackupAt();
    await enqueue(deps.db, scheduledBackupJob, {}, { runAt: next, dedupeKey: `backup.scheduled:${vietnamDay(next)}` });
    await runServerBackup(deps, { trigger: 'scheduled' });
  },
});

/** A backup an administrator asked for («Sao lưu ngay»): its run row exists, queued. */
export const manualBackupJob = defineJob({
  type: 'backup.manual',
  payload: z.object({ runId: z.uuid() }),
  maxAttempts: 1,
  handle: async ({ deps }, { runId }) => {
    await runServerBackup(deps, { runId, trigger: 'manual' });
  },
});

/** The hourly freshness check: schedules its next run first, then warns when no backup has succeeded for too long (warnIfStale). */
export const backupWatchJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'backup.watch',
  payload: z.object({}),
  maxAttempts: 3,
  handle: async ({ deps, logger }) => {
    const next = new Date(Date.now() + 3_600_000);
    await enqueue(deps.db, backupWatchJob, {}, { runAt: next, dedupeKey: `backup.watch:${next.toISOString().slice(0, 13)}` });
    if (await warnIfStale(deps.db, { publicUrl: deps.config.publicUrl })) logger.warn('backup: no successful backup for too long, administrators warned');
  },
});

/** The backup job types, for the worker's registry. */
export const BACKUP_JOBS = [scheduledBackupJob, manualBackupJob, backupWatchJob] as unknown as JobDefinition[];
