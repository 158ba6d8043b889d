import { outgoingBadStatus } from './outgoing.errors.ts';

/**
 * The life of an outgoing document (ND 30 Art. 10–18): drafted, reviewed along a chain, signed by the
 * competent person (approval signature), issued by the clerk (number + seal), then possibly recalled
 * or replaced. `returned` is a draft sent back with comments.
 */
export const OUTGOING_STATUSES = ['draft', 'in_review', 'returned', 'awaiting_signature', 'signed', 'issued', 'recalled', 'replaced', 'cancelled'] as const;
export type OutgoingStatus = (typeof OUTGOING_STATUSES)[number];

export const outgoingTransitions = {
  draft: ['in_review', 'awaiting_signature', 'cancelled'],
  in_review: ['in_review', 'returned', 'awaiting_signature'],
  returned: ['in_review', 'awaiting_signature', 'cancelled'],
  awaiting_signature: ['signed', 'returned'],
  signed: ['issued', 'returned'],
  issued: ['recalled', 'replaced'],
  recalled: [],
  replaced: [],
  cancelled: [],
} as const satisfies Record<OutgoingStatus, readonly OutgoingStatus[]>;

/** Statuses in which the drafter may still change metadata and files. */
export const EDITABLE_STATUSES: readonly OutgoingStatus[] = ['draft', 'returned'];

/** Whether `from` may move to `to`. */
export function canTransition(from: string, to: OutgoingStatus): boolean {
  const allowed = (outgoingTransitions as Record<string, readonly string[]>)[from];
  return !!allowed && allowed.includes(to);
}

/** Throws outgoing.bad_status (409, with the current status in details) unless `from` may move to `to`. */
export function assertTransition(from: string, to: OutgoingStatus, action: string): void {
  if (!canTransition(from, to)) throw outgoingBadStatus({ status: from, action });
}

/** QCVN 102:2016 status codes a recipient reports (01–06) and the recall answers (13, 15, 16). */
export const RECIPIENT_STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type RecipientStatusCode = (typeof RECIPIENT_STATUS_CODES)[number];

export const RECIPIENT_STATUS_LABELS: Record<RecipientStatusCode, string> = {
  '01': 'Đã đến', '02': 'Từ chối tiếp nhận', '03': 'Đã tiếp nhận (vào sổ)', '04': 'Đã phân công', '05': 'Đang xử lý',
  '06': 'Hoàn thành', '13': 'Đã yêu cầu thu hồi', '15': 'Đồng ý thu hồi', '16': 'Từ chối thu hồi',
};

/** The same request (13) and answers (15/16) about an update (cập nhật, BussinessDocType 2) rather than a recall. */
export const UPDATE_ANSWER_LABELS: Partial<Record<RecipientStatusCode, string>> = { '13': 'Đã đề nghị cập nhật', '15': 'Đồng ý cập nhật', '16': 'Từ chối cập nhật' };
/** How the sender's 13 about an update begins its description ("Đề nghị cập nhật: lý do"); a recall's 13 carries its reason alone. */
export const UPDATE_ASKED = 'Đề nghị cập nhật';
/** A recipient that refused the document (02) before a recall: it gets no request and owes no answer. */
export const RECALL_NOT_CONCERNED = 'Đã từ chối nhận — không cần thu hồi';
/** A recipient asked about an update that then refused the document (02): it owes no answer. */
export const UPDATE_NOT_CONCERNED = 'Đã từ chối nhận — không cần cập nhật';
/** A unit of the agency itself, on a recall: nobody answers for it — its members may no longer open the document. */
export const RECALLED_FROM_UNIT = 'Đã thu hồi khỏi đơn vị';

/** Whether a 13, 15 or 16 says it is about an update, as vanthu words them («Đề nghị cập nhật: …», «Đồng ý/Từ chối cập nhật…»). */
export const isAboutUpdate = (description: string): boolean => /^(Đồng ý|Từ chối|Đề nghị) cập nhật/.test(description);

/**
 * What a recipient's status event means: 13 asks, 15/16 answer, a recall or an update. The sender writes
 * "Đề nghị cập nhật: …" for an update's 13 and the incoming flow "Đồng ý/Từ chối cập nhật…" for its answer;
 * without that, an event while the document is still issued (a recall moves it to `recalled`) is about an update.
 */
export function recipientEventLabel(e: { code: string; description: string }, docStatus: string): string {
  const code = e.code as RecipientStatusCode;
  const isUpdate = isAboutUpdate(e.description) || (docStatus === 'issued' && !/^(Đồng ý|Từ chối) thu hồi/.test(e.description));
  return (isUpdate && UPDATE_ANSWER_LABELS[code]) || RECIPIENT_STATUS_LABELS[code] || e.code;
}

/** Competences (quyền hạn) of the signer, Phụ lục I Mục II.7.đ. */
export const SIGNER_COMPETENCES = ['TM', 'KT', 'Q', 'TL', 'TUQ'] as const;
export type SignerCompetence = (typeof SIGNER_COMPETENCES)[number];
