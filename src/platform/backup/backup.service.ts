import type { Db } from '../db/client.ts';
import type { Config } from '../config.ts';
import { enqueue } from '../jobs/jobs.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { audit, auditActorOf } from '../audit/audit.ts';
import { manualBackupJob } from './backup.jobs.ts';
import { backupRepo } from './backup.repository.ts';
import { backupSettings } from './backup.ts';
import { backupHealth } from './backup.alerts.ts';

/** The subject of rule backup.manage: the actor's agency, the install's top-level one when it has no parent. */
export const backupSubject = (agencyId: string, parentId: string | null | undefined) => ({ id: agencyId, ancestorIds: parentId ? [parentId] : [] });

/** Backups are of the whole install: the administrators of its top-level agency see and start them ('backup.manage'). Throws forbidden. */
async function assertBackupAdmin(db: Db, actor: Actor): Promise<void> {
  authorize(actor, 'backup.manage', backupSubject(actor.agencyId, await backupRepo.agencyParentId(db, actor.agencyId)));
}

const present = (r: Awaited<ReturnType<typeof backupRepo.list>>[number]) => ({
  id: r.id, trigger: r.trigger, status: r.status, createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt,
  fileName: r.file ? r.file.split(/[\\/]/).pop()! : null, size: r.size, error: r.error,
});
export type BackupRunView = ReturnType<typeof present>;

/** The latest backup runs, newest first, how the backups stand (health), where archives go and how many are kept. Throws forbidden. */
export async function listBackupRuns(c: { db: Db; actor: Actor; config: Config }) {
  await assertBackupAdmin(c.db, c.actor);
  const settings = backupSettings(c.config);
  return { runs: (await backupRepo.list(c.db, 60)).map(present), health: await backupHealth(c.db), dir: settings.dir, keep: settings.keep, database: c.config.databaseUrl ? 'postgres' : 'pglite' };
}

/** «Sao lưu ngay»: queues a backup by the server (one at a time: a queued or running one is returned instead). Throws forbidden. */
export async function requestBackup(c: { db: Db; actor: Actor; ip?: string; requestId?: string }): Promise<BackupRunView> {
  await assertBackupAdmin(c.db, c.actor);
  return c.db.transaction().execute(async (tx) => {
    const pending = (await backupRepo.list(tx, 5)).find((r) => r.status === 'queued' || r.status === 'running');
    if (pending) return present(pending);
    const { id } = await backupRepo.insert(tx, { trigger: 'manual', requestedBy: c.actor.id, status: 'queued' });
    await enqueue(tx, manualBackupJob, { runId: id });
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'BACKUP_REQUESTED', entityType: 'agency', entityId: c.actor.agencyId, agencyId: c.actor.agencyId, data: { runId: id } });
    return present((await backupRepo.list(tx, 1))[0]!);
  });
}
