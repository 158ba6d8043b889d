import { audit } from '../../platform/audit/audit.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { auditActor, guard, lockDocument, type Ctx } from './outgoing.context.ts';
import { applyRecipientStatus } from './outgoing.service.ts';
import { vnDate } from './outgoing-issue.service.ts';
import { receiveSenderRequest } from '../incoming/incoming-requests.service.ts';

/**
 * Recalls (thu hồi) an issued document: every recipient gets status 13 (asked). Agencies on this
 * install get the recall request on their incoming document at once, external ones through a recall
 * package (BusinessDocType 1) written to the exchange outbox, both in the same transaction; the
 * recipient clerk's answer comes back as 15/16 (incoming-requests.service.ts).
 * Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function recallOutgoing(c: Ctx & { id: string; reason: string }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.recall', 'recalled');
    const doc = subject.row;
    const at = new Date();
    const recipients = await outgoingRepo.listRecipients(tx, doc.id);
    for (const r of recipients) {
      await applyRecipientStatus(tx, r, { code: '13', at, description: c.reason });
      if (r.kind === 'agency' && r.incomingId) await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'recall', reason: c.reason });
      if (r.kind === 'external' && r.agencyCode) {
        await outgoingRepo.insertOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: 1, payload: {
          documentId: doc.id, codeNumber: String(doc.number ?? ''), codeNotation: doc.notation ?? '', promulgationDate: doc.issuedAt ? vnDate(doc.issuedAt) : null,
          subject: doc.subject, reason: c.reason, statusCode: '13',
        } });
      }
    }
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'recalled', recallReason: c.reason });
    await audit(tx, auditActor(c), { type: 'OUTGOING_RECALL_REQUESTED', entityType: 'outgoing', entityId: doc.id, data: { reason: c.reason, recipients: recipients.length } });
    return updated;
  });
}
