import { randomUUID } from 'node:crypto';
import { recordBlobs } from '../../../platform/blobs/blobs.ts';
import type { Db } from '../../../platform/db/client.ts';
import { DOCUMENT_TYPES, URGENCIES } from '../../registers/document-types.ts';
import { receiveExternalDocuments, type ExternalIntake, type IncomingMetadata } from '../../incoming/incoming.service.ts';
import { receiveSenderRequest, takeOutReplaced } from '../../incoming/incoming-requests.service.ts';
import { applyRecipientStatusInBatch, flushRecipientStatuses, newRecipientStatusBatch, type RecipientStatusBatch } from '../../outgoing/outgoing.service.ts';
import { RECIPIENT_STATUS_CODES, type RecipientStatusCode } from '../../outgoing/outgoing.status.ts';
import type { TEdxmlHeader, TStatusHeader } from '../edxml/edxml.schemas.ts';
import { connectorRepo } from './connector.repository.ts';

export type StoredFile = { sha256: string; size: number; fileName: string; contentType: string; kind: 'main' | 'appendix' };
type Applied = { outcome: 'accepted' | 'ignored'; reason: string; incomingId?: string };

const isRecipientCode = (code: string): code is RecipientStatusCode => code !== '13' && (RECIPIENT_STATUS_CODES as readonly string[]).includes(code);

/** A `yyyy/MM/dd` edXML day as a stored day `YYYY-MM-DD` (null when absent or malformed). */
export function storedDay(value: string | undefined): string | null {
  const m = value ? /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** An edXML `yyyy/MM/dd HH:mm:ss` timestamp (Vietnam time) as a Date; now when malformed. */
export function parseEdxmlTimestamp(value: string): Date {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`) : new Date();
}

/** The incoming-document metadata an edXML header carries. */
export function metadataOf(header: TEdxmlHeader): IncomingMetadata {
  const m = header.messageHeader;
  return {
    number: m.code.codeNumber, notation: m.code.codeNotation, documentDate: storedDay(m.promulgationInfo.promulgationDate) ?? '',
    typeCode: DOCUMENT_TYPES.find((t) => t.name === m.documentType.typeName)?.code ?? 'cong_van', subject: m.subject,
    urgency: URGENCIES.find((u) => u.priority === (m.otherInfo?.priority ?? 0))?.code ?? 'thuong', secrecy: 'thuong',
    signerName: m.signerInfo?.fullName ?? '', signerPosition: m.signerInfo?.position ?? '', pageCount: m.otherInfo?.pageAmount ?? null,
    dueDate: storedDay(m.dueDate), issuerName: m.from.organName ?? m.from.organId, issuerCode: m.from.organId,
  };
}

type StatusRecipient = Awaited<ReturnType<typeof connectorRepo.externalRecipientsOfDocumentsForUpdate>>[number];
const recipientKey = (documentId: string, code: string) => `${documentId}\n${code}`;

/**
 * What a received batch writes together when it flushes (flushBatch): its new documents (taken in by
 * receiveExternalDocuments, one statement per step for all of them) with their blobs, and its statuses
 * (recipient events and latest states, document packages marked delivered by an answer). `recipients`:
 * the external recipients its statuses are about, read and locked once, kept at their latest state.
 */
export type BatchQueue = {
  documents: ExternalIntake[]; files: StoredFile[];
  recipients: Map<string, StatusRecipient>; statuses: RecipientStatusBatch;
  answers: { outgoingId: string; recipientCode: string; businessDocTypes: readonly [number, number] }[];
};

export const newBatchQueue = (recipients: Map<string, StatusRecipient> = new Map()): BatchQueue =>
  ({ documents: [], files: [], recipients, statuses: newRecipientStatusBatch(), answers: [] });

/** A batch queue holding the (locked) external recipients the given status packages are about, read in one query. */
export async function batchQueueFor(tx: Db, agencyId: string, statuses: readonly TStatusHeader[]): Promise<BatchQueue> {
  const pairs = statuses.map((h) => ({ documentId: h.messageHeader.responseFor.documentId ?? '', code: h.messageHeader.from.organId }));
  const rows = await connectorRepo.externalRecipientsOfDocumentsForUpdate(tx, agencyId, pairs);
  const recipients = new Map<string, StatusRecipient>();
  for (const r of rows) {
    const key = recipientKey(r.documentId, r.agencyCode ?? '');
    if (!recipients.has(key)) recipients.set(key, r);
  }
  return newBatchQueue(recipients);
}

/** Writes what the batch queued, in the order it came (the queue is emptied; its recipients stay). */
export async function flushBatch(tx: Db, queue: BatchQueue): Promise<void> {
  const [documents, files] = [queue.documents.splice(0), queue.files.splice(0)];
  await recordBlobs(tx, files);
  if (documents.length > 0) await receiveExternalDocuments(tx, documents);
  await flushRecipientStatuses(tx, queue.statuses);
  await connectorRepo.markDeliveredByAnswers(tx, queue.answers.splice(0));
}

/**
 * Applies a received document package in the caller's transaction: a new document (0) or a
 * replacement (3, which also takes the replaced one out of the active lists) becomes an incoming
 * document (the incoming flow answers 01 at once); a recall (1) or update (2) becomes a request the
 * clerk answers with 15/16. A recall/update of a document we never received is ignored (recorded).
 * With `queue`, a new document (0) is only queued, under the id it will get (taken in by flushBatch); any
 * other package first takes in what is queued, as it may concern one of those documents.
 */
export async function applyDocument(tx: Db, o: { agencyId: string; header: TEdxmlHeader; files: StoredFile[]; queue?: BatchQueue }): Promise<Applied> {
  const m = o.header.messageHeader;
  const b = o.header.traceHeaderList.bussiness;
  const type = b?.bussinessDocType ?? 0;
  const sender = { code: m.from.organId, name: m.from.organName ?? m.from.organId };
  const isNew = type === 0 || type === 3;
  const queue = o.queue ?? newBatchQueue();
  const incomingId = randomUUID();
  queue.files.push(...o.files);
  if (isNew) queue.documents.push({ id: incomingId, recipientAgencyId: o.agencyId, documentId: m.documentId ?? '', sender, metadata: metadataOf(o.header), files: o.files });
  if (type === 0 && o.queue) return { outcome: 'accepted', reason: 'Văn bản mới', incomingId }; // taken in when the batch flushes its queue
  await flushBatch(tx, queue);
  if (isNew) {
    const replacedId = type === 3 ? b?.replacementInfoList?.[0]?.documentId ?? b?.documentId : undefined;
    const replaced = replacedId ? await connectorRepo.incomingByDocumentId(tx, o.agencyId, replacedId) : undefined;
    if (replaced) await takeOutReplaced(tx, { incomingId: replaced.id, byIncomingId: incomingId, documentId: replacedId });
    return { outcome: 'accepted', reason: type === 3 ? 'Văn bản thay thế' : 'Văn bản mới', incomingId };
  }
  const documentId = b?.documentId ?? m.documentId ?? '';
  const target = await connectorRepo.incomingByDocumentId(tx, o.agencyId, documentId);
  if (!target) return { outcome: 'ignored', reason: `Không có văn bản đến nào mang mã ${documentId} để ${type === 1 ? 'thu hồi' : 'cập nhật'}` };
  const kind = type === 1 ? 'recall' : 'update';
  const changes = kind === 'update' ? { subject: m.subject, dueDate: storedDay(m.dueDate), files: o.files } : undefined;
  await receiveSenderRequest(tx, { incomingId: target.id, kind, reason: b?.bussinessDocReason ?? '', changes });
  return { outcome: 'accepted', reason: kind === 'recall' ? 'Yêu cầu thu hồi' : 'Yêu cầu cập nhật', incomingId: target.id };
}

/**
 * Applies a received status package to the sender's outgoing document: the recipient is the external
 * recipient with the status's From code, the document is found by the DocumentId we sent. Statuses
 * about unknown documents are ignored (recorded). With `queue` (a batch: its recipients read and locked
 * already), the writes wait for flushBatch; without, they are made at once.
 */
export async function applyStatus(tx: Db, o: { agencyId: string; header: TStatusHeader; queue?: BatchQueue }): Promise<Applied> {
  const m = o.header.messageHeader;
  const documentId = m.responseFor.documentId ?? '';
  const queue = o.queue ?? await batchQueueFor(tx, o.agencyId, [o.header]);
  const key = recipientKey(documentId, m.from.organId);
  const recipient = queue.recipients.get(key);
  if (!recipient) {
    // Only to say why a status is ignored.
    const outgoingId = await connectorRepo.outgoingOfDocumentId(tx, o.agencyId, documentId);
    if (!outgoingId) return { outcome: 'ignored', reason: `Không có văn bản đi nào mang mã ${documentId}` };
    return { outcome: 'ignored', reason: `${m.from.organId} không phải nơi nhận của văn bản ${documentId}` };
  }
  const code = m.statusCode;
  if (!isRecipientCode(code)) return { outcome: 'ignored', reason: `Mã trạng thái ${m.statusCode} không dùng cho nơi nhận` };
  const staff = m.staffInfo?.staff ? ` (${m.staffInfo.staff})` : '';
  queue.recipients.set(key, await applyRecipientStatusInBatch(tx, queue.statuses, recipient, { code, at: parseEdxmlTimestamp(m.timestamp), description: `${m.description ?? ''}${staff}`, agencyId: o.agencyId }));
  // The recipient answering proves it has the package: a send our side gave up on or is still retrying
  // (the axis took it, the answer timed out) is sent, not "sẽ thử lại" next to a 01.
  queue.answers.push({ outgoingId: recipient.outgoingId, recipientCode: m.from.organId, businessDocTypes: code === '15' || code === '16' ? [1, 2] : [0, 3] });
  if (!o.queue) await flushBatch(tx, queue);
  return { outcome: 'accepted', reason: `Trạng thái ${m.statusCode}` };
}
