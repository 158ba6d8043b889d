import { listFiles } from '../files/files.service.ts';
import { documentType, SECRECY_LEVELS, URGENCIES } from '../registers/document-types.ts';
import { directoryRepo, historyRepo, outgoingRepo, type OutgoingRow } from './outgoing.repository.ts';
import { RECIPIENT_STATUS_LABELS, type RecipientStatusCode } from './outgoing.status.ts';
import { actionsFor, loadVisible } from './outgoing.service.ts';
import type { Ctx } from './outgoing.context.ts';

/** A document as lists show it. */
export function presentOutgoing(d: OutgoingRow) {
  return {
    id: d.id, status: d.status, typeCode: d.typeCode, typeName: documentType(d.typeCode)?.name ?? d.typeCode, subject: d.subject,
    urgency: d.urgency, urgencyName: URGENCIES.find((u) => u.code === d.urgency)?.name ?? '', secrecy: d.secrecy,
    secrecyName: SECRECY_LEVELS.find((s) => s.code === d.secrecy)?.name ?? '', isSecret: d.isSecret, signerId: d.signerId,
    signerCompetence: d.signerCompetence, signerPosition: d.signerPosition, recipientsText: d.recipientsText, archiveNote: d.archiveNote,
    copies: d.copies, dueDate: d.dueDate, note: d.note, participantIds: d.participantIds, currentVersion: d.currentVersion, createdBy: d.createdBy,
    number: d.number, notation: d.notation, numberText: d.number ? `${String(d.number).padStart(2, '0')}/${d.notation ?? ''}` : null,
    issuedAt: d.issuedAt?.toISOString() ?? null, approvedAt: d.approvedAt?.toISOString() ?? null, approvedBy: d.approvedBy,
    replacesId: d.replacesId, recallReason: d.recallReason, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  };
}
export type TOutgoing = ReturnType<typeof presentOutgoing>;

/** Everything the document page shows: metadata, allowed actions, versions, review chain, recipients with their timelines, history. Throws outgoing.not_found. */
export async function outgoingDetail(c: Ctx & { id: string }) {
  const subject = await loadVisible(c);
  const doc = subject.row;
  const [files, steps, recipients, events, history] = await Promise.all([
    listFiles(c.db, 'outgoing', doc.id), outgoingRepo.listSteps(c.db, doc.id), outgoingRepo.listRecipients(c.db, doc.id),
    outgoingRepo.listRecipientEvents(c.db, doc.id), historyRepo.forDocument(c.db, doc.id),
  ]);
  const people = new Map((await directoryRepo.usersByIds(c.db, [...new Set([doc.createdBy, doc.signerId, ...steps.map((s) => s.reviewerId)].filter((x): x is string => !!x))])).map((u) => [u.id, u]));
  return {
    data: {
      ...presentOutgoing(doc),
      createdByName: people.get(doc.createdBy)?.fullName ?? '', signerName: people.get(doc.signerId ?? '')?.fullName ?? '',
      files: files.map((f) => ({ id: f.id, kind: f.kind, version: f.version, fileName: f.fileName, size: f.size, pageCount: f.pageCount, note: f.note, createdAt: f.createdAt.toISOString() }))
        .sort((a, b) => b.version - a.version || a.createdAt.localeCompare(b.createdAt)),
      steps: steps.map((s) => ({ id: s.id, round: s.round, seq: s.seq, reviewerId: s.reviewerId, reviewerName: people.get(s.reviewerId)?.fullName ?? '', status: s.status, comment: s.comment, page: s.page, version: s.version, actedAt: s.actedAt?.toISOString() ?? null, isCurrent: s.id === doc.currentStepId })),
      recipients: recipients.map((r) => ({
        id: r.id, kind: r.kind, name: r.name, agencyCode: r.agencyCode, statusCode: r.statusCode, statusLabel: r.statusCode ? RECIPIENT_STATUS_LABELS[r.statusCode as RecipientStatusCode] : 'Chưa gửi',
        statusAt: r.statusAt?.toISOString() ?? null, recallCode: r.recallCode, recallAt: r.recallAt?.toISOString() ?? null,
        events: events.filter((e) => e.recipientId === r.id).map((e) => ({ code: e.code, label: RECIPIENT_STATUS_LABELS[e.code as RecipientStatusCode], at: e.at.toISOString(), description: e.description })),
      })),
      history: history.map((h) => ({ id: h.id, at: new Date(h.at).toISOString(), actorName: h.actorName, type: h.type, data: h.data as Record<string, unknown> })),
    },
    can: actionsFor(c, subject),
  };
}
