import { audit, auditActorOf, SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { authorize, can } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { attachFile } from '../files/files.service.ts';
import { incomingRepo, searchTextOf, type IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { requestsRepo, type RequestKind, type RequestStatus } from './incoming-requests.repository.ts';
import { incomingNotFound, incomingRequestAnswered, incomingRequestDocumentRecalled, incomingRequestDocumentReturned, incomingRequestNotFound } from './incoming.errors.ts';
import { SENDER_STATUS } from './incoming.status.ts';
import { sendStatusToSender, type StaffInfo } from './incoming.sender.ts';
import { ASKING_NOTICES, documentLabel, notifyUsers } from './incoming.notify.ts';
import { moveTo, toSubject, type ServiceCtx } from './incoming.shared.ts';
import { listUsersWithRole } from '../users/users.directory.ts';

type UpdateFile = { sha256: string; size: number; fileName: string; contentType: string; kind: 'main' | 'appendix' };
/** What an update request carries: the new subject and/or deadline, and new files (through the axis). */
export type UpdateChanges = { subject?: string; dueDate?: string | null; files?: UpdateFile[] };

const KIND_TEXT: Record<RequestKind, string> = { recall: 'thu hồi', update: 'cập nhật' };
// Documents no longer in anyone's work: nothing left to recall or update.
const CLOSED_STATUSES = ['refused', 'recalled'];

/** Who answers a request: a clerk or leader of the agency, or the system (no user) when a replacement took the document out. */
type Answerer = { audit: AuditActor; userId: string | null; staff?: StaffInfo };
const answererOf = (c: Pick<ServiceCtx, 'actor' | 'ip' | 'requestId'>): Answerer =>
  ({ audit: auditActorOf(c.actor, c.ip, c.requestId), userId: c.actor.id, staff: { name: c.actor.fullName } });
const systemAnswerer = (doc: IncomingDoc): Answerer => ({ audit: { ...SYSTEM_ACTOR, agencyId: doc.agencyId }, userId: null });

/**
 * Why a document's pending requests were answered by the system when it was taken out (the note of the answer,
 * after «Từ chối cập nhật: » for an update, «Đồng ý thu hồi: » for a recall its replacement or return settled).
 */
const TAKEN_OUT_NOTE = {
  recalled: 'Văn bản đã được thu hồi theo đề nghị của cơ quan gửi',
  replaced: 'Văn bản đã được thay thế bằng văn bản khác',
  returned: 'Văn bản đã được trả lại cơ quan gửi',
} as const;
type TakeOutReason = keyof typeof TAKEN_OUT_NOTE;

/**
 * Records a sender's recall or update request (ND 30 Art. 18.4.b) about an incoming document, in the
 * caller's transaction: the one way a request reaches the recipient agency, whether the sender is on
 * this install (outgoing recall / update) or came through the axis (BussinessDocType 1 / 2). The
 * agency's clerks and leaders who may see the document get a notice naming the request (a Mật one: its
 * participants only), which the answer takes back. A request about a document already returned (02),
 * recalled or replaced is answered at once by the system, so the sender does not wait on 13 for an answer
 * nobody here can give: a recall 15 (the document is already out of the agency's system, as it asks), an
 * update 16, with why («Văn bản đã được trả lại cơ quan gửi» …); nobody is told, and null is returned (no
 * request waits). A replayed package never gets here twice (the connector's package key), so it is answered once.
 */
export async function receiveSenderRequest(tx: Db, o: { incomingId: string; kind: RequestKind; reason: string; changes?: UpdateChanges }) {
  const doc = await incomingRepo.findForUpdate(tx, o.incomingId);
  if (!doc) return null;
  const request = await requestsRepo.insert(tx, {
    agencyId: doc.agencyId, incomingId: doc.id, kind: o.kind, documentId: doc.externalDocumentId ?? doc.sourceOutgoingId ?? '', senderCode: doc.issuerCode,
    reason: o.reason, payload: o.kind === 'update' ? o.changes ?? {} : {},
  });
  await audit(tx, { ...SYSTEM_ACTOR, agencyId: doc.agencyId }, {
    type: 'EXCHANGE_REQUEST_RECEIVED', entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId,
    data: { requestId: request.id, kind: o.kind, sender: doc.issuerCode, channel: doc.source, reason: o.reason },
  });
  if (CLOSED_STATUSES.includes(doc.status)) {
    const why = await whyTakenOut(tx, doc);
    await recordAnswer(tx, doc, request, { agree: o.kind === 'recall', note: TAKEN_OUT_NOTE[why], by: systemAnswerer(doc), isAutomatic: true });
    return null;
  }
  await notifyUsers(tx, { doc, userIds: await answerersOf(tx, doc), kind: 'request', exchangeRequestId: request.id, message: `${doc.issuerName} đề nghị ${KIND_TEXT[o.kind]} văn bản: ${documentLabel(doc)}` });
  return request;
}

/**
 * Why a document is no longer in the agency's work: returned to its sender (02), recalled at the sender's request
 * (a recall agreed other than by its replacement), or replaced.
 */
async function whyTakenOut(tx: Db, doc: IncomingDoc): Promise<TakeOutReason> {
  if (doc.status === 'refused') return 'returned';
  const recalls = (await requestsRepo.listForDocument(tx, doc.id)).filter((r) => r.kind === 'recall' && r.status === 'agreed');
  return recalls.some((r) => r.answerNote !== TAKEN_OUT_NOTE.replaced) ? 'recalled' : 'replaced';
}

/** The agency's clerks and leaders who may see `doc` (for a Mật document: its participants only), told of a request about it. */
async function answerersOf(tx: Db, doc: IncomingDoc): Promise<string[]> {
  const subject = toSubject(doc, await workRepo.listAssignments(tx, doc.id), []);
  const ids: string[] = [];
  for (const role of ['clerk', 'leader'] as const) {
    for (const u of await listUsersWithRole(tx, doc.agencyId, role)) {
      const actor: Actor = { id: u.id, agencyId: doc.agencyId, unitId: u.unitId, username: '', fullName: u.fullName, roles: [role] };
      if (can(actor, 'incoming.view', subject)) ids.push(u.id);
    }
  }
  return ids;
}

/**
 * Takes a received document out of the active lists because the sender issued a replacement (ND 30
 * Art. 18; BussinessDocType 3 through the axis, or a replacement issued on this install): it moves to
 * `recalled` (history kept, takeOut). The system answers its pending requests at once, so the sender does
 * not wait for answers no clerk can give: an update 16 (nothing is left to update), then a recall 15 with
 * «Văn bản đã được thay thế bằng văn bản khác». A recall asks the recipient to take the document out of its
 * system (Art. 18.4.b), which the replacement has just done: agreeing is the true answer, and the clerk's
 * only sensible one (a 16 would tell the sender its document is still held here). It comes after the
 * updates' 16, so it stays the sender's latest answer. Nothing happens to a document already refused or
 * recalled, or when it is the replacement itself.
 */
export async function takeOutReplaced(tx: Db, o: { incomingId: string; byIncomingId: string; documentId?: string | null }): Promise<void> {
  const old = await incomingRepo.findForUpdate(tx, o.incomingId);
  if (!old || old.id === o.byIncomingId || CLOSED_STATUSES.includes(old.status)) return;
  const by = systemAnswerer(old);
  const replaced = await takeOut(tx, old, 'replaced', by);
  await agreeSettledRecalls(tx, replaced, 'replaced', by);
  await audit(tx, { ...SYSTEM_ACTOR, agencyId: old.agencyId }, { type: 'EXCHANGE_REPLACED', entityType: 'incoming', entityId: old.id, agencyId: old.agencyId, data: { by: o.byIncomingId, documentId: o.documentId ?? null } });
}

/**
 * The agency's recall / update requests, newest first (only pending ones when asked), for its clerks,
 * leaders and admins; each sees the requests about documents they may see (admins: every ordinary
 * one, never a Mật one they take no part in). Throws forbidden.
 */
export async function listSenderRequests(c: Pick<ServiceCtx, 'db' | 'actor'> & { status?: RequestStatus }) {
  authorize(c.actor, 'incoming.list_requests', { agencyId: c.actor.agencyId });
  return (await requestsRepo.listForAgency(c.db, c.actor, c.status)).map(presentRequest);
}

/** The requests about one document (for its page), newest first. */
export async function requestsOf(db: Db, incomingId: string) {
  return (await requestsRepo.listForDocument(db, incomingId)).map(presentRequest);
}

function presentRequest(r: Awaited<ReturnType<typeof requestsRepo.listForDocument>>[number]) {
  const changes = r.kind === 'update' ? (r.payload as UpdateChanges) : {};
  return {
    id: r.id, incomingId: r.incomingId, kind: r.kind as RequestKind, status: r.status as RequestStatus, reason: r.reason, senderCode: r.senderCode,
    changes: { subject: changes.subject ?? null, dueDate: changes.dueDate ?? null, fileCount: changes.files?.length ?? 0 },
    answerNote: r.answerNote, answeredByName: r.answeredByName, answeredAt: r.answeredAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
    document: { subject: r.subject, number: r.number, notation: r.notation, issuerName: r.issuerName, arrivalNumber: r.arrivalNumber, arrivalYear: r.arrivalYear, status: r.incomingStatus },
  };
}
export type TSenderRequestView = ReturnType<typeof presentRequest>;

/**
 * The recipient agency's clerk or leader answers a sender's recall / update request: agreeing to a
 * recall moves the document to `recalled` (out of every active list, history kept) and answers its
 * pending update requests 16 (takeOut); agreeing to an update applies the new subject / deadline /
 * files, but not on a document recalled or replaced since (incoming.request_document_recalled: the
 * clerk refuses it instead); either way 15 (agree) or 16 (refuse) goes back to the sender in the same
 * transaction (on this install: their recipient timeline; through the axis: the outbox), and the
 * request's notices leave the bell of everyone told of it (another request's stay). Throws
 * incoming.request_not_found, forbidden, incoming.request_answered (with the current state),
 * incoming.request_document_recalled, incoming.request_document_returned (an update on a document returned
 * to its sender), incoming.not_found.
 */
export async function answerSenderRequest(c: ServiceCtx & { id: string; agree: boolean; note: string }) {
  return c.db.transaction().execute(async (tx) => {
    const found = await requestsRepo.find(tx, c.id);
    if (!found || found.agencyId !== c.actor.agencyId) throw incomingRequestNotFound();
    authorize(c.actor, 'incoming.answer_request', { agencyId: found.agencyId });
    // The document's row lock before the request's, the order receiving a request and taking the document out
    // (which answers its pending updates) lock them in: an update and a recall of one document answered at once cannot deadlock.
    const doc = await incomingRepo.findForUpdate(tx, found.incomingId);
    if (!doc) throw incomingNotFound();
    const request = await requestsRepo.findForUpdate(tx, c.id) ?? found;
    if (request.status !== 'pending') throw incomingRequestAnswered({ status: request.status, answeredAt: request.answeredAt?.toISOString() ?? null });
    const kind = request.kind as RequestKind;
    if (c.agree && kind === 'update' && doc.status === 'recalled') throw incomingRequestDocumentRecalled({ requestId: request.id, documentStatus: doc.status });
    if (c.agree && kind === 'update' && doc.status === 'refused') throw incomingRequestDocumentReturned({ requestId: request.id, documentStatus: doc.status });
    const by = answererOf(c);
    // applied first: a recall taking the document out answers its pending updates (16) before this request's 15, which stays the sender's last word
    const updated = c.agree ? await applyAgreed(tx, doc, kind, request.payload as UpdateChanges, by) : doc;
    const answered = await recordAnswer(tx, updated, request, { agree: c.agree, note: c.note.trim(), by });
    if (!answered) throw incomingRequestAnswered({ status: request.status });
    return { request: answered, document: updated };
  });
}

/**
 * Records the answer of a pending request, in the caller's transaction: the request's row, 15 (agreed) or 16
 * (refused) back to the sender, its notices taken back for everyone told of it, one audit row (`automatic`
 * when taking its document out answered it, not an answer of its own). Returns undefined when it was answered meanwhile (nothing written).
 */
async function recordAnswer(tx: Db, doc: IncomingDoc, request: { id: string; kind: string }, o: { agree: boolean; note: string; by: Answerer; isAutomatic?: boolean }) {
  const kind = request.kind as RequestKind;
  const answered = await requestsRepo.answer(tx, request.id, { status: o.agree ? 'agreed' : 'refused', answeredBy: o.by.userId, answerNote: o.note });
  if (!answered) return undefined;
  const description = `${o.agree ? 'Đồng ý' : 'Từ chối'} ${KIND_TEXT[kind]}${o.note ? `: ${o.note}` : ''}`;
  await sendStatusToSender(tx, doc, o.agree ? SENDER_STATUS.agreed : SENDER_STATUS.disagreed, { description, staff: o.by.staff });
  await withdrawNotices(tx, { incomingId: doc.id, exchangeRequestId: request.id }, ASKING_NOTICES.request);
  await audit(tx, o.by.audit, {
    type: 'EXCHANGE_REQUEST_ANSWERED', entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId,
    data: { requestId: request.id, kind, agree: o.agree, note: o.note, ...(o.isAutomatic && { automatic: true }) },
  });
  return answered;
}

async function applyAgreed(tx: Db, doc: IncomingDoc, kind: RequestKind, changes: UpdateChanges, by: Answerer): Promise<IncomingDoc> {
  if (kind === 'recall') return CLOSED_STATUSES.includes(doc.status) ? doc : takeOut(tx, doc, 'recalled', by);
  const subject = changes.subject || doc.subject;
  const updated = await incomingRepo.update(tx, doc.id, null, {
    subject, ...(changes.dueDate !== undefined && { dueDate: changes.dueDate }),
    searchText: searchTextOf({ issuerName: doc.issuerName, number: doc.number, notation: doc.notation, subject, signerName: doc.signerName, notes: doc.notes, ocrText: doc.ocrText }),
  }) ?? doc;
  for (const f of changes.files ?? []) {
    await attachFile(tx, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: f.kind, upload: f, createdBy: null, note: 'Cập nhật theo đề nghị của cơ quan gửi' });
  }
  return updated;
}

// Nobody registers, directs or handles a recalled document: the notices asking for it are answered (a request's stay until answered).
const WORK_NOTICES = [...ASKING_NOTICES.arrival, ...ASKING_NOTICES.direction, ...ASKING_NOTICES.handling];

/**
 * Moves a document to `recalled` (agreed recall, or replaced) and takes back, for everyone, the notices asking to
 * work on it. Its pending update requests have nothing left to update: each is answered 16 («Từ chối cập nhật: Văn
 * bản đã được thu hồi …»), so the sender does not wait for an answer that cannot come, and its notices go.
 */
async function takeOut(tx: Db, doc: IncomingDoc, why: TakeOutReason, by: Answerer): Promise<IncomingDoc> {
  const recalled = await moveTo(tx, doc, 'recalled');
  await withdrawNotices(tx, { incomingId: doc.id }, WORK_NOTICES);
  await refuseMootUpdates(tx, recalled, why, by);
  return recalled;
}

/**
 * Answers the requests still waiting on a document the clerk has just returned to its sender (02), in the refusal's
 * transaction, after the 02, so the sender does not wait for answers no clerk can give: each update 16 in the clerk's
 * name (nothing of it is kept here to update), then each recall 15 by the system («Đồng ý thu hồi: Văn bản đã được trả
 * lại cơ quan gửi»): the document has left the recipient's system, as the recall asked (a 16 would say it is still
 * held here), as takeOutReplaced does for a replacement; the recall's 15 stays the sender's latest answer. Their notices go with them.
 */
export async function settleRequestsOfReturned(tx: Db, c: Pick<ServiceCtx, 'actor' | 'ip' | 'requestId'>, doc: IncomingDoc): Promise<void> {
  await refuseMootUpdates(tx, doc, 'returned', answererOf(c));
  await agreeSettledRecalls(tx, doc, 'returned', systemAnswerer(doc));
}

/** Agrees (15 «Đồng ý thu hồi: <why>») each recall request still waiting on a document that has left the agency's system. */
async function agreeSettledRecalls(tx: Db, doc: IncomingDoc, why: TakeOutReason, by: Answerer): Promise<void> {
  for (const recall of await requestsRepo.pendingForUpdate(tx, doc.id, 'recall')) {
    await recordAnswer(tx, doc, recall, { agree: true, note: TAKEN_OUT_NOTE[why], by, isAutomatic: true });
  }
}

/** Answers 16 («Từ chối cập nhật: <why>») each update request still waiting on a document that has left the agency's work. */
async function refuseMootUpdates(tx: Db, doc: IncomingDoc, why: TakeOutReason, by: Answerer): Promise<void> {
  for (const update of await requestsRepo.pendingForUpdate(tx, doc.id, 'update')) {
    await recordAnswer(tx, doc, update, { agree: false, note: TAKEN_OUT_NOTE[why], by, isAutomatic: true });
  }
}
