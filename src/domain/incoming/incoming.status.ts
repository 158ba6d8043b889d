import { incomingBadStatus } from './incoming.errors.ts';

/** Where an incoming document is in its flow (ND 30 Art. 20: tiếp nhận → đăng ký → trình → giải quyết). */
export const INCOMING_STATUSES = ['received', 'registered', 'forwarded', 'assigned', 'in_progress', 'done', 'refused', 'recalled'] as const;
export type IncomingStatus = (typeof INCOMING_STATUSES)[number];

/** The statuses in which a document is over — done, refused, recalled: its deadline no longer runs (never overdue). */
export const ENDED_STATUSES = ['done', 'refused', 'recalled'] as const satisfies readonly IncomingStatus[];

/**
 * The allowed moves: the one place that says which action may follow which. `recalled` (ND 30 Art.
 * 18.4.b): the sender recalled or replaced the document and the clerk agreed; it leaves every active list.
 */
export const incomingTransitions = {
  received: ['registered', 'refused', 'recalled'],
  registered: ['forwarded', 'assigned', 'recalled'],
  forwarded: ['forwarded', 'assigned', 'recalled'],
  assigned: ['assigned', 'in_progress', 'done', 'recalled'],
  in_progress: ['in_progress', 'done', 'recalled'],
  done: ['in_progress', 'recalled'],
  refused: [],
  recalled: [],
} as const satisfies Record<IncomingStatus, readonly IncomingStatus[]>;

/** Whether `from → to` is an allowed move. */
export function canTransition(from: string, to: IncomingStatus): boolean {
  const allowed: readonly string[] = (incomingTransitions as Record<string, readonly string[]>)[from] ?? [];
  return allowed.includes(to);
}

/** Throws incoming.bad_status unless `from → to` is an allowed move. */
export function assertTransition(from: string, to: IncomingStatus): void {
  if (!canTransition(from, to)) throw incomingBadStatus({ from, to });
}

/** QCVN 102:2016 status codes sent back to the sender, and the status that triggers each. */
export const SENDER_STATUS = {
  arrived: '01',
  refused: '02',
  registered: '03',
  assigned: '04',
  inProgress: '05',
  done: '06',
  agreed: '15',
  disagreed: '16',
} as const;
export type SenderStatusCode = (typeof SENDER_STATUS)[keyof typeof SENDER_STATUS];

export const SENDER_STATUS_TEXT: Record<SenderStatusCode, string> = {
  '01': 'Đã đến',
  '02': 'Từ chối tiếp nhận',
  '03': 'Đã tiếp nhận, vào sổ',
  '04': 'Đã phân công xử lý',
  '05': 'Đang xử lý',
  '06': 'Hoàn thành',
  '15': 'Đồng ý thu hồi/cập nhật',
  '16': 'Từ chối thu hồi/cập nhật',
};

/** Urgency rank for sorting (Hỏa tốc first); unknown codes sort as ordinary. */
export const URGENCY_RANK: Record<string, number> = { hoa_toc_hen_gio: 4, hoa_toc: 3, thuong_khan: 2, khan: 1, thuong: 0 };
export const isUrgent = (urgency: string): boolean => (URGENCY_RANK[urgency] ?? 0) > 0;

/** Actions that do not change the document's status, and the statuses they are allowed in. */
export const ACTION_STATUSES = {
  reassign: ['assigned', 'in_progress'],
  progress: ['assigned', 'in_progress'],
  attachResult: ['assigned', 'in_progress'],
} as const satisfies Record<string, readonly IncomingStatus[]>;

/** Throws incoming.bad_status unless `action` is allowed in `status`. */
export function assertActionAllowed(status: string, action: keyof typeof ACTION_STATUSES): void {
  if (!(ACTION_STATUSES[action] as readonly string[]).includes(status)) throw incomingBadStatus({ status, action });
}
