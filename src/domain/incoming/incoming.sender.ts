import type { Db } from '../../platform/db/client.ts';
import type { IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { senderRepo } from './incoming-sender.repository.ts';
import { SENDER_STATUS_TEXT, type SenderStatusCode } from './incoming.status.ts';
import { forwardToOutgoing } from './incoming.outgoing-link.ts';

export type StaffInfo = { name: string; unitName?: string | null; email?: string | null };

/**
 * Sends a QCVN 102 status (01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress, 06 done)
 * back to the agency that sent the document, in the caller's transaction: to the outgoing document's
 * recipient timeline for an agency on this install, or as an exchange_outbox 'status' package for an
 * external one (the connector sends it). Paper documents have no electronic sender: nothing is sent.
 */
export async function sendStatusToSender(tx: Db, doc: IncomingDoc, code: SenderStatusCode, o: { at?: Date; description?: string; staff?: StaffInfo } = {}): Promise<void> {
  await sendStatusesToSenders(tx, [doc], code, o);
}

/**
 * sendStatusToSender for several documents (documents taken in together): the status rows written in
 * one statement, the external senders' outbox packages in one more, with each agency read once.
 */
export async function sendStatusesToSenders(tx: Db, docs: readonly IncomingDoc[], code: SenderStatusCode, o: { at?: Date; description?: string; staff?: StaffInfo } = {}): Promise<void> {
  const at = o.at ?? new Date();
  const description = o.description ?? SENDER_STATUS_TEXT[code];
  const sent = docs.filter((doc) => doc.source !== 'paper');
  await workRepo.insertStatusOut(tx, sent.map((doc) => ({ incomingId: doc.id, code, at, description, channel: doc.source === 'internal' ? 'internal' as const : 'exchange' as const })));
  for (const doc of sent) {
    // the sender's timeline already names the code; only a reason (refusal, reopening) is worth adding
    if (doc.source === 'internal' && doc.sourceOutgoingId) await forwardToOutgoing(tx, { outgoingId: doc.sourceOutgoingId, recipientAgencyId: doc.agencyId, code, at, description: o.description ?? '' });
  }
  const external = sent.filter((doc) => doc.source !== 'internal');
  if (external.length === 0) return;
  const agencies = new Map<string, Awaited<ReturnType<typeof senderRepo.agency>>>();
  for (const id of new Set(external.map((doc) => doc.agencyId))) agencies.set(id, await senderRepo.agency(tx, id));
  await senderRepo.insertOutbox(tx, external.map((doc) => {
    const me = agencies.get(doc.agencyId);
    return {
      incomingId: doc.id,
      recipientAgencyCode: doc.issuerCode,
      payload: {
        statusCode: code,
        description,
        timestamp: at.toISOString(),
        responseFor: { organId: doc.issuerCode, code: [doc.number, doc.notation].filter(Boolean).join('/'), promulgationDate: doc.documentDate, documentId: doc.externalDocumentId },
        from: { organId: me?.code ?? '', organName: me?.name ?? '', organAdd: me?.address ?? '', email: me?.email ?? '', telephone: me?.phone ?? '' },
        staffInfo: { department: o.staff?.unitName ?? '', staff: o.staff?.name ?? '', email: o.staff?.email ?? '', mobile: '' },
      },
    };
  }));
}
