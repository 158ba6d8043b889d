import type { AppDeps } from '../../platform/deps.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { authorize, can } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { archiveRepo } from './archive.repository.ts';
import { schedulePass } from './archive.jobs.ts';
import { installTsaUrl } from '../certificates/certificates.tsa.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';

const STATUSES = ['pending', 'protected', 'failed', 'skipped'] as const;

/**
 * The archive renewal status an administrator sees: how many kept files are protected and until when,
 * the next renewals due, and the failures with their retry time. Scoped to the actor's agency, or the
 * whole install for the province administrator. Throws forbidden.
 */
export async function getArchiveStatus(deps: AppDeps, actor: Actor) {
  authorize(actor, 'archive.view', { agencyId: actor.agencyId });
  const scope = can(actor, 'archive.run', {}) ? null : actor.agencyId;
  const summary = await archiveRepo.summary(deps.db, scope);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, Number(summary.find((r) => r.status === s)?.count ?? 0)])) as Record<(typeof STATUSES)[number], number>;
  const protectedRow = summary.find((r) => r.status === 'protected');
  const present = (rows: Awaited<ReturnType<typeof archiveRepo.listRows>>) => rows.map((r) => ({
    id: r.id, ownerType: r.ownerType, ownerId: r.ownerId, fileName: r.fileName, version: r.version, level: r.level,
    // a Mật document's subject is for its participants only (architecture.md): the status page names it by number alone
    label: labelOf(r),
    protectedUntil: r.protectedUntil, renewDueAt: r.renewDueAt, renewals: r.renewals, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt,
    lastError: r.lastError, lastRenewedAt: r.lastRenewedAt,
  }));
  return {
    scope: scope ? 'agency' as const : 'install' as const,
    tsaConfigured: !!installTsaUrl(deps.config),
    marginDays: deps.config.archive.marginDays,
    counts,
    protectedUntil: { earliest: protectedRow?.earliestUntil ?? null, latest: protectedRow?.latestUntil ?? null },
    nextPassAt: await archiveRepo.nextPassAt(deps.db),
    nextRenewals: present(await archiveRepo.listRows(deps.db, scope, 'upcoming', 20)),
    failures: present(await archiveRepo.listRows(deps.db, scope, 'failed', 50)),
  };
}

type ListedRow = Awaited<ReturnType<typeof archiveRepo.listRows>>[number];

function labelOf(r: ListedRow): string {
  const isSecret = r.isSecretOutgoing === true || r.isSecretIncoming === true;
  const number = r.number && r.notation ? `${formatDocumentNumber(r.number)}/${r.notation}` : '';
  const subject = isSecret ? 'Văn bản mật' : (r.ownerType === 'outgoing' ? r.outgoingSubject : r.incomingSubject) ?? '';
  return [number, subject].filter(Boolean).join(' — ');
}

export type TArchiveStatus = Awaited<ReturnType<typeof getArchiveStatus>>;

/** Queues an archive pass now (the worker runs it). Throws forbidden. */
export async function requestArchivePass(deps: AppDeps, actor: Actor, o: { ip?: string } = {}): Promise<void> {
  authorize(actor, 'archive.run', {});
  await deps.db.transaction().execute(async (tx) => {
    await schedulePass(tx, new Date(), 'manual');
    await audit(tx, auditActorOf(actor, o.ip), { type: 'ARCHIVE_PASS_RUN', entityType: 'archive', entityId: 'archive.renew', agencyId: actor.agencyId, data: { by: 'web' } });
  });
}
