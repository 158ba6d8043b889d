import type { Db } from '../db/client.ts';

/** All SQL of the server's backup runs (table backup_run); the warnings about them are notices (src/domain/notices). */
export const backupRepo = {
  /** An agency's parent (null for the install's top-level agency), for rule backup.manage. */
  agencyParentId: async (db: Db, agencyId: string) =>
    (await db.selectFrom('agency').select('parentId').where('id', '=', agencyId).executeTakeFirst())?.parentId ?? null,
  insert: (db: Db, v: { trigger: 'scheduled' | 'manual'; requestedBy: string | null; status: 'queued' | 'running' }) =>
    db.insertInto('backupRun').values({ ...v, startedAt: v.status === 'running' ? new Date() : null }).returning('id').executeTakeFirstOrThrow(),
  start: (db: Db, id: string) => db.updateTable('backupRun').set({ status: 'running', startedAt: new Date() }).where('id', '=', id).execute(),
  finish: (db: Db, id: string, v: { status: 'succeeded'; file: string; size: number } | { status: 'failed'; error: string }) =>
    db.updateTable('backupRun').set({ ...v, finishedAt: new Date() }).where('id', '=', id).execute(),
  list: (db: Db, limit: number) => db.selectFrom('backupRun').selectAll().orderBy('createdAt', 'desc').limit(limit).execute(),
  /** The run of that outcome that finished last. */
  lastFinished: (db: Db, status: 'succeeded' | 'failed') =>
    db.selectFrom('backupRun').select(['id', 'finishedAt', 'error']).where('status', '=', status).where('finishedAt', 'is not', null)
      .orderBy('finishedAt', 'desc').limit(1).executeTakeFirst(),
  /** The daily backup's schedule: since when it exists (its first job) and its next run (none: not scheduled). */
  schedule: async (db: Db) => {
    const jobs = db.selectFrom('job').where('type', '=', 'backup.scheduled');
    const first = await jobs.select((eb) => eb.fn.min('createdAt').as('since')).executeTakeFirst();
    const next = await jobs.select('runAt').where('doneAt', 'is', null).where('failedAt', 'is', null).orderBy('runAt').limit(1).executeTakeFirst();
    return { since: first?.since ?? null, nextAt: next?.runAt ?? null };
  },
  /** The active users of the top-level agencies (those among whom rule backup.manage finds the install's backup administrators). */
  topAgencyUsers: (db: Db) =>
    db.selectFrom('appUser').innerJoin('agency', 'agency.id', 'appUser.agencyId')
      .select(['appUser.id', 'appUser.agencyId', 'appUser.unitId', 'appUser.username', 'appUser.fullName', 'appUser.email', 'appUser.roles'])
      .where('agency.parentId', 'is', null).where('appUser.isActive', '=', true).execute(),
};
