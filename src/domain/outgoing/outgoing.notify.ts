import type { Db } from '../../platform/db/client.ts';
import { enqueueMany } from '../../platform/jobs/jobs.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { can } from '../../policies/index.ts';
import { documentLabel, urgentPrefix } from '../incoming/incoming.notify.ts';
import { noticeMails, notify } from '../notices/notices.service.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import { directoryRepo, type OutgoingRow, type RecipientRow } from './outgoing.repository.ts';
import { subjectOf } from './outgoing.context.ts';
import { findUsersByIds } from '../users/users.directory.ts';

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
  const members = await directoryRepo.unitMembers(tx, o.doc.agencyId, [...units.keys()]);
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
    const mailed = await findUsersByIds(tx, notified.map((m) => m.id));
    const url = o.publicUrl && `${o.publicUrl}/outgoing/${o.doc.id}`;
    await enqueueMany(tx, noticeMails({ agencyId: o.doc.agencyId, subject: `${urgency}Văn bản đến: cần xử lý`, url }, mailed, (u) => messageTo(u.unitId)));
  }
  return notified.length;
}
