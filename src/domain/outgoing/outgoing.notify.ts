import type { Db } from '../../platform/db/client.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { can } from '../../policies/index.ts';
import { documentLabel } from '../incoming/incoming.notify.ts';
import { workRepo } from '../incoming/incoming-work.repository.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import { directoryRepo, type OutgoingRow, type RecipientRow } from './outgoing.repository.ts';
import { subjectOf } from './outgoing.context.ts';

/**
 * Tells the members of each unit of the agency a document was just issued to, in the issue transaction:
 * an in-app notice each, next to their incoming documents' ones. Only those the rules let open it (a Mật
 * document: its participants), never the clerk who issued it; a repeated issue returns before this, so
 * nobody hears twice. The notice names the unit; a Mật document's trích yếu is never put in it.
 */
export async function notifyRecipientUnits(tx: Db, o: { actor: Actor; doc: OutgoingRow; recipients: readonly RecipientRow[] }): Promise<number> {
  const units = new Map(o.recipients.flatMap((r) => (r.kind === 'unit' && r.unitId ? [[r.unitId, r.name] as const] : [])));
  const members = await directoryRepo.unitMembers(tx, o.doc.agencyId, [...units.keys()]);
  if (members.length === 0) return 0;
  const subject = await subjectOf(tx, o.doc);
  const label = documentLabel({
    isSecret: o.doc.isSecret, subject: o.doc.subject, notation: o.doc.notation ?? '', arrivalNumber: null, issuerName: '',
    number: o.doc.number === null ? '' : formatDocumentNumber(o.doc.number),
  });
  const notified = members.filter((m) => m.id !== o.actor.id && can({ ...m, roles: m.roles as Role[] }, 'outgoing.view', subject));
  await workRepo.insertNotices(tx, notified.map((m) => ({
    userId: m.id, outgoingId: o.doc.id, kind: 'issued', message: `Văn bản phát hành gửi ${units.get(m.unitId ?? '') ?? ''}: ${label}`,
  })));
  return notified.length;
}
