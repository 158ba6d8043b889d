import { audit, auditActorOf } from '../../../platform/audit/audit.ts';
import { enqueue } from '../../../platform/jobs/jobs.ts';
import { authorize } from '../../../policies/index.ts';
import { RECIPIENT_STATUS_LABELS, type RecipientStatusCode } from '../../outgoing/outgoing.status.ts';
import { formatDocumentNumber } from '../../registers/document-types.ts';
import { exchangeOutboxNotFound, readStoredError } from './connector.errors.ts';
import { exchangeTickJob } from './connector.jobs.ts';
import { connectorRepo } from './connector.repository.ts';
import type { Ctx } from './connector.service.ts';

/**
 * The packages the agency sends through the axis, as the clerk who dispatches sees them: which
 * document, to whom, what kind (the document, a recall, an update, a replacement, or a handling status
 * about a document received), whether it went, how often it was tried, why it failed — and the one
 * thing to do about a failed one: send it again once the cause is fixed.
 */

type OutboxRow = Awaited<ReturnType<typeof connectorRepo.listOutbox>>[number];

/** An outbox row for the clerk: the stored row's fields, the document's số/ký hiệu and trích yếu, the recipient's name, the error's code and words. */
export function presentOutbox(row: OutboxRow) {
  const { payload, outgoingNumber, incomingNumber, documentNotation, documentSubject, ...fields } = row;
  const statusCode = row.packageKind === 'status' ? String((payload as { statusCode?: unknown } | null)?.statusCode ?? '') : null;
  const number = outgoingNumber !== null ? formatDocumentNumber(outgoingNumber) : incomingNumber ?? '';
  const error = row.lastError ? readStoredError(row.lastError) : undefined;
  return {
    ...fields,
    statusCode,
    statusLabel: statusCode ? RECIPIENT_STATUS_LABELS[statusCode as RecipientStatusCode] ?? statusCode : null,
    document: {
      kind: row.outgoingId ? 'outgoing' as const : 'incoming' as const,
      id: row.outgoingId ?? row.incomingId,
      code: [number, documentNotation].filter(Boolean).join('/'),
      subject: documentSubject ?? '',
    },
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
  };
}
export type OutboxPackage = ReturnType<typeof presentOutbox>;

/** The agency's outbox, newest first, with each package's document, recipient, attempts and last error. Throws forbidden. */
export async function listOutbox(c: Ctx & { status?: 'pending' | 'sent' | 'failed'; limit: number; offset: number }): Promise<OutboxPackage[]> {
  authorize(c.actor, 'exchange.view', { agencyId: c.actor.agencyId });
  const rows = await connectorRepo.listOutbox(c.db, { agencyId: c.actor.agencyId, status: c.status, limit: c.limit, offset: c.offset });
  return rows.map(presentOutbox);
}

/**
 * What of the exchange waits for a person, as counts for the home page: the agency's packages that could
 * not be sent after every attempt, and its received packages that were refused. Throws forbidden.
 */
export async function exchangeAlerts(c: Ctx): Promise<{ failedPackages: number; refusedPackages: number }> {
  authorize(c.actor, 'exchange.view', { agencyId: c.actor.agencyId });
  const [failedPackages, refusedPackages] = await Promise.all([
    connectorRepo.countOutbox(c.db, c.actor.agencyId, 'failed'),
    connectorRepo.countRefused(c.db, c.actor.agencyId),
  ]);
  return { failedPackages, refusedPackages };
}

/**
 * Puts a failed package back in the queue (after the cause was fixed) and has the connector run at
 * once. Throws forbidden, exchange.outbox_not_found (also for a package that has not failed).
 */
export async function retryOutbox(c: Ctx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const row = await connectorRepo.findOutbox(tx, c.id);
    const agencyId = row ? await connectorRepo.outboxAgencyId(tx, row) : undefined;
    if (!row || agencyId !== c.actor.agencyId) throw exchangeOutboxNotFound();
    authorize(c.actor, 'exchange.operate', { agencyId });
    const requeued = await connectorRepo.requeue(tx, c.id);
    if (!requeued) throw exchangeOutboxNotFound({ status: row.status }, { message: 'Chỉ gửi lại được gói tin đã lỗi.' });
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'EXCHANGE_OUTBOX_REQUEUED', entityType: 'exchange', entityId: c.id, agencyId });
    await enqueue(tx, exchangeTickJob, {}, { dedupeKey: `exchange.tick:retry:${c.id}:${Date.now()}` });
    return requeued;
  });
}
