import type { Db } from '../../platform/db/client.ts';
import { enqueueMany, type JobRequest } from '../../platform/jobs/jobs.ts';
import { noticeMails, notify } from '../notices/notices.service.ts';
import type { IncomingDoc } from './incoming.repository.ts';
import { isUrgent, URGENCY_RANK } from './incoming.status.ts';
import { formatDocumentNumber, URGENCIES } from '../registers/document-types.ts';
import { findUsersByIds, listUsersWithRole, type DirectoryUser } from '../users/users.directory.ts';
import type { Role } from '../../policies/actor.ts';

export type NoticeKind = 'arrived' | 'registered' | 'forwarded' | 'assigned' | 'reassigned' | 'progress' | 'closed' | 'reopened' | 'reminder' | 'overdue' | 'request';

/**
 * The notices that ask someone to act on a document, by the action that answers them: that action takes
 * them back (withdrawNotices, src/domain/notices) in its transaction. The others only inform and stay until read.
 */
export const ASKING_NOTICES = {
  /** The clerks' «Văn bản điện tử mới đến»: registering or refusing the document answers it. */
  arrival: ['arrived'],
  /** «Văn bản chờ ý kiến chỉ đạo»: the direction answers it. */
  direction: ['forwarded'],
  /** «Được giao xử lý» (the unit head's, the people they give it to) and the deadline reminders (a chase's alike): the part done answers them. */
  handling: ['assigned', 'reassigned', 'reminder', 'overdue'],
  /** «<cơ quan gửi> đề nghị thu hồi/cập nhật văn bản»: the answer (15/16) to that request answers it. */
  request: ['request'],
} as const satisfies Record<string, readonly NoticeKind[]>;

/** A one-line label of a document for notices; a Mật document's subject is never put in a notice or a mail. */
export function documentLabel(doc: Pick<IncomingDoc, 'isSecret' | 'subject' | 'notation' | 'number' | 'arrivalNumber' | 'issuerName'>): string {
  const numberPart = doc.arrivalNumber ? `số đến ${formatDocumentNumber(doc.arrivalNumber)}` : '';
  const notation = [doc.number, doc.notation].filter(Boolean).join('/');
  if (doc.isSecret) return ['Văn bản Mật', numberPart].filter(Boolean).join(', ');
  return [notation && `${notation}`, doc.issuerName, numberPart, doc.subject && `“${doc.subject.slice(0, 120)}”`].filter(Boolean).join(' — ');
}

const urgencyName = (code: string) => URGENCIES.find((u) => u.code === code)?.name ?? '';

/**
 * Notifies people about a document in the caller's transaction: an in-app notice each, and — for urgent
 * documents (Hỏa tốc, Thượng khẩn, Khẩn) or when `email` — a mail through the mail job at once; only active
 * accounts among them. `exchangeRequestId`: the sender's request the notices ask to answer (answering it
 * takes them back). Returns how many people were told.
 */
export async function notifyUsers(tx: Db, o: { doc: IncomingDoc; userIds: readonly (string | null | undefined)[]; kind: NoticeKind; message: string; email?: boolean; publicUrl?: string; exchangeRequestId?: string }): Promise<number> {
  const ids = [...new Set(o.userIds.filter((id): id is string => !!id))];
  // a disabled account is told nothing, in the app or by mail (a part still held by one is reminded to its unit's heads)
  const users = (await findUsersByIds(tx, ids)).filter((u) => u.isActive);
  if (users.length === 0) return 0;
  const message = `${urgentPrefix(o.doc.urgency)}${o.message}`;
  await notify(tx, users.map((u) => ({ userId: u.id, incomingId: o.doc.id, kind: o.kind, message, exchangeRequestId: o.exchangeRequestId ?? null })));
  if (isMailed(o)) await enqueueMany(tx, mailsOf(o, users, message));
  return users.length;
}

/** «[HỎA TỐC] » before the notices and mails of an urgent document (Hỏa tốc, Thượng khẩn, Khẩn), else nothing. */
export const urgentPrefix = (urgency: string) => (isUrgent(urgency) ? `[${urgencyName(urgency).toUpperCase()}] ` : '');

/** Whether a notice also goes by mail: urgent documents, or when `email`. */
const isMailed = (o: { doc: IncomingDoc; email?: boolean }) => !!o.email || (URGENCY_RANK[o.doc.urgency] ?? 0) > 0;

/** The mail jobs of a notice (to enqueue in the caller's transaction). */
function mailsOf(o: { doc: IncomingDoc; kind: NoticeKind; publicUrl?: string }, users: readonly { fullName: string; email: string | null }[], message: string): JobRequest[] {
  const subject = `${urgentPrefix(o.doc.urgency)}Văn bản đến: ${o.kind === 'reminder' || o.kind === 'overdue' ? 'nhắc hạn xử lý' : 'cần xử lý'}`;
  return noticeMails({ agencyId: o.doc.agencyId, subject, url: o.publicUrl && `${o.publicUrl}/incoming/${o.doc.id}` }, users, () => message);
}

/**
 * Notifies every active user of each document's agency with a role (the clerks when documents arrive),
 * like notifyUsers: who they are comes from the users directory (listUsersWithRole, once per agency), the
 * notices of all the documents are written in one statement and their mails enqueued in one more, all in
 * the caller's transaction.
 */
export async function notifyRole(tx: Db, o: { docs: readonly IncomingDoc[]; role: Role; kind: NoticeKind; message: (doc: IncomingDoc) => string; email?: boolean; publicUrl?: string }): Promise<void> {
  const holders = new Map<string, DirectoryUser[]>();
  for (const agencyId of new Set(o.docs.map((doc) => doc.agencyId))) holders.set(agencyId, await listUsersWithRole(tx, agencyId, o.role));
  const told = o.docs.map((doc) => ({ doc, users: holders.get(doc.agencyId) ?? [], message: `${urgentPrefix(doc.urgency)}${o.message(doc)}` }));
  await notify(tx, told.flatMap((t) => t.users.map((u) => ({ userId: u.id, incomingId: t.doc.id, kind: o.kind, message: t.message }))));
  await enqueueMany(tx, told.flatMap((t) => (isMailed({ doc: t.doc, email: o.email }) ? mailsOf({ doc: t.doc, kind: o.kind, publicUrl: o.publicUrl }, t.users, t.message) : [])));
}
