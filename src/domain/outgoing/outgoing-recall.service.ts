import { audit } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { outgoingRepo, type RecipientRow } from './outgoing.repository.ts';
import { auditActor, guard, lockDocument, type Ctx } from './outgoing.context.ts';
import { applyRecipientStatusInBatch, flushRecipientStatuses, newRecipientStatusBatch } from './outgoing.service.ts';
import { UPDATE_ASKED } from './outgoing.status.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { receiveSenderRequest, type UpdateChanges } from '../incoming/incoming-requests.service.ts';
import { withdrawNotices } from '../notices/notices.service.ts';

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
    const recipients = await outgoingRepo.listRecipientsForUpdate(tx, doc.id);
    // A recipient that refused the document (02) holds nothing to recall: no request, no 13.
    const asked = recipients.filter((r) => r.statusCode !== '02');
    await markAsked(tx, asked, { at, description: c.reason, agencyId: doc.agencyId });
    for (const r of asked) {
      if (r.kind === 'agency' && r.incomingId) await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'recall', reason: c.reason });
      if (r.kind === 'external' && r.agencyCode) {
        await outgoingRepo.insertOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: 1, payload: {
          documentId: doc.id, promulgationDate: doc.issuedAt ? vietnamDay(doc.issuedAt) : null,
          subject: doc.subject, reason: c.reason, statusCode: '13',
        } });
      }
    }
    const updated = await outgoingRepo.update(tx, doc.id, doc.status, { status: 'recalled', recallReason: c.reason });
    // the members of a recipient unit may no longer open it: their unread notices about it go
    await withdrawNotices(tx, { outgoingId: doc.id });
    await audit(tx, auditActor(c), { type: 'OUTGOING_RECALL_REQUESTED', entityType: 'outgoing', entityId: doc.id, data: { reason: c.reason, recipients: recipients.length } });
    return updated;
  });
}

/**
 * Sends an update (cập nhật, BussinessDocType 2) of an issued document: a new trích yếu and/or deadline
 * with the reason (sendUpdateRequests). The issued document and its register entry stay as issued.
 * Throws outgoing.not_found, outgoing.bad_status, forbidden.
 */
export async function updateOutgoing(c: Ctx & { id: string; reason: string; subject?: string; dueDate?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    const subject = await lockDocument(tx, c.actor, c.id);
    guard(c.actor, subject, 'outgoing.recall', ['issued']);
    const changes: UpdateChanges = { ...(c.subject && { subject: c.subject }), ...(c.dueDate !== undefined && { dueDate: c.dueDate }) };
    const sent = (await sendUpdateRequests(tx, { outgoingId: subject.row.id, reason: c.reason, changes })) ?? 0;
    await audit(tx, auditActor(c), { type: 'EXCHANGE_UPDATE_SENT', entityType: 'outgoing', entityId: subject.row.id, data: { reason: c.reason, changes, recipients: sent } });
    return { recipients: sent };
  });
}

/**
 * Sends an update request of an issued document to its recipients, in the caller's transaction — the one
 * way an update goes out, from the document's page and from the connector's API alike. Agencies on this
 * install get the request on their incoming document at once, external ones an update package through the
 * exchange outbox; each recipient asked is marked so on the sender's side (13, "Đề nghị cập nhật: lý do",
 * as a recall marks it), until its clerk's answer (15 agreed / 16 refused) comes back on its timeline.
 * Recipients that refused the document (02), units of the agency itself (no one there answers) and agencies
 * whose copy is already closed are left out. Returns how many were asked; null when the document is not
 * (or no longer) issued: nothing is sent.
 */
export async function sendUpdateRequests(tx: Db, o: { outgoingId: string; reason: string; changes: UpdateChanges }): Promise<number | null> {
  const doc = await outgoingRepo.findForUpdate(tx, o.outgoingId);
  if (doc?.status !== 'issued') return null;
  const asked: RecipientRow[] = [];
  for (const r of (await outgoingRepo.listRecipientsForUpdate(tx, doc.id)).filter((x) => x.statusCode !== '02')) {
    if (r.kind === 'agency' && r.incomingId && (await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'update', reason: o.reason, changes: o.changes }))) asked.push(r);
    if (r.kind === 'external' && r.agencyCode) {
      await outgoingRepo.insertOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode, packageKind: 'edoc', businessDocType: 2, payload: { reason: o.reason, changes: o.changes } });
      asked.push(r);
    }
  }
  await markAsked(tx, asked, { at: new Date(), description: `${UPDATE_ASKED}: ${o.reason}`, agencyId: doc.agencyId });
  return asked.length;
}

/**
 * The sender's record that recipients were asked to answer a recall or an update: 13 on each one's
 * timeline and as its latest answer, with when and why — who still owes an answer (their 15/16 replaces it).
 */
async function markAsked(tx: Db, recipients: readonly RecipientRow[], o: { at: Date; description: string; agencyId: string }): Promise<void> {
  const batch = newRecipientStatusBatch();
  for (const r of recipients) await applyRecipientStatusInBatch(tx, batch, r, { code: '13', at: o.at, description: o.description, agencyId: o.agencyId });
  await flushRecipientStatuses(tx, batch);
}
