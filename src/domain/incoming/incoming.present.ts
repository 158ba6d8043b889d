import { policiesFor } from '../../policies/index.ts';
import type { IncomingSubject } from '../../policies/incoming.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { accessHistoryCan, accessHistorySubject } from '../../policies/access.ts';
import type { Actor } from '../../policies/actor.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import type { IncomingDoc } from './incoming.repository.ts';
import { ENDED_STATUSES, isUrgent } from './incoming.status.ts';
import { guessFromOcr } from './incoming.ocr-guess.ts';
import { verifyVerdict, type IncomingVerifyReport } from './incoming.verify.ts';

/** Days before the deadline from which a document is "due soon". */
export const DUE_SOON_DAYS = 2;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A document as the API returns it: no search internals, with số đến text and deadline flags (`hasOcrText` given by a list, which reads no OCR text). */
export function presentIncoming(doc: IncomingDoc & { hasOcrText?: boolean }, today = vietnamDay()) {
  const { searchText, ocrText, verifyReport, ...rest } = doc;
  void searchText;
  const isOpen = !(ENDED_STATUSES as readonly string[]).includes(doc.status);
  return {
    ...rest,
    arrivalNumberText: doc.arrivalNumber ? formatDocumentNumber(doc.arrivalNumber) : null,
    isUrgent: isUrgent(doc.urgency),
    isOverdue: isOpen && !!doc.dueDate && doc.dueDate < today,
    isDueSoon: isOpen && !!doc.dueDate && doc.dueDate >= today && doc.dueDate <= addDays(today, DUE_SOON_DAYS),
    hasOcrText: doc.hasOcrText ?? !!ocrText,
    // a scan waiting to be registered: what its OCR'd page says, to prefill the entry and tell scans apart
    ocrGuess: doc.source === 'paper' && doc.status === 'received' && ocrText ? guessFromOcr(ocrText) : null,
    verifyReport: verifyReport ?? null,
    verifyVerdict: doc.verifyStatus === 'done' && verifyReport ? verifyVerdict((verifyReport as { files: { report: IncomingVerifyReport }[] }).files ?? []) : null,
  };
}
export type TIncomingView = ReturnType<typeof presentIncoming>;

export const INCOMING_ACTIONS = ['incoming.register', 'incoming.refuse', 'incoming.forward', 'incoming.direct', 'incoming.close', 'incoming.reopen', 'incoming.answer_request'] as const;

/** The actions the actor may take on a document, and whether its page may show who opened it (UI hints; the services check again). */
export function incomingCan(actor: Actor, subject: IncomingSubject) {
  return { ...policiesFor(actor, subject, INCOMING_ACTIONS), ...accessHistoryCan(actor, accessHistorySubject.incoming(subject)) };
}
