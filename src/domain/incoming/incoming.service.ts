import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { enqueueMany, jobRequest } from '../../platform/jobs/jobs.ts';
import { authorize } from '../../policies/index.ts';
import { allocateNumber } from '../registers/registers.service.ts';
import { formatDocumentNumber, printedNumber } from '../registers/document-types.ts';
import { attachFiles, type AttachFileInput } from '../files/files.service.ts';
import { incomingRepo, searchTextOf, type IncomingDoc } from './incoming.repository.ts';
import { withdrawNotices } from '../notices/notices.service.ts';
import { senderRepo } from './incoming-sender.repository.ts';
import { incomingPaperRefuse, incomingPossibleDuplicate, incomingSecrecyRefused } from './incoming.errors.ts';
import { SENDER_STATUS, type SenderStatusCode } from './incoming.status.ts';
import { sendStatusesToSenders, sendStatusToSender } from './incoming.sender.ts';
import { ASKING_NOTICES, documentLabel, notifyRole, notifyUsers } from './incoming.notify.ts';
import { mainPdfOf, ocrJob, verifyJob } from './incoming.jobs.ts';
import { auditIncoming, loadDocument, moveTo, type ServiceCtx } from './incoming.shared.ts';
import { settleRequestsOfReturned } from './incoming-requests.service.ts';
import type { TRegisterIncomingBody } from './incoming.schemas.ts';
import { listUsersWithRole } from '../users/users.directory.ts';

export { receivePaperScan, assertCanReceive } from './incoming-intake.service.ts';
// A replacement issued on this install takes the recipient's copy of the replaced document out of the active lists (outgoing issue).
export { takeOutReplaced as takeOutReplacedInternal } from './incoming-requests.service.ts';

/** Metadata an electronic document arrives with (edXML header or the sender's outgoing document). */
export type IncomingMetadata = {
  number: string | number;
  notation: string;
  documentDate: string;
  typeCode: string;
  subject: string;
  urgency: string;
  secrecy: string;
  signerName: string;
  signerPosition: string;
  pageCount?: number | null;
  dueDate?: string | null;
  issuerName?: string;
  issuerCode?: string;
};
export type IncomingFileInput = { sha256: string; fileName: string; contentType: string; size: number; kind: 'main' | 'appendix'; pageCount?: number | null };

/**
 * Receives a document issued by another agency on this install (called by the outgoing flow inside its
 * issue transaction): creates the incoming document in the recipient clerk's inbox with its files,
 * flags a likely duplicate, answers status 01 to the sender, notifies the clerks and enqueues signature
 * verification (never run inside the caller's transaction). Blobs must already be stored.
 */
export async function receiveInternalDocument(tx: Db, o: {
  recipientAgencyId: string; sourceOutgoingId: string; senderAgencyId: string; metadata: IncomingMetadata; files: readonly IncomingFileInput[];
}): Promise<{ id: string }> {
  const sender = await senderRepo.agency(tx, o.senderAgencyId);
  const [received] = await receiveElectronic(tx, [{
    recipientAgencyId: o.recipientAgencyId, source: 'internal', metadata: o.metadata, files: o.files,
    issuer: { name: o.metadata.issuerName ?? sender?.name ?? '', code: o.metadata.issuerCode ?? sender?.code ?? '', agencyId: o.senderAgencyId },
    sourceOutgoingId: o.sourceOutgoingId, externalDocumentId: null,
  }]);
  return received as { id: string };
}

/** A document that came through the exchange; `id` (optional) is the new incoming document's id, chosen by the caller. */
export type ExternalIntake = {
  id?: string; recipientAgencyId: string; documentId: string; sender: { code: string; name: string }; metadata: IncomingMetadata; files: readonly IncomingFileInput[];
};

/**
 * Receives a document that came through the exchange (the connector calls it after parsing the edXML
 * package): like receiveInternalDocument, but statuses go back as exchange_outbox packages quoting the
 * package's DocumentId. A Tối mật / Tuyệt mật document is refused at once (status 02).
 */
export async function receiveExternalDocument(tx: Db, o: ExternalIntake): Promise<{ id: string }> {
  const [received] = await receiveExternalDocuments(tx, [o]);
  return received as { id: string };
}

/**
 * receiveExternalDocument for the documents of one received batch, in the order given, with one
 * statement per step for all of them (documents, statuses back, duplicate flags, jobs, notices).
 */
export async function receiveExternalDocuments(tx: Db, intakes: readonly ExternalIntake[]): Promise<{ id: string }[]> {
  return receiveElectronic(tx, intakes.map((o) => ({
    id: o.id, recipientAgencyId: o.recipientAgencyId, source: 'external', metadata: o.metadata, files: o.files,
    issuer: { name: o.metadata.issuerName ?? o.sender.name, code: o.metadata.issuerCode ?? o.sender.code, agencyId: null },
    sourceOutgoingId: null, externalDocumentId: o.documentId,
  })));
}

type ElectronicIntake = {
  id?: string; recipientAgencyId: string; source: 'internal' | 'external'; metadata: IncomingMetadata; files: readonly IncomingFileInput[];
  issuer: { name: string; code: string; agencyId: string | null }; sourceOutgoingId: string | null; externalDocumentId: string | null;
};

const isForbiddenSecrecy = (m: IncomingMetadata) => m.secrecy === 'toi_mat' || m.secrecy === 'tuyet_mat';

async function receiveElectronic(tx: Db, intakes: readonly ElectronicIntake[]): Promise<{ id: string }[]> {
  const docs = await incomingRepo.insertMany(tx, intakes.map(incomingRowOf));
  await attachFiles(tx, docs.flatMap((doc, i) => newFiles(doc, (intakes[i] as ElectronicIntake).files)));
  for (const [i, doc] of docs.entries()) {
    const o = intakes[i] as ElectronicIntake;
    await audit(tx, { ...SYSTEM_ACTOR, agencyId: doc.agencyId }, { type: 'INCOMING_RECEIVED', entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId, data: { source: o.source, issuer: o.issuer.name, notation: o.metadata.notation } });
  }
  const forbidden = new Set(docs.filter((_, i) => isForbiddenSecrecy((intakes[i] as ElectronicIntake).metadata)));
  const open = docs.filter((doc) => !forbidden.has(doc));
  await sendStatusesToSenders(tx, docs, SENDER_STATUS.arrived);
  for (const doc of forbidden) {
    const refused = await moveTo(tx, doc, 'refused', { refusedReason: incomingSecrecyRefused().message });
    await sendStatusToSender(tx, refused, SENDER_STATUS.refused, { description: incomingSecrecyRefused().message });
  }
  await flagDuplicates(tx, open);
  // signature verification, and the text of the main PDF for search (ocrJob): one statement for the batch
  await enqueueMany(tx, [
    ...open.map((doc) => jobRequest(verifyJob, { incomingId: doc.id })),
    ...open.filter((doc) => doc.ocrStatus === 'pending').map((doc) => jobRequest(ocrJob, { incomingId: doc.id }, { dedupeKey: `incoming.ocr:${doc.id}` })),
  ]);
  await notifyRole(tx, { docs: open, role: 'clerk', kind: 'arrived', message: (doc) => `Văn bản điện tử mới đến: ${documentLabel(doc)}` });
  return docs.map((doc) => ({ id: doc.id }));
}

function incomingRowOf(o: ElectronicIntake) {
  const m = o.metadata;
  const number = printedNumber(m.number);
  return {
    id: o.id ?? randomUUID(), agencyId: o.recipientAgencyId, source: o.source, status: 'received', issuerName: o.issuer.name, issuerCode: o.issuer.code,
    issuerAgencyId: o.issuer.agencyId, number, notation: m.notation, documentDate: m.documentDate || null,
    typeCode: m.typeCode, subject: m.subject, urgency: m.urgency || 'thuong', secrecy: m.secrecy === 'mat' ? 'mat' : 'thuong',
    pageCount: m.pageCount ?? null, signerName: m.signerName, signerPosition: m.signerPosition, dueDate: m.dueDate ?? null,
    sourceOutgoingId: o.sourceOutgoingId, externalDocumentId: o.externalDocumentId, verifyStatus: 'pending',
    // its main PDF's text is read for search (ocrJob) — not for a document refused at once
    ocrStatus: !isForbiddenSecrecy(m) && mainPdfOf(o.files) ? 'pending' : 'none',
    searchText: searchTextOf({ issuerName: o.issuer.name, number, notation: m.notation, subject: m.subject, signerName: m.signerName }),
  };
}

/** A new document's files: each kind's files are numbered 1, 2, … in order. */
function newFiles(doc: IncomingDoc, files: readonly IncomingFileInput[]): (AttachFileInput & { version: number })[] {
  const versions = new Map<string, number>();
  return files.map((f) => {
    const version = (versions.get(f.kind) ?? 0) + 1;
    versions.set(f.kind, version);
    return { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: f.kind, upload: f, pageCount: f.pageCount ?? null, version, createdBy: null };
  });
}

/** Marks a document as a likely duplicate of an earlier one (same issuer, số/ký hiệu and date). */
async function flagDuplicate(tx: Db, doc: IncomingDoc): Promise<IncomingDoc> {
  const [flagged] = await flagDuplicates(tx, [doc]);
  return flagged ? { ...doc, ...flagged } : doc;
}

/** flagDuplicate for documents taken in together, in one statement (each compared with those before it); returns the flagged ones. */
function flagDuplicates(tx: Db, docs: readonly IncomingDoc[]) {
  return incomingRepo.flagDuplicates(tx, docs.flatMap((doc) => doc.notation && doc.documentDate
    ? [{ id: doc.id, agencyId: doc.agencyId, issuerKeys: [doc.issuerCode, doc.issuerName], number: doc.number, notation: doc.notation, documentDate: doc.documentDate }] : []));
}

/**
 * Registers a received document in the incoming register (Art. 22): takes the next số đến of the
 * agency's register for the year (the Mật series for Mật documents), records the metadata, flags a
 * likely duplicate, answers 03 to an electronic sender, and notifies leaders at once if urgent. A document
 * the register already holds (the same số, ký hiệu, date and sender: a scan received twice, the paper copy
 * of an electronic one) takes no second số đến unless the clerk confirms it (`confirmDuplicate`); it is
 * still flagged «Có thể trùng».
 * Throws incoming.not_found, forbidden, incoming.bad_status, incoming.secrecy_not_allowed, incoming.concurrent_change,
 * incoming.possible_duplicate (details: the earlier document's id and số đến).
 */
export async function registerIncoming(c: ServiceCtx & { id: string; body: TRegisterIncomingBody }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.register', subject);
    const b = c.body;
    if (b.secrecy === 'toi_mat' || b.secrecy === 'tuyet_mat') throw incomingSecrecyRefused();
    const now = new Date();
    const numbered = await allocateNumber(tx, { agencyId: doc.agencyId, kind: 'incoming', isSecret: b.secrecy === 'mat', typeCode: b.typeCode, at: now });
    const { arrivedAt, confirmDuplicate, ...fields } = b;
    let updated = await moveTo(tx, doc, 'registered', {
      ...fields, secrecy: b.secrecy, pageCount: b.pageCount ?? doc.pageCount, dueDate: b.dueDate ?? null,
      arrivedAt: arrivedAt ? new Date(arrivedAt) : doc.arrivedAt, registerId: numbered.registerId, arrivalYear: numbered.year,
      arrivalNumber: numbered.number, registeredAt: now, registeredBy: c.actor.id,
      searchText: searchTextOf({ ...fields, ocrText: doc.ocrText }),
    });
    updated = await flagDuplicate(tx, updated);
    // asked before the số is kept: the throw rolls the transaction back, the number taken with it
    if (updated.duplicateOfId && !confirmDuplicate) await refuseUnconfirmedDuplicate(tx, updated.duplicateOfId);
    await auditIncoming(tx, c, 'INCOMING_REGISTERED', updated, { arrivalNumber: numbered.number, year: numbered.year, register: numbered.registerName, duplicateOfId: updated.duplicateOfId });
    await sendBack(tx, c, updated, SENDER_STATUS.registered);
    await withdrawNotices(tx, { incomingId: doc.id }, ASKING_NOTICES.arrival);
    if (updated.urgency !== 'thuong') {
      const leaders = await listUsersWithRole(tx, updated.agencyId, 'leader');
      await notifyUsers(tx, { doc: updated, userIds: leaders.map((l) => l.id), kind: 'registered', message: `Văn bản khẩn vừa vào sổ: ${documentLabel(updated)}` });
    }
    return updated;
  });
}

/** Throws incoming.possible_duplicate when the document flagged as the twin is in the register (has its số đến). */
async function refuseUnconfirmedDuplicate(tx: Db, duplicateOfId: string): Promise<void> {
  const twin = await incomingRepo.findById(tx, duplicateOfId);
  if (!twin?.arrivalNumber) return;
  throw incomingPossibleDuplicate({
    duplicateOfId: twin.id, arrivalNumber: twin.arrivalNumber, arrivalYear: twin.arrivalYear,
    arrivalNumberText: `${formatDocumentNumber(twin.arrivalNumber)}/${twin.arrivalYear ?? ''}`,
  });
}

/**
 * Refuses a wrongly addressed or invalid electronic document with a reason, which goes back to the
 * sender as status 02 (Art. 21.2); the sender's requests still waiting on it are answered (updates 16, recalls 15). Throws incoming.not_found, forbidden, incoming.refuse_paper, incoming.bad_status.
 */
export async function refuseIncoming(c: ServiceCtx & { id: string; reason: string }): Promise<IncomingDoc> {
  return c.db.transaction().execute(async (tx) => {
    const { doc, subject } = await loadDocument(tx, c.actor, c.id);
    authorize(c.actor, 'incoming.refuse', subject);
    if (doc.source === 'paper') throw incomingPaperRefuse();
    const updated = await moveTo(tx, doc, 'refused', { refusedReason: c.reason });
    await auditIncoming(tx, c, 'INCOMING_REFUSED', updated, { reason: c.reason });
    await sendBack(tx, c, updated, SENDER_STATUS.refused, c.reason);
    await settleRequestsOfReturned(tx, c, updated);
    await withdrawNotices(tx, { incomingId: doc.id }, ASKING_NOTICES.arrival);
    return updated;
  });
}

/** Sends a status back with the acting staff member's details, and audits that it was sent. */
export async function sendBack(tx: Db, c: Pick<ServiceCtx, 'actor' | 'ip' | 'requestId'>, doc: IncomingDoc, code: SenderStatusCode, description?: string): Promise<void> {
  if (doc.source === 'paper') return;
  await sendStatusToSender(tx, doc, code, { description, staff: { name: c.actor.fullName } });
  await auditIncoming(tx, c, 'INCOMING_STATUS_SENT', doc, { code, channel: doc.source === 'internal' ? 'internal' : 'exchange' });
}

/**
 * The incoming documents an outgoing reply answers (linked by handlers in their progress notes): what the
 * outgoing flow puts in the edXML ResponseFor (issuer code, số/ký hiệu, date, original DocumentId).
 */
export async function incomingAnsweredBy(db: Db, outgoingId: string) {
  return (await incomingAnsweredByMany(db, [outgoingId])).get(outgoingId) ?? [];
}

/** incomingAnsweredBy for several outgoing documents in one query (a sending round), by outgoing document. */
export async function incomingAnsweredByMany(db: Db, outgoingIds: readonly string[]) {
  const byOutgoing = new Map<string, Omit<Awaited<ReturnType<typeof incomingRepo.answeredBy>>[number], 'responseOutgoingId'>[]>();
  for (const { responseOutgoingId, ...doc } of await incomingRepo.answeredBy(db, outgoingIds)) {
    if (!responseOutgoingId) continue;
    const answered = byOutgoing.get(responseOutgoingId);
    if (answered) answered.push(doc);
    else byOutgoing.set(responseOutgoingId, [doc]);
  }
  return byOutgoing;
}
