import { audit, auditActorOf } from '../../../platform/audit/audit.ts';
import type { Db } from '../../../platform/db/client.ts';
import { authorize } from '../../../policies/index.ts';
import { attachFile } from '../../files/files.service.ts';
import { exchangeNotIssued, exchangeRequestAnswered, exchangeRequestNotFound } from './connector.errors.ts';
import { connectorRepo } from './connector.repository.ts';
import type { StoredFile } from './connector.apply.ts';
import type { Ctx } from './connector.service.ts';

type UpdatePayload = { subject?: string; dueDate?: string | null; files?: StoredFile[] };

/** Recall/update requests from senders, for the clerk (pending first by default). Throws forbidden. */
export async function listRequests(c: Ctx & { status?: 'pending' | 'agreed' | 'refused' }) {
  authorize(c.actor, 'exchange.view', { agencyId: c.actor.agencyId });
  return connectorRepo.listRequests(c.db, c.actor.agencyId, c.status);
}

/** Queues a status package (15 agree / 16 refuse) about an incoming document back to its sender. */
async function queueAnswer(tx: Db, o: { agencyId: string; incomingId: string; senderCode: string; documentId: string; code: '15' | '16'; description: string; staff: string; doc: { number: string; notation: string; documentDate: string | null } }) {
  const me = await connectorRepo.agency(tx, o.agencyId);
  await connectorRepo.insertStatusOutbox(tx, { incomingId: o.incomingId, recipientAgencyCode: o.senderCode, payload: {
    statusCode: o.code, description: o.description, timestamp: new Date().toISOString(),
    responseFor: { organId: o.senderCode, code: [o.doc.number, o.doc.notation].filter(Boolean).join('/'), promulgationDate: o.doc.documentDate, documentId: o.documentId },
    from: { organId: me?.code ?? '', organName: me?.name ?? '', organAdd: me?.address ?? '', email: me?.email ?? '', telephone: me?.phone ?? '' },
    staffInfo: { staff: o.staff },
  } });
}

/**
 * The clerk answers a sender's recall or update request (ND 30 Art. 18.4.b): agreeing to a recall takes
 * the document out of every active list (status 'recalled', history kept); agreeing to an update
 * applies the new subject / deadline / files; either way 15 (agree) or 16 (refuse) goes back to the
 * sender in the same transaction. Throws exchange.request_not_found, exchange.request_answered, forbidden.
 */
export async function answerRequest(c: Ctx & { id: string; agree: boolean; note: string }) {
  return c.db.transaction().execute(async (tx) => {
    const request = await connectorRepo.findRequestForUpdate(tx, c.id);
    if (!request || request.agencyId !== c.actor.agencyId) throw exchangeRequestNotFound();
    authorize(c.actor, 'exchange.operate', { agencyId: request.agencyId });
    const answered = await connectorRepo.answerRequest(tx, c.id, { status: c.agree ? 'agreed' : 'refused', answeredBy: c.actor.id });
    if (!answered) throw exchangeRequestAnswered({ status: request.status });
    const doc = await connectorRepo.findIncoming(tx, request.incomingId);
    if (!doc) throw exchangeRequestNotFound();
    if (c.agree && request.kind === 'recall') await connectorRepo.updateIncoming(tx, doc.id, { status: 'recalled' });
    if (c.agree && request.kind === 'update') await applyUpdate(tx, doc, request.payload as UpdatePayload);
    const what = request.kind === 'recall' ? 'thu hồi' : 'cập nhật';
    const description = `${c.agree ? 'Đồng ý' : 'Từ chối'} ${what}${c.note ? `: ${c.note}` : ''}`;
    await queueAnswer(tx, { agencyId: request.agencyId, incomingId: doc.id, senderCode: request.senderCode, documentId: request.documentId, code: c.agree ? '15' : '16', description, staff: c.actor.fullName, doc });
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), {
      type: 'EXCHANGE_REQUEST_ANSWERED', entityType: 'incoming', entityId: doc.id, agencyId: request.agencyId, data: { requestId: request.id, kind: request.kind, agree: c.agree, note: c.note },
    });
    return answered;
  });
}

async function applyUpdate(tx: Db, doc: { id: string; agencyId: string }, p: UpdatePayload): Promise<void> {
  await connectorRepo.updateIncoming(tx, doc.id, { ...(p.subject && { subject: p.subject }), ...(p.dueDate !== undefined && { dueDate: p.dueDate }) });
  for (const f of p.files ?? []) {
    await attachFile(tx, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: f.kind, upload: f, createdBy: null, note: 'Cập nhật qua trục liên thông' });
  }
}

/**
 * Sends an update (BussinessDocType 2) of an issued document to its external recipients: new subject
 * and/or deadline with the reason; each recipient answers 15/16. The outgoing document itself is not
 * changed here (that is the outgoing flow's). Throws exchange.not_issued, forbidden.
 */
export async function sendUpdate(c: Ctx & { outgoingId: string; reason: string; subject?: string; dueDate?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    const doc = await connectorRepo.outgoingForPackage(tx, c.outgoingId);
    if (!doc || doc.agencyId !== c.actor.agencyId) throw exchangeNotIssued();
    authorize(c.actor, 'exchange.operate', { agencyId: doc.agencyId });
    const documentId = await connectorRepo.documentIdOf(tx, doc.id);
    const recipients = (await connectorRepo.externalRecipients(tx, doc.id)).filter((r) => r.agencyCode);
    if (!documentId || recipients.length === 0) throw exchangeNotIssued({ outgoingId: doc.id });
    const changes = { ...(c.subject && { subject: c.subject }), ...(c.dueDate !== undefined && { dueDate: c.dueDate }) };
    for (const r of recipients) {
      await connectorRepo.insertEdocOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode ?? '', businessDocType: 2, payload: { reason: c.reason, changes } });
    }
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'EXCHANGE_UPDATE_SENT', entityType: 'outgoing', entityId: doc.id, agencyId: doc.agencyId, data: { reason: c.reason, changes, recipients: recipients.length } });
    return { recipients: recipients.length };
  });
}
