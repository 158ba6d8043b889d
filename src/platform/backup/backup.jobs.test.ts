import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createEmptyPgDatabase, dropPgDatabases } from '../../test/db.ts';
import { makeAgency, makeDeps } from '../../test/factories.ts';
import type { AppDeps } from '../deps.ts';
import { nextBackupAt, runServerBackup, scheduledBackupJob } from './backup.jobs.ts';
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
