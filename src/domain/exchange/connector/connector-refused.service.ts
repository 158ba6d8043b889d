import { audit, auditActorOf } from '../../../platform/audit/audit.ts';
import { enqueue } from '../../../platform/jobs/jobs.ts';
import { authorize } from '../../../policies/index.ts';
import { exchangeNotRefetchable, exchangeRefusedNotFound, readStoredError } from './connector.errors.ts';
import { exchangeTickJob } from './connector.jobs.ts';
import { connectorRepo } from './connector.repository.ts';
import type { Ctx } from './connector.service.ts';

/**
 * Received packages the connector refused (forged, altered, not for this agency, or never fetched
 * after every attempt), as the clerk sees them, and the one thing the clerk can do here besides asking
 * the sender to send again: have a package that could not be fetched fetched again.
 */

/** Written by the receiver when it gives up (connector.receive.ts `takeInFailed`): "… sau N lần thử: …". */
const ATTEMPTS = /sau (\d+) lần thử/;
/** The only refusal a new fetch can cure: the package could not be fetched or read from the axis; a signature or an addressee stays wrong. */
const REFETCHABLE = 'exchange.package_unreadable';

type RefusedRow = Awaited<ReturnType<typeof connectorRepo.listRefused>>[number];

/** A refused package for the clerk: sender, time, the reason's code and Vietnamese text, attempts, and whether fetching again can help. */
export function presentRefused(row: RefusedRow) {
  // Refusals are stored as `[code] message` (connector.accept.ts `refuse`).
  const stored = readStoredError(row.reason);
  const code = stored.code ?? 'exchange.package_refused';
  const message = stored.message;
  return {
    id: row.id, axisDocId: row.axisDocId, messageType: row.messageType, receivedAt: row.receivedAt,
    senderCode: row.senderCode, senderName: row.senderName, senderMail: row.senderMail,
    reason: row.reason, code, message,
    attempts: code === REFETCHABLE ? Number(ATTEMPTS.exec(message)?.[1] ?? 1) : 1,
    canRefetch: code === REFETCHABLE,
  };
}
export type RefusedPackage = ReturnType<typeof presentRefused>;

/** The agency's refused packages, newest first (at most 200). Throws forbidden. */
export async function listRefused(c: Ctx): Promise<RefusedPackage[]> {
  authorize(c.actor, 'exchange.view', { agencyId: c.actor.agencyId });
  return (await connectorRepo.listRefused(c.db, c.actor.agencyId, 200)).map(presentRefused);
}

/**
 * Has a package that could not be fetched fetched again (after the axis fixed what broke it): its
 * refusal is forgotten — kept in the audit row with its reason — and the connector runs at once; the
 * axis still lists the package (acknowledged "fail", never "done"), so the next poll takes it in, or
 * counts its attempts again and refuses it anew. Throws exchange.refused_not_found, forbidden,
 * exchange.not_refetchable.
 */
export async function refetchRefused(c: Ctx & { id: number }): Promise<{ axisDocId: string }> {
  return c.db.transaction().execute(async (tx) => {
    const row = await connectorRepo.findRefusedForUpdate(tx, c.actor.agencyId, c.id);
    if (!row) throw exchangeRefusedNotFound();
    authorize(c.actor, 'exchange.operate', { agencyId: row.agencyId });
    if (readStoredError(row.reason).code !== REFETCHABLE) throw exchangeNotRefetchable({ id: c.id });
    await connectorRepo.deleteReceived(tx, row.id);
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), {
      type: 'EXCHANGE_REFUSED_REFETCH', entityType: 'exchange', entityId: row.axisDocId, agencyId: row.agencyId,
      data: { reason: row.reason, senderCode: row.senderCode, refusedAt: row.receivedAt },
    });
    await enqueue(tx, exchangeTickJob, {}, { dedupeKey: `exchange.tick:refetch:${row.id}:${Date.now()}` });
    return { axisDocId: row.axisDocId };
  });
}
