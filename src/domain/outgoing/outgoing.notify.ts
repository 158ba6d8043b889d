import type { Db } from '../../platform/db/client.ts';
import { enqueueMany } from '../../platform/jobs/jobs.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { can } from '../../policies/index.ts';
import { documentLabel, urgentPrefix } from '../incoming/incoming.notify.ts';
import { noticeMails, notify, withdrawNotices } from '../notices/notices.service.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import type { OutgoingRow, RecipientRow } from './outgoing.repository.ts';
import { subjectOf } from './outgoing.context.ts';
import { findUsersByIds, listUnitMembers, listUsersWithRole } from '../users/users.directory.ts';

/**
 * Tells the members of each unit of the agency a document was just issued to, in the issue transaction:
 * an in-app notice each, next to their incoming documents' ones. Only those the rules let open it (a Mật
 * document: its participants), never the clerk who issued it nor those who made it (the drafter, the
 * signer, a deputy who signed for them); a repeated issue returns before this, so nobody hears twice. The
 * notice names the unit; a Mật document's trích yếu is never put in it. As with incoming documents, an
 * urgent one (Khẩn, Thượng khẩn, Hỏa tốc) is also mailed at once, with its urgency before the message.
 */
export async function notifyRecipientUnits(tx: Db, o: { actor: Actor; doc: OutgoingRow; recipients: readonly RecipientRow[]; publicUrl?: string }): Promise<number> {
  const units = new Map(o.recipients.flatMap((r) => (r.kind === 'unit' && r.unitId ? [[r.unitId, r.name] as const] : [])));
  // a unit of this agency has only its people; the agency is checked all the same, as the rules would
  const members = (await listUnitMembers(tx, [...units.keys()])).filter((m) => m.agencyId === o.doc.agencyId);
  if (members.length === 0) return 0;
  const subject = await subjectOf(tx, o.doc);
  const label = documentLabel({
    isSecret: o.doc.isSecret, subject: o.doc.subject, notation: o.doc.notation ?? '', arrivalNumber: null, issuerName: '',
    number: o.doc.number === null ? '' : formatDocumentNumber(o.doc.number),
  });
  const makers = new Set([o.actor.id, o.doc.createdBy, o.doc.signerId, o.doc.approvedBy]);
  const notified = members.filter((m) => !makers.has(m.id) && can({ ...m, roles: m.roles as Role[] }, 'outgoing.view', subject));
  const urgency = urgentPrefix(o.doc.urgency);
  const messageTo = (unitId: string | null) => `${urgency}Văn bản phát hành gửi ${units.get(unitId ?? '') ?? ''}: ${label}`;
  await notify(tx, notified.map((m) => ({ userId: m.id, outgoingId: o.doc.id, kind: 'issued', message: messageTo(m.unitId) })));
  if (urgency) {
    const url = o.publicUrl && `${o.publicUrl}/outgoing/${o.doc.id}`;
    await enqueueMany(tx, noticeMails({ agencyId: o.doc.agencyId, subject: `${urgency}Văn bản đến: cần xử lý`, url }, notified, (u) => messageTo(u.unitId)));
  }
  return notified.length;
}

/**
 * The notices of a document's way to issue, one kind per event: each asks someone to act, and the action
 * that answers it takes it back (withdrawNotices) in its transaction.
 */
export const FLOW_NOTICES = {
  /** «Dự thảo chờ đồng chí duyệt»: to the current reviewer; their approve, return or forward answers it. */
  review: 'review_requested',
  /** «Dự thảo bị trả lại»: to the drafter; submitting again (or cancelling) answers it. */
  returned: 'draft_returned',
  /** «Văn bản chờ đồng chí ký»: to the signer; signing or sending back answers it. */
  signature: 'signature_requested',
  /** «Văn bản đã ký, chờ cấp số và phát hành»: to the agency's clerks; issuing or sending back answers it. */
  issue: 'issue_requested',
} as const;
export type FlowNoticeKind = (typeof FLOW_NOTICES)[keyof typeof FLOW_NOTICES];

/** A draft in a notice: its trích yếu in quotes; a Mật one's never («Văn bản Mật»). */
const draftLabel = (doc: Pick<OutgoingRow, 'isSecret' | 'subject'>) => (doc.isSecret ? 'văn bản Mật' : `“${doc.subject.slice(0, 160)}”`);

const FLOW_MESSAGES: Record<FlowNoticeKind, (label: string, by: string) => string> = {
  review_requested: (label, by) => `Dự thảo chờ đồng chí duyệt: ${label} (${by} trình)`,
  draft_returned: (label, by) => `Dự thảo bị trả lại, cần sửa: ${label} (${by} trả lại, xem ý kiến trong văn bản)`,
  signature_requested: (label, by) => `Văn bản chờ đồng chí ký: ${label} (${by} trình)`,
  issue_requested: (label, by) => `Văn bản đã ký, chờ cấp số và phát hành: ${label} (${by} ký)`,
};

const MAIL_SUBJECTS: Record<FlowNoticeKind, string> = {
  review_requested: 'Văn bản đi: dự thảo chờ duyệt',
  draft_returned: 'Văn bản đi: dự thảo bị trả lại',
  signature_requested: 'Văn bản đi: chờ ký',
  issue_requested: 'Văn bản đi: chờ phát hành',
};

/**
 * Tells the people a document now waits on, in the caller's transaction (the one of the state change): an
 * in-app notice each (the bell links it to the document), and — for an urgent document (Khẩn, Thượng khẩn,
 * Hỏa tốc), as incoming does — a mail with the link. Only active accounts of the document's agency that may
 * open it, never the actor. `to`: ids; 'clerks' (the agency's clerks); or 'signer' (the signer, and each deputy
 * who may sign for them today under a delegation, told it is theirs to sign KT.). Returns how many were told.
 */
export async function notifyFlow(tx: Db, o: { actor: Actor; doc: OutgoingRow; kind: FlowNoticeKind; to: readonly (string | null)[] | 'clerks' | 'signer'; publicUrl?: string }): Promise<number> {
  const subject = await subjectOf(tx, o.doc);
  const deputies = new Set(o.to === 'signer' ? subject.delegateIds.filter((id) => id !== o.doc.signerId) : []);
  const ids = o.to === 'clerks' ? [] : [...new Set([...(o.to === 'signer' ? [o.doc.signerId] : o.to), ...deputies].filter((id): id is string => !!id))];
  const candidates = o.to === 'clerks' ? await listUsersWithRole(tx, o.doc.agencyId, 'clerk') : await findUsersByIds(tx, ids);
  const told = candidates.filter((u) => u.isActive && u.agencyId === o.doc.agencyId && u.id !== o.actor.id && can({ ...u, roles: u.roles as Role[] }, 'outgoing.view', subject));
  if (told.length === 0) return 0;
  const urgency = urgentPrefix(o.doc.urgency);
  const label = draftLabel(o.doc);
  const signerName = candidates.find((u) => u.id === o.doc.signerId)?.fullName ?? '';
  const messageTo = (u: { id: string }) => urgency + (deputies.has(u.id)
    ? `Văn bản chờ đồng chí ký thay (KT.) ${signerName}: ${label} (${o.actor.fullName} trình)`
    : FLOW_MESSAGES[o.kind](label, o.actor.fullName));
  await notify(tx, told.map((u) => ({ userId: u.id, outgoingId: o.doc.id, kind: o.kind, message: messageTo(u) })));
  if (urgency) {
    const url = o.publicUrl && `${o.publicUrl}/outgoing/${o.doc.id}`;
    await enqueueMany(tx, noticeMails({ agencyId: o.doc.agencyId, subject: `${urgency}${MAIL_SUBJECTS[o.kind]}`, url }, told, messageTo));
  }
  return told.length;
}

/** Takes back the unread notices of these kinds about a document (the action they asked for was done or is no longer possible). */
export const withdrawFlowNotices = (tx: Db, doc: Pick<OutgoingRow, 'id'>, kinds: readonly FlowNoticeKind[]) => withdrawNotices(tx, { outgoingId: doc.id }, kinds);
