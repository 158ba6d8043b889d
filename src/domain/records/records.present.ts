import { policiesFor } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { RECORDS_FILE_ACTIONS, type RecordsKeepSubject } from '../../policies/records.ts';
import { accessHistoryCan, accessHistorySubject } from '../../policies/access.ts';
import { DOCUMENT_TYPES, formatDocumentNumber } from '../registers/document-types.ts';
import type { FiledDocumentRow, RecordsFileRow, recordsRepo } from './records.repository.ts';
import { retentionText } from './records.context.ts';
import type { handOverRepo } from './records-hand-over.repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d : d.toISOString());

/**
 * A work file as the API shows it. `fileCode` is the Mã hồ sơ of ND 30 Phụ lục VI (agency code, year,
 * số/ký hiệu), as in TT 02/2019's example `000.00.00.G09.2010.01.TH`.
 */
export function presentFile(f: RecordsFileRow) {
  return {
    id: f.id, fileCode: `${f.agencyCode}.${f.year}.${f.notation}`, agencyName: f.agencyName, year: f.year, notation: f.notation, title: f.title,
    retention: f.retention, retentionText: retentionText(f.retention), planEntryId: f.planEntryId, status: f.status, description: f.description,
    ownerId: f.ownerId, ownerName: f.ownerName, unitId: f.unitId, unitName: f.unitName, documentCount: Number(f.documentCount ?? 0),
    startDate: f.startDate, endDate: f.endDate, docTotal: f.docTotal, pageTotal: f.pageTotal,
    createdAt: iso(f.createdAt), closedAt: iso(f.closedAt), handedOverAt: iso(f.handedOverAt), handedOverByName: f.handedOverByName,
    /** The đợt nộp lưu it was handed over in (GET /api/records/hand-over-batches/:id: its biên bản and whether the archive received it); null before. */
    handOverBatchId: f.handOverBatchId,
    /** The day a closed file is due in the agency archive (ND 30 Art. 30.2.b); null when not closed, or kept under 5 years. */
    handOverDueDate: f.handOverDueDate,
    /** 'overdue' past that day, 'due_soon' within the 30 days before it (the server counts them; the web only shows it), else null. */
    handOverState: f.handOverState,
  };
}
export type TRecordsFileView = ReturnType<typeof presentFile>;

const typeName = (code: string | null) => DOCUMENT_TYPES.find((t) => t.code === code)?.name ?? '';

/**
 * One line of the mục lục văn bản trong hồ sơ (Phụ lục V): STT, số/ký hiệu, date, type and subject,
 * author, pages. A Mật document the actor may not open shows only that it is there.
 */
export function presentDocument(d: FiledDocumentRow, ordinal: number) {
  const incoming = d.ownerType === 'incoming';
  const isSecret = !!(incoming ? d.inSecret : d.outSecret);
  const hidden = isSecret && !d.isVisible;
  const number = incoming ? [d.inNumber, d.inNotation].filter(Boolean).join('/') : d.outNumber ? `${formatDocumentNumber(d.outNumber)}/${d.outNotation ?? ''}` : '';
  return {
    ordinal, id: d.id, ownerType: d.ownerType as 'incoming' | 'outgoing', ownerId: d.ownerId, addedAt: iso(d.addedAt),
    number: hidden ? '' : number, documentDate: d.documentDate, typeName: hidden ? '' : typeName(incoming ? d.inType : d.outType),
    subject: hidden ? null : (incoming ? d.inSubject : d.outSubject) ?? '', author: (incoming ? d.issuerName : d.outAgencyName) ?? '',
    pageCount: d.pageCount, status: (incoming ? d.inStatus : d.outStatus) ?? '', arrivalNumber: incoming ? d.arrivalNumber : null,
    isSecret, canOpen: !!d.isVisible,
  };
}
export type TFiledDocumentView = ReturnType<typeof presentDocument>;

type FileableFound = Awaited<ReturnType<typeof recordsRepo.searchFileable>>;

/**
 * Documents one may put in a file, both kinds in one list, newest first (arrival or issue), each with the
 * date it bears (an incoming one's own date, else its arrival; an outgoing one's issue); outgoing ones are the agency's own.
 */
export function presentDocumentChoices(found: FileableFound, agencyName: string) {
  const choices = [
    ...found.incoming.map((d) => ({
      ownerType: 'incoming' as const, ownerId: d.id, subject: d.subject, typeName: typeName(d.typeCode), status: d.status, at: iso(d.at), documentDate: d.documentDate ?? iso(d.at),
      number: [d.number, d.notation].filter(Boolean).join('/'), author: d.issuerName, arrivalNumber: d.arrivalNumber as number | null,
    })),
    ...found.outgoing.map((d) => ({
      ownerType: 'outgoing' as const, ownerId: d.id, subject: d.subject, typeName: typeName(d.typeCode), status: d.status, at: iso(d.at), documentDate: iso(d.at),
      number: d.number ? `${formatDocumentNumber(d.number)}/${d.notation ?? ''}` : '', author: agencyName, arrivalNumber: null,
    })),
  ];
  return choices.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
}

/** The `can` block of a file: what the actor may do with it (the keep-back actions need its hand-over date and request), and whether its page may show who opened it. */
export const fileCan = (actor: Actor, f: RecordsKeepSubject) => ({
  ...policiesFor(actor, {
    agencyId: f.agencyId, ownerId: f.ownerId, unitId: f.unitId, status: f.status, hasHandOverDue: f.hasHandOverDue, keepStatus: f.keepStatus, isExtensionPending: f.isExtensionPending,
  }, RECORDS_FILE_ACTIONS),
  ...accessHistoryCan(actor, accessHistorySubject.records_file(f)),
});

type KeepRow = Awaited<ReturnType<typeof handOverRepo.findKeep>>;
type KeepHistoryRow = Awaited<ReturnType<typeof handOverRepo.keepHistory>>[number];

/** One request of a file's keep-back history: to keep it back or to extend the keep (from previousUntil), and its answer; clearedAt once the file was reopened. */
const presentKeepRequest = (h: KeepHistoryRow) => ({
  id: h.id, kind: h.kind as 'keep' | 'extend', until: h.until, previousUntil: h.previousUntil, reason: h.reason, requestedByName: h.requestedByName, requestedAt: iso(h.requestedAt),
  status: h.status as 'requested' | 'approved' | 'refused' | 'cancelled', decidedByName: h.decidedByName, decidedAt: iso(h.decidedAt), note: h.note, clearedAt: iso(h.clearedAt),
});

/**
 * A file's keep-back (ND 30 Art. 31.3.d; status null when none was asked): the keep in force or the first request (until
 * when, why, who, when), the leader's answer, the legal hand-over date it moves and the latest day it may move to (02 years
 * after); the request waiting (the first or an extension), the earliest day an extension may run to, and every request so far.
 */
export function presentKeep(k: KeepRow, history: readonly KeepHistoryRow[]) {
  const requests = history.map(presentKeepRequest);
  return {
    status: k.keepStatus as 'requested' | 'approved' | 'refused' | null, until: k.keepUntil, reason: k.keepReason ?? '', requestedBy: k.keepRequestedBy, requestedByName: k.requestedByName,
    requestedAt: iso(k.keepRequestedAt), decidedByName: k.decidedByName, decidedAt: iso(k.keepDecidedAt), note: k.keepNote ?? '',
    legalDueDate: k.legalDueDate, earliestUntil: k.keepEarliest, latestUntil: k.keepLimit, extendEarliest: k.extendEarliest,
    pending: requests.find((r) => r.status === 'requested') ?? null, history: requests,
  };
}

/** Whether a file is a construction file (XDCB) and the day its works were settled (ND 30 Art. 30.2.a: due 03 months after). */
export const presentConstruction = (k: KeepRow) => ({ isConstruction: k.isConstruction, settledOn: k.constructionSettledOn });

/** One line of the Danh mục hồ sơ giữ lại: the file, why and until when it is kept, and who agreed. */
export function presentKept(k: Awaited<ReturnType<typeof handOverRepo.listKept>>[number]) {
  return {
    id: k.id, fileCode: `${k.agencyCode}.${k.year}.${k.notation}`, year: k.year, notation: k.notation, title: k.title, retention: k.retention, retentionText: retentionText(k.retention),
    docTotal: k.docTotal, pageTotal: k.pageTotal, ownerName: k.ownerName, unitName: k.unitName, legalDueDate: k.legalDueDate, keepUntil: k.keepUntil,
    reason: k.keepReason ?? '', note: k.keepNote ?? '', requestedByName: k.requestedByName, decidedByName: k.decidedByName, decidedAt: iso(k.keepDecidedAt),
  };
}
