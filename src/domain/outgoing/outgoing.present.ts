import { listFiles } from '../files/files.service.ts';
import { documentType, formatDocumentNumber, SECRECY_LEVELS, URGENCIES } from '../registers/document-types.ts';
import type { Db } from '../../platform/db/client.ts';
import { can } from '../../policies/index.ts';
import { historyRepo, outgoingRepo, type OutgoingRow, type RecipientCounts } from './outgoing.repository.ts';
import { isAboutUpdate, RECALL_NOT_CONCERNED, RECALLED_FROM_UNIT, RECIPIENT_STATUS_LABELS, recipientEventLabel, UPDATE_NOT_CONCERNED, type RecipientStatusCode } from './outgoing.status.ts';
import { actionsFor, loadVisible } from './outgoing.service.ts';
import { subjectOf, type Ctx } from './outgoing.context.ts';
import { readStoredError } from '../exchange/connector/connector.errors.ts';
import { findUsersByIds } from '../users/users.directory.ts';

/** A document as lists show it. */
export function presentOutgoing(d: OutgoingRow) {
  return {
    id: d.id, status: d.status, typeCode: d.typeCode, typeName: documentType(d.typeCode)?.name ?? d.typeCode, subject: d.subject,
    urgency: d.urgency, urgencyName: URGENCIES.find((u) => u.code === d.urgency)?.name ?? '', secrecy: d.secrecy,
    secrecyName: SECRECY_LEVELS.find((s) => s.code === d.secrecy)?.name ?? '', isSecret: d.isSecret, signerId: d.signerId,
    signerCompetence: d.signerCompetence, signerPosition: d.signerPosition, recipientsText: d.recipientsText, archiveNote: d.archiveNote,
    copies: d.copies, dueDate: d.dueDate, note: d.note, participantIds: d.participantIds, currentVersion: d.currentVersion, createdBy: d.createdBy,
    number: d.number, notation: d.notation, numberText: numberText(d),
    issuedAt: d.issuedAt?.toISOString() ?? null, approvedAt: d.approvedAt?.toISOString() ?? null, approvedBy: d.approvedBy,
    replacesId: d.replacesId, recallReason: d.recallReason, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  };
}
export type TOutgoing = ReturnType<typeof presentOutgoing>;

const EMPTY_COUNTS: RecipientCounts = { total: 0, delivered: 0, registered: 0, done: 0, refused: 0, agreed: 0, disagreed: 0, awaiting: 0 };
const numberText = (d: Pick<OutgoingRow, 'number' | 'notation'>) => (d.number ? `${formatDocumentNumber(d.number)}/${d.notation ?? ''}` : null);

/** Documents as lists show them, each with its recipients' counts ("đã nhận 3/5"). */
export async function presentList(db: Db, rows: OutgoingRow[]) {
  const counts = await outgoingRepo.recipientCounts(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...presentOutgoing(r), recipientCounts: counts.get(r.id) ?? EMPTY_COUNTS }));
}

async function canSee(c: Ctx, doc: OutgoingRow) {
  return can(c.actor, 'outgoing.view', await subjectOf(c.db, doc));
}

type People = Map<string, { fullName: string; position: string }>;

/**
 * Signing for someone else under a delegation (ký thay, KT.): after signing, who signed for whom; before,
 * for a deputy who may sign today, whose documents they sign and until when.
 */
async function onBehalfOf(c: Ctx, subject: Awaited<ReturnType<typeof loadVisible>>, people: People) {
  const doc = subject.row;
  const signer = people.get(doc.signerId ?? '');
  if (!doc.signerId || !signer) return null;
  const deputyId = doc.approvedBy ?? (doc.status === 'awaiting_signature' && subject.delegateIds.includes(c.actor.id) ? c.actor.id : null);
  if (!deputyId || deputyId === doc.signerId) return null;
  const deputy = people.get(deputyId) ?? (await findUsersByIds(c.db, [deputyId]))[0];
  const delegation = doc.approvedBy ? undefined : await outgoingRepo.activeDelegation(c.db, doc.signerId, deputyId);
  return {
    competence: 'KT' as const, signerName: signer.fullName, signerPosition: doc.signerPosition || signer.position,
    deputyName: deputy?.fullName ?? '', deputyPosition: deputy?.position ?? '', isSigned: !!doc.approvedBy,
    until: delegation?.endsOn ?? null,
  };
}

/**
 * The recipient's recall/update badge: the latest answer (13 asked, 15 agreed, 16 refused) with its
 * meaning, that a unit of the agency itself had it taken back (no one answers for it), or — for a
 * recipient that had refused the document (02) when it was recalled, or after an update was asked of it
 * (the document is still issued) — that nothing is owed (older recalls wrote 13 to such recipients too).
 * Null when there is nothing to show.
 */
function recallLabelOf(r: { kind: string; statusCode: string | null; recallCode: string | null; events: { code: string; label: string; description: string }[] }, docStatus: string): string | null {
  if (r.statusCode === '02' && (r.recallCode === '13' || (docStatus === 'recalled' && !r.recallCode))) return docStatus === 'issued' ? UPDATE_NOT_CONCERNED : RECALL_NOT_CONCERNED;
  if (!r.recallCode) return null;
  if (r.kind === 'unit' && r.recallCode === '13') return RECALLED_FROM_UNIT;
  // on a recalled document an update's answer never sets the state (isStaleUpdateAnswer): the recall's own event names it
  const setBy = r.events.findLast((e) => e.code === r.recallCode && !(docStatus === 'recalled' && isAboutUpdate(e.description)));
  return `${r.recallCode} · ${setBy?.label ?? RECIPIENT_STATUS_LABELS[r.recallCode as RecipientStatusCode] ?? ''}`;
}

/**
 * How the latest package of an external recipient (the document, a recall, an update) stands in the
 * exchange outbox: waiting, failed (with the error in words) or on the axis. Null before any package.
 */
function sendingOf(outbox: Awaited<ReturnType<typeof outgoingRepo.listOutbox>>, agencyCode: string | null) {
  const latest = outbox.findLast((o) => o.packageKind === 'edoc' && o.recipientAgencyCode === agencyCode);
  if (!latest) return null;
  return {
    id: latest.id, status: latest.status, businessDocType: latest.businessDocType, attempts: latest.attempts, sentAt: latest.sentAt?.toISOString() ?? null,
    errorMessage: latest.lastError ? readStoredError(latest.lastError).message : null,
  };
}

/** Everything the document page shows: metadata, allowed actions, versions, review chain, recipients with their timelines, history. Throws outgoing.not_found. */
export async function outgoingDetail(c: Ctx & { id: string }) {
  const subject = await loadVisible(c);
  const doc = subject.row;
  const [files, steps, recipients, events, history, replaces, replacedBy, counts, outbox] = await Promise.all([
    listFiles(c.db, 'outgoing', doc.id), outgoingRepo.listSteps(c.db, doc.id), outgoingRepo.listRecipients(c.db, doc.id),
    outgoingRepo.listRecipientEvents(c.db, doc.id), historyRepo.forDocument(c.db, doc.id),
    doc.replacesId ? outgoingRepo.findById(c.db, doc.replacesId) : Promise.resolve(undefined), outgoingRepo.listReplacements(c.db, doc.id),
    outgoingRepo.recipientCounts(c.db, [doc.id]), outgoingRepo.listOutbox(c.db, doc.id),
  ]);
  const people = new Map((await findUsersByIds(c.db, [...new Set([doc.createdBy, doc.signerId, doc.approvedBy, ...steps.map((s) => s.reviewerId)].filter((x): x is string => !!x))])).map((u) => [u.id, u]));
  return {
    data: {
      ...presentOutgoing(doc),
      createdByName: people.get(doc.createdBy)?.fullName ?? '', signerName: people.get(doc.signerId ?? '')?.fullName ?? '',
      approvedByName: people.get(doc.approvedBy ?? '')?.fullName ?? null,
      onBehalf: await onBehalfOf(c, subject, people),
      replaces: replaces && (await canSee(c, replaces)) ? { id: replaces.id, numberText: numberText(replaces), subject: replaces.subject, status: replaces.status } : null,
      replacedBy: replacedBy.map((r) => ({ id: r.id, numberText: numberText(r), subject: r.subject, status: r.status })),
      recipientCounts: counts.get(doc.id) ?? EMPTY_COUNTS,
      files: files.map((f) => ({ id: f.id, kind: f.kind, version: f.version, fileName: f.fileName, size: f.size, pageCount: f.pageCount, note: f.note, createdAt: f.createdAt.toISOString() }))
        .sort((a, b) => b.version - a.version || a.createdAt.localeCompare(b.createdAt)),
      steps: steps.map((s) => ({ id: s.id, round: s.round, seq: s.seq, reviewerId: s.reviewerId, reviewerName: people.get(s.reviewerId)?.fullName ?? '', status: s.status, comment: s.comment, page: s.page, version: s.version, actedAt: s.actedAt?.toISOString() ?? null, isCurrent: s.id === doc.currentStepId })),
      recipients: recipients.map((r) => ({
        id: r.id, kind: r.kind, name: r.name, unitId: r.unitId, agencyId: r.agencyId, agencyCode: r.agencyCode, incomingId: r.incomingId, statusCode: r.statusCode, statusLabel: r.statusCode ? RECIPIENT_STATUS_LABELS[r.statusCode as RecipientStatusCode] : 'Chưa gửi',
        statusAt: r.statusAt?.toISOString() ?? null, recallCode: r.recallCode, recallAt: r.recallAt?.toISOString() ?? null,
        events: events.filter((e) => e.recipientId === r.id).map((e) => ({ code: e.code, label: recipientEventLabel(e, doc.status), at: e.at.toISOString(), description: e.description })),
        sending: r.kind === 'external' ? sendingOf(outbox, r.agencyCode) : null,
      })).map((r) => ({ ...r, recallLabel: recallLabelOf(r, doc.status) })),
      // Full name (with position and unit) rather than the login name the audit row keeps; system entries keep theirs.
      history: history.map((h) => ({ id: h.id, at: new Date(h.at).toISOString(), actorName: h.actorFullName ?? h.actorName, actorLogin: h.actorName,
        actorPosition: h.actorPosition ?? null, actorUnit: h.actorUnit ?? null, type: h.type, data: h.data as Record<string, unknown> })),
    },
    can: actionsFor(c, subject),
  };
}
