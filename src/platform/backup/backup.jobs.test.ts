import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createEmptyPgDatabase, dropPgDatabases } from '../../test/db.ts';
import { makeAgency, makeDeps, makeUser } from '../../test/factories.ts';
import type { AppDeps } from '../deps.ts';
import { backupWatchJob, nextBackupAt, runServerBackup, scheduledBackupJob } from './backup.jobs.ts';
import { warnIfStale } from './backup.alerts.ts';
import { listBackupRuns } from './backup.service.ts';
import { backupRepo } from './backup.repository.ts';
import { verifyBackup } from './backup.ts';
import { startWorker } from '../jobs/jobs.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

describe(`the server's own backups (${adminUrl ? 'PostgreSQL' : 'PGlite on disk, open in this process'})`, () => {
  let handle: DatabaseHandle;
  let deps: AppDeps;
  let pgName: string | undefined;
  let backupDir: string;

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-backup-job-'));
    const dirs = { dataDir, pgliteDir: path.join(dataDir, 'pglite'), blobDir: path.join(dataDir, 'blobs'), outboxDir: path.join(dataDir, 'outbox') };
    if (adminUrl) {
      const target = await createEmptyPgDatabase(adminUrl, 'backup_job');
      pgName = target.name;
      handle = await openDatabase({ url: target.url });
      await migrateToLatest(handle.db);
      deps = await makeDeps(handle.db, { ...dirs, databaseUrl: target.url });
    } else {
      // like the server: PGlite in DATA_DIR/pglite, open in this process while the job runs
      handle = await openDatabase({ dataDir: dirs.pgliteDir, loadDataDir: new Blob([await readFile(inject('pgliteTemplatePath'))]) });
      deps = await makeDeps(handle.db, dirs);
    }
    backupDir = await mkdtemp(path.join(tmpdir(), 'vanthu-backups-'));
    process.env.BACKUP_DIR = backupDir;
    process.env.BACKUP_KEEP = '2';
  });
  afterAll(async () => {
    delete process.env.BACKUP_DIR;
    delete process.env.BACKUP_KEEP;
    await handle?.close();
    if (adminUrl && pgName) await dropPgDatabases(adminUrl, [pgName]);
    await rm(backupDir, { recursive: true, force: true });
    await rm(deps.config.dataDir, { recursive: true, force: true });
  });

  test('each run writes a verified archive of the open database, is recorded, and only the newest BACKUP_KEEP archives stay', async () => {
    const agency = await makeAgency(handle.db, { name: 'Sở Sao lưu định kỳ' });
    for (let i = 0; i < 3; i++) {
      expect((await runServerBackup(deps, { trigger: 'scheduled' })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 1100)); // archive names are to the second
    }
    const runs = await backupRepo.list(handle.db, 10);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const kept = (await readdir(backupDir)).filter((n) => n.endsWith('.tar')).sort();
    expect(kept).toHaveLength(2);
    expect(kept.at(-1)).toBe(path.basename(runs[0]!.file!));
    expect(runs[0]!.size).toBeGreaterThan(0);
    const { problems, manifest } = await verifyBackup(runs[0]!.file!);
    expect(problems).toEqual([]);
    expect(manifest.database).toBe(adminUrl ? 'postgres' : 'pglite');
    // the dump holds what was committed before it
    if (!adminUrl) {
      const restored = await openDatabase({ loadDataDir: new Blob([await extractDump(runs[0]!.file!)]) });
      expect(await restored.db.selectFrom('agency').select('name').where('id', '=', agency.id).executeTakeFirst()).toEqual({ name: 'Sở Sao lưu định kỳ' });
      await restored.close();
    }
  });

  test('a failed backup is recorded with its error and not thrown; the daily job schedules the next 02:00 first', async () => {
    process.env.BACKUP_DIR = path.join(backupDir, 'not-a-dir');
    await writeFile(process.env.BACKUP_DIR, 'a file where the directory should be');
    try {
      await handle.db.deleteFrom('job').where('type', '=', 'backup.scheduled').execute();
      await handle.db.insertInto('job').values({ type: 'backup.scheduled', payload: '{}', runAt: new Date(), maxAttempts: 1, dedupeKey: 'test' }).execute();
      const worker = startWorker({ deps, jobs: [scheduledBackupJob as never], autoStart: false });
      expect(await worker.runOnce()).toBe(1);
      const [last] = await backupRepo.list(handle.db, 1);
      expect(last).toMatchObject({ status: 'failed', trigger: 'scheduled' });
      expect(last!.error).toBeTruthy();
      const next = await handle.db.selectFrom('job').select(['runAt', 'doneAt', 'failedAt']).where('type', '=', 'backup.scheduled').where('doneAt', 'is', null).executeTakeFirstOrThrow();
      expect(next.runAt.toISOString()).toBe(nextBackupAt().toISOString());
    } finally {
      process.env.BACKUP_DIR = backupDir;
    }
  });

  describe('the backup administrators are told', () => {
    let admin: Awaited<ReturnType<typeof makeUser>>;
    let communeAdmin: Awaited<ReturnType<typeof makeUser>>;
    let clerk: Awaited<ReturnType<typeof makeUser>>;
    const noticesOf = (userId: string) => handle.db.selectFrom('incomingNotice').select(['kind', 'message', 'readAt']).where('userId', '=', userId).orderBy('id').execute();
    const unreadBackupNotices = async (userId: string) => (await noticesOf(userId)).filter((n) => n.kind.startsWith('backup_') && !n.readAt);
    /** Moves every recorded moment of the backups `hours` into the past, as if that time had gone by. */
    const hoursPass = async (hours: number, o: { onlySucceeded?: boolean } = {}) => {
      const back = (column: string) => sql<Date>`${sql.ref(column)} - ${hours} * interval '1 hour'`;
      let runs = handle.db.updateTable('backupRun').set({ createdAt: back('created_at'), startedAt: back('started_at'), finishedAt: back('finished_at') });
      if (o.onlySucceeded) runs = runs.where('status', '=', 'succeeded');
      await runs.execute();
      if (o.onlySucceeded) return;
      await handle.db.updateTable('incomingNotice').set({ createdAt: back('created_at') }).where('kind', 'like', 'backup\\_%').execute();
      await handle.db.updateTable('job').set({ createdAt: back('created_at') }).where('type', '=', 'backup.scheduled').execute();
    };
    const failOnce = async () => {
      process.env.BACKUP_DIR = path.join(backupDir, 'not-a-dir');
      try {
        expect((await runServerBackup(deps, { trigger: 'scheduled' })).ok).toBe(false);
      } finally {
        process.env.BACKUP_DIR = backupDir;
      }
    };

    beforeAll(async () => {
      const province = await makeAgency(handle.db, { name: 'UBND tỉnh Sao Lưu' });
      const commune = await makeAgency(handle.db, { parentId: province.id, level: 'commune' });
      admin = await makeUser(handle.db, { agencyId: province.id, roles: ['admin'] });
      communeAdmin = await makeUser(handle.db, { agencyId: commune.id, roles: ['admin'] });
      clerk = await makeUser(handle.db, { agencyId: province.id, roles: ['clerk'] });
    });

    test('a failed backup: a notice «Sao lưu dữ liệu thất bại lúc HH:mm dd/MM/yyyy: lý do» and a mail to the top-level agency\'s admins, nothing to a commune\'s admin or a clerk; the page shows the failure', async () => {
      await failOnce();
      const [notice, ...more] = await noticesOf(admin.user.id);
      expect(more).toEqual([]);
      expect(notice).toMatchObject({ kind: 'backup_failed', readAt: null });
      expect(notice!.message).toMatch(/^Sao lưu dữ liệu thất bại lúc \d\d:\d\d \d\d\/\d\d\/\d{4}: .+/);
      expect(await noticesOf(communeAdmin.user.id)).toEqual([]);
      expect(await noticesOf(clerk.user.id)).toEqual([]);
      const mails = (await handle.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string; text: string });
      expect(mails.filter((m) => m.to === admin.user.email)).toEqual([expect.objectContaining({ subject: 'Sao lưu dữ liệu thất bại', text: expect.stringContaining(notice!.message) })]);
      expect(mails.filter((m) => m.to === communeAdmin.user.email || m.to === clerk.user.email)).toEqual([]);
      const { health } = await listBackupRuns({ db: handle.db, actor: admin.actor, config: deps.config });
      expect(health).toMatchObject({ lastFailure: { error: expect.any(String) }, lastSuccessAt: expect.any(Date), isStale: false });
    });

    test('no success for more than 26 hours while the daily backup is scheduled: one warning, not within a day of the failure\'s notice, not again while nothing changes', async () => {
      await hoursPass(24, { onlySucceeded: true }); // the last success was the day before the failure
      await hoursPass(2.5);
      // 26.5 hours since the last success, but the failure was told 2.5 hours ago
      expect(await warnIfStale(handle.db, deps.config)).toBe(false);
      await hoursPass(22);
      expect(await warnIfStale(handle.db, deps.config)).toBe(true);
      const stale = (await noticesOf(admin.user.id)).filter((n) => n.kind === 'backup_stale');
      expect(stale).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Quá 26 giờ chưa có bản sao lưu dữ liệu thành công \(lần thành công gần nhất lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\)/) })]);
      expect(await noticesOf(communeAdmin.user.id)).toEqual([]);
      await hoursPass(1);
      expect(await warnIfStale(handle.db, deps.config)).toBe(false);
      await hoursPass(30);
      expect(await warnIfStale(handle.db, deps.config)).toBe(false);
      expect((await noticesOf(admin.user.id)).filter((n) => n.kind === 'backup_stale')).toHaveLength(1);
      expect((await listBackupRuns({ db: handle.db, actor: admin.actor, config: deps.config })).health).toMatchObject({ isStale: true, lastFailure: expect.anything() });
    });

    test('a successful backup takes the warnings back and the page is green; overdue again, the hourly job warns again', async () => {
      expect(await unreadBackupNotices(admin.user.id)).toHaveLength(2);
      expect((await runServerBackup(deps, { trigger: 'manual' })).ok).toBe(true);
      expect(await unreadBackupNotices(admin.user.id)).toEqual([]);
      const { health } = await listBackupRuns({ db: handle.db, actor: admin.actor, config: deps.config });
      expect(health).toMatchObject({ lastFailure: null, isStale: false, nextScheduledAt: expect.any(Date) });
      expect(Date.now() - health.lastSuccessAt!.getTime()).toBeLessThan(60_000);

      await hoursPass(27);
      await handle.db.updateTable('job').set({ runAt: new Date() }).where('type', '=', 'backup.watch').where('doneAt', 'is', null).execute();
      const worker = startWorker({ deps, jobs: [backupWatchJob as never], autoStart: false });
      expect(await worker.runOnce()).toBe(1);
      expect(await unreadBackupNotices(admin.user.id)).toEqual([expect.objectContaining({ kind: 'backup_stale' })]);
      const next = await handle.db.selectFrom('job').select('runAt').where('type', '=', 'backup.watch').where('doneAt', 'is', null).executeTakeFirstOrThrow();
      expect(next.runAt.getTime() - Date.now()).toBeGreaterThan(50 * 60_000);
    });
  });

  test('02:00 in Vietnam is 19:00 UTC: the next one after any instant', () => {
    expect(nextBackupAt(new Date('2026-12-07T18:59:00Z')).toISOString()).toBe('2026-12-07T19:00:00.000Z');
    expect(nextBackupAt(new Date('2026-12-07T19:00:00Z')).toISOString()).toBe('2026-12-08T19:00:00.000Z');
    expect(nextBackupAt(new Date('2026-12-07T20:30:00Z')).toISOString()).toBe('2026-12-08T19:00:00.000Z');
  });
});

/** The PGlite dump inside an archive. */
async function extractDump(file: string): Promise<Buffer<ArrayBuffer>> {
  const { extract } = await import('tar');
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-dump-'));
  try {
    await extract({ file, cwd: dir }, ['database/pglite.tar.gz']);
    return await readFile(path.join(dir, 'database', 'pglite.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
