import { audit } from '../../platform/audit/audit.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { auditActor, guard, lockDocument, type Ctx } from './outgoing.context.ts';
import { applyRecipientStatus } from './outgoing.service.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { receiveSenderRequest, type UpdateChanges } from '../incoming/incoming-requests.service.ts';

/**
 * Recalls (thu hồi) an issued document: every recipient gets status 13 (asked). Agencies on this
 * install get the recall request on their incoming document at once, external ones through a recall
 * package (BusinessDocType 1) written to the exchange outbox, both in the same transaction (and the
 * unread notices of its recipient units are taken back); the
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
      // A recipient that refused the document (02) holds nothing to recall: no request, no 13.
      if (r.statusCode === '02') continue;
      await applyRecipientStatus(tx, r, { code: '13', at, description: c.reason });
      if (r.kind === 'agency' && r.incomingId) await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'recall', reason: c.reason });
      if (r.kind === 'external' && r.agencyCode) {
        await outgoingRepo.insertOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: 1, payload: {
          documentId: doc.id, codeNumber: String(doc.number ?? ''), codeNotation: doc.notation ?? '', promulgationDate: doc.issuedAt ? vietnamDay(doc.issuedAt) : null,
          subject: doc.subject, reason: c.reason, statusCode: '13',
        } });
      }
    }
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'recalled', recallReason: c.reason });
    // the members of a recipient unit may no longer open it: their unread notices about it go
    await outgoingRepo.withdrawNotices(tx, doc.id);
    await audit(tx, auditActor(c), { type: 'OUTGOING_RECALL_REQUESTED', entityType: 'outgoing', entityId: doc.id, data: { reason: c.reason, recipients: recipients.length } });
    return updated;
  });
}

/**
 * Sends an update (cập nhật, BussinessDocType 2) of an issued document: a new trích yếu and/or deadline
 * with the reason. Agencies on this install get the request on their incoming document at once, external
 * ones an update package through the exchange outbox, in one transaction; each recipient's clerk answers
 * 15 (agreed) or 16 (refused), which comes back on the recipient's timeline. Recipients that refused the
 * document (02) are left out. The issued document and its register entry stay as issued.
 * Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function updateOutgoing(c: Ctx & { id: string; reason: string; subject?: string; dueDate?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.recall', ['issued']);
    const doc = subject.row;
    const changes: UpdateChanges = { ...(c.subject && { subject: c.subject }), ...(c.dueDate !== undefined && { dueDate: c.dueDate }) };
    const recipients = (await outgoingRepo.listRecipients(tx, doc.id)).filter((r) => r.statusCode !== '02');
    let sent = 0;
    for (const r of recipients) {
      if (r.kind === 'agency' && r.incomingId) sent += (await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'update', reason: c.reason, changes })) ? 1 : 0;
      if (r.kind === 'external' && r.agencyCode) {
        await outgoingRepo.insertOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: 2, payload: { reason: c.reason, changes } });
        sent += 1;
      }
    }
    await audit(tx, auditActor(c), { type: 'EXCHANGE_UPDATE_SENT', entityType: 'outgoing', entityId: doc.id, data: { reason: c.reason, changes, recipients: sent } });
    return { recipients: sent };
  });
}
