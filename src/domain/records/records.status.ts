import { recordsBadStatus, recordsReadOnly } from './records.errors.ts';

export const RECORDS_FILE_STATUSES = ['open', 'closed', 'handed_over'] as const;
export type RecordsFileStatus = (typeof RECORDS_FILE_STATUSES)[number];

/** A file is kept open while work goes on, closed (kết thúc) when it ends, then handed over (nộp lưu) for good. */
export const recordsFileTransitions = {
  open: ['closed'],
  closed: ['open', 'handed_over'],
  handed_over: [],
} as const satisfies Record<RecordsFileStatus, readonly RecordsFileStatus[]>;

/** Throws records.read_only for a handed-over file, records.bad_status for any other move not allowed. */
export function assertFileTransition(from: string, to: RecordsFileStatus): void {
  if (from === 'handed_over') throw recordsReadOnly();
  const allowed: readonly string[] = recordsFileTransitions[from as RecordsFileStatus] ?? [];
  if (!allowed.includes(to)) throw recordsBadStatus({ status: from, to });
}

/** Throws unless documents may still be added or removed (only while the file is open). */
export function assertFileOpen(status: string): void {
  if (status === 'handed_over') throw recordsReadOnly();
  if (status !== 'open') throw recordsBadStatus({ status });
}

/** Incoming documents that may be filed: registered, whatever their handling stage (not merely received or refused). */
export const FILEABLE_INCOMING = ['registered', 'forwarded', 'assigned', 'in_progress', 'done', 'recalled'] as const;
/** Incoming documents whose handling has ended: a file holding only such documents may be closed. */
export const FINISHED_INCOMING = ['done', 'recalled'] as const;
/** Outgoing documents that may be filed: issued ones, still part of the record after a recall or replacement. */
export const FILEABLE_OUTGOING = ['issued', 'recalled', 'replaced'] as const;

/** Whether a document in this status may be filed (FILEABLE_INCOMING or FILEABLE_OUTGOING by its kind). */
export const isFileable = (ownerType: 'incoming' | 'outgoing', status: string): boolean =>
  ((ownerType === 'incoming' ? FILEABLE_INCOMING : FILEABLE_OUTGOING) as readonly string[]).includes(status);
