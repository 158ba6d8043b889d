import type { Db } from '../db/client.ts';

/** All SQL of the server's backup runs (table backup_run). */
export const backupRepo = {
  insert: (db: Db, v: { trigger: 'scheduled' | 'manual'; requestedBy: string | null; status: 'queued' | 'running' }) =>
    db.insertInto('backupRun').values({ ...v, startedAt: v.status === 'running' ? new Date() : null }).returning('id').executeTakeFirstOrThrow(),
  start: (db: Db, id: string) => db.updateTable('backupRun').set({ status: 'running', startedAt: new Date() }).where('id', '=', id).execute(),
  finish: (db: Db, id: string, v: { status: 'succeeded'; file: string; size: number } | { status: 'failed'; error: string }) =>
    db.updateTable('backupRun').set({ ...v, finishedAt: new Date() }).where('id', '=', id).execute(),
  list: (db: Db, limit: number) => db.selectFrom('backupRun').selectAll().orderBy('createdAt', 'desc').limit(limit).execute(),
};
