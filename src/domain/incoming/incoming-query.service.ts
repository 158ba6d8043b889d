import { authorize, can } from '../../policies/index.ts';
import { holdsAssignment } from '../../policies/incoming.ts';
import { listFiles } from '../files/files.service.ts';
import { DOCUMENT_TYPES, formatDocumentNumber } from '../registers/document-types.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { exportRegisterPdf, exportRegisterXlsx, FOLLOW_UP_REGISTER_COLUMNS, INCOMING_REGISTER_COLUMNS, type RegisterSheet } from '../registers/register-export.ts';
import { incomingRepo } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { incomingBoxNotAllowed, incomingNotFound } from './incoming.errors.ts';
import { incomingCan, presentIncoming } from './incoming.present.ts';
import { auditIncoming, loadDocument, type ServiceCtx } from './incoming.shared.ts';
import { requestsOf } from './incoming-requests.service.ts';
import { requestsRepo } from './incoming-requests.repository.ts';
import { listNotices as listLatestNotices } from '../notices/notices.service.ts';
import type { TListIncomingQuery } from './incoming.schemas.ts';
import { incomingWorkBoxesOf } from './incoming.boxes.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { agencyHeading } from '../orgs/orgs.service.ts';
import { findUsersByIds } from '../users/users.directory.ts';

/** One document with its participants, progress, files, statuses sent back, the sender's recall/update requests and timeline. Throws incoming.not_found. */
export async function getIncoming(c: Pick<ServiceCtx, 'db' | 'actor'> & { id: string }) {
  const { doc, assignments, subject } = await loadDocument(c.db, c.actor, c.id, false);
  const isWaiting = doc.status === 'forwarded' && !!doc.forwardedTo;
  const [progress, files, statuses, timeline, duplicate, requests, [leader]] = await Promise.all([
    workRepo.listProgress(c.db, doc.id), listFiles(c.db, 'incoming', doc.id), workRepo.listStatusOut(c.db, doc.id),
    incomingRepo.timeline(c.db, doc.id), doc.duplicateOfId ? incomingRepo.findById(c.db, doc.duplicateOfId) : Promise.resolve(undefined),
    requestsOf(c.db, doc.id), findUsersByIds(c.db, isWaiting && doc.forwardedTo ? [doc.forwardedTo] : []),
  ]);
  return {
    doc: { ...presentIncoming(doc), ocrText: doc.ocrText, waitingFor: waitingFor(leader?.fullName, leader?.position) },
    assignments: assignments.map((a) => ({ ...a, isMine: holdsAssignment(c.actor, a), canReassign: can(c.actor, 'incoming.reassign', { doc: subject, assignment: a }) })),
    progress,
    files: files.map(({ sha256, ...f }) => ({ ...f, sha256 })),
    statuses,
    // people by their full name, as everywhere else on the page; jobs and the exchange (no user) as the system
    timeline: timeline.map(({ actorFullName, ...e }) => ({ ...e, actorName: actorFullName ?? e.actorName, isSystem: e.actorId === null })),
    requests,
    duplicateOf: duplicate ? { id: duplicate.id, arrivalNumber: duplicate.arrivalNumber, arrivalYear: duplicate.arrivalYear } : null,
    can: incomingCan(c.actor, subject),
  };
}

/** A file of a document the actor may see (downloads are audited). Throws incoming.not_found. */
export async function readIncomingFile(c: ServiceCtx & { id: string; fileId: string }) {
  return c.db.transaction().execute(async (tx) => {
    const { doc } = await loadDocument(tx, c.actor, c.id, false);
    const file = (await listFiles(tx, 'incoming', doc.id)).find((f) => f.id === c.fileId);
    if (!file) throw incomingNotFound({ fileId: c.fileId });
    await auditIncoming(tx, c, 'INCOMING_FILE_READ', doc, { fileId: file.id, fileName: file.fileName });
    return file;
  });
}

/**
 * The actor's lists: everything visible, the clerk's intake, the leader's direction inbox, my tasks, my unit's
 * tasks. A row has its signatures' verdict, not the verification report (kilobytes per signed PDF: 200 rows of
 * the home page's counts weighed megabytes on a phone's network); the document's page has it. Only a list of the
 * actor's roles (INCOMING_BOX_ROLES). Throws incoming.box_not_allowed.
 */
export async function listIncoming(c: Pick<ServiceCtx, 'db' | 'actor'> & { query: TListIncomingQuery }) {
  if (!can(c.actor, 'incoming.list_box', c.query.box)) throw incomingBoxNotAllowed({ box: c.query.box });
  const rows = await incomingRepo.list(c.db, c.actor, c.query);
  const today = vietnamDay();
  return rows.map(({ scanFileName, waitingForName, waitingForPosition, ...r }) => {
    const { verifyReport: _report, ...row } = presentIncoming(r, today);
    return { ...row, scanFileName, waitingFor: waitingFor(waitingForName, waitingForPosition) };
  });
}

/**
 * How much waits in each of the actor's work lists (those of their roles, incomingWorkBoxesOf): the count and
 * the overdue, by the lists' own rules — the home page's tiles without the rows; for those who answer the senders'
 * recall / update requests, how many wait for an answer (null for anyone else): all in one SQL statement.
 */
export async function countIncomingWork(c: Pick<ServiceCtx, 'db' | 'actor'>) {
  const isAnswering = can(c.actor, 'incoming.answer_request', { agencyId: c.actor.agencyId });
  const counted = await incomingRepo.countBoxes(c.db, c.actor, incomingWorkBoxesOf(c.actor), { requests: isAnswering ? requestsRepo.pendingCount(c.db, c.actor) : undefined });
  return { boxes: counted.boxes, requests: counted.requests === null ? null : { count: counted.requests } };
}

/** The leader a document in «Chờ chỉ đạo» waits for (null in any other status): shown by the list and the document page. */
function waitingFor(fullName: string | null | undefined, position: string | null | undefined): { fullName: string; position: string } | null {
  return fullName ? { fullName, position: position ?? '' } : null;
}

/** The actor's 50 latest notices (in-app; all of them are the notices domain's, /api/notices), as GET /api/incoming/notices answers them. */
export const listNotices = (c: Pick<ServiceCtx, 'db' | 'actor'>) => listLatestNotices({ ...c, limit: 50 });

const vnDate = (d: string | Date | null | undefined) => {
  if (!d) return '';
  return vnDay(typeof d === 'string' ? d : vietnamDay(d));
};
const typeName = (code: string | null) => DOCUMENT_TYPES.find((t) => t.code === code)?.name ?? '';

/**
 * The incoming register (sổ đăng ký văn bản đến, Phụ lục IV §3.2, ten columns) or the follow-up register
 * (sổ theo dõi giải quyết, §3.3, seven columns) of one year, as rows or a printable PDF / XLSX.
 * Throws forbidden.
 */
export async function incomingRegisterBook(c: Pick<ServiceCtx, 'db' | 'actor'> & { year?: number; isSecret: boolean; kind: 'register' | 'follow_up' }) {
  authorize(c.actor, 'incoming.register_book', { agencyId: c.actor.agencyId, isSecret: c.isSecret });
  const year = c.year ?? vietnamYear(new Date());
  const scope = { agencyId: c.actor.agencyId, year, isSecret: c.isSecret };
  // three queries for the whole book, however many documents it lists
  const [docs, given, replies] = await Promise.all([incomingRepo.registerBook(c.db, scope), workRepo.bookAssignments(c.db, scope),
    c.kind === 'follow_up' ? workRepo.bookReplies(c.db, scope) : Promise.resolve([])]);
  const givenTo = Map.groupBy(given, (a) => a.incomingId);
  const repliesTo = Map.groupBy(replies, (r) => r.incomingId);
  const rows: string[][] = [];
  for (const d of docs) {
    const recipients = receivedBy(d, givenTo.get(d.id) ?? []);
    const notation = [d.number, d.notation].filter(Boolean).join('/');
    if (c.kind === 'register') {
      rows.push([vnDate(d.arrivedAt), d.arrivalNumber ? formatDocumentNumber(d.arrivalNumber) : '', d.issuerName, notation, vnDate(d.documentDate),
        `${typeName(d.typeCode)}: ${d.subject}`, recipients, vnDate(d.directedAt ?? d.forwardedAt), '', d.notes]);
    } else {
      const responses = (repliesTo.get(d.id) ?? []).map((r) => r.responseNotation).join('; ');
      rows.push([d.arrivalNumber ? formatDocumentNumber(d.arrivalNumber) : '', `${typeName(d.typeCode)} số ${notation}, ngày ${vnDate(d.documentDate)} của ${d.issuerName}`,
        recipients, vnDate(d.dueDate), progressText(d.status, d.closedAt), responses, d.notes]);
    }
  }
  const heading = await agencyHeading(c.db, c.actor.agencyId);
  const sheet: RegisterSheet = {
    title: c.kind === 'register' ? 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' : 'SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN', parentAgencyName: heading.governingName ?? undefined,
    agencyName: heading.name, year, columns: c.kind === 'register' ? INCOMING_REGISTER_COLUMNS : FOLLOW_UP_REGISTER_COLUMNS, rows,
    ...(rows.length > 0 && { fromNumber: rows[0]?.[c.kind === 'register' ? 1 : 0], toNumber: rows.at(-1)?.[c.kind === 'register' ? 1 : 0] }),
  };
  return { sheet, toXlsx: () => exportRegisterXlsx(sheet), toPdf: () => exportRegisterPdf(sheet) };
}

/**
 * «Đơn vị hoặc người nhận» of both registers: the leader by name and position — the one who directed it,
 * else the one it was forwarded to — then the units and people the direction gave it to (its active
 * top-level parts), e.g.
 * «Trần Văn Minh (Chủ tịch) giao: Phòng Kinh tế (chủ trì); Lê Văn Hải (phối hợp)».
 */
// in this order: the lead first, then those supporting, then those told for information
const ROLE_TEXT: Record<string, string> = { lead: 'chủ trì', support: 'phối hợp', info: 'để biết' };

function receivedBy(
  d: { directedByName: string | null; directedByPosition: string | null; forwardedToName: string | null; forwardedToPosition: string | null },
  assignments: readonly { role: string; unitName: string | null; userName: string | null }[],
): string {
  const name = d.directedByName ?? d.forwardedToName;
  const position = d.directedByName ? d.directedByPosition : d.forwardedToPosition;
  const leader = name ? (position ? `${name} (${position})` : name) : '';
  const given = assignments.filter((a) => a.role in ROLE_TEXT)
    .sort((a, b) => Object.keys(ROLE_TEXT).indexOf(a.role) - Object.keys(ROLE_TEXT).indexOf(b.role))
    .map((a) => `${a.unitName ?? a.userName ?? ''} (${ROLE_TEXT[a.role]})`).join('; ');
  if (!leader || !given) return leader || given;
  return `${leader} giao: ${given}`;
}

function progressText(status: string, closedAt: Date | null): string {
  const labels: Record<string, string> = { registered: 'Chờ trình', forwarded: 'Chờ ý kiến chỉ đạo', assigned: 'Đã giao, chưa xử lý', in_progress: 'Đang giải quyết', recalled: 'Đã thu hồi theo đề nghị của nơi gửi', refused: 'Đã trả lại nơi gửi' };
  return status === 'done' ? `Đã giải quyết ${vnDate(closedAt)}` : labels[status] ?? status;
}
