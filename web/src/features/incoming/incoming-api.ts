import type { InferResponseType } from 'hono/client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { MessageKey } from '../../i18n/i18n.tsx';
import type { IncomingBox } from '../../../../src/domain/incoming/incoming.boxes.ts';
import { fetchDetail, incomingCountsQuery, incomingQueryKeys } from './incoming.queries.ts';

export { fetchDetail };

export type IncomingListItem = InferResponseType<typeof api.incoming.$get, 200>['data'][number];
export type IncomingDetail = InferResponseType<(typeof api.incoming)[':id']['$get'], 200>['data'];
export type Directory = InferResponseType<typeof api.incoming.directory.$get, 200>['data'];
export type Box = IncomingBox;

/** The incoming lists as the list page's tabs; whose each one is: the server's table (INCOMING_BOX_ROLES, hasIncomingBox). */
export const INCOMING_BOXES: { box: Box; label: MessageKey }[] = [
  { box: 'intake', label: 'incoming.box.intake' },
  { box: 'direct', label: 'incoming.box.direct' },
  { box: 'mine', label: 'incoming.box.mine' },
  { box: 'unit', label: 'incoming.box.unit' },
  { box: 'following', label: 'incoming.box.following' },
  { box: 'all', label: 'incoming.box.all' },
];

/** Who answers a sender's recall / update requests (policy incoming.answer_request): they have the requests list. */
export const REQUEST_ANSWER_ROLES: readonly ('clerk' | 'leader')[] = ['clerk', 'leader'];

export const incomingKeys = {
  all: ['incoming'] as const,
  list: incomingQueryKeys.list,
  detail: incomingQueryKeys.detail,
  directory: ['incoming', 'directory'] as const,
  counts: incomingQueryKeys.counts,
};

/**
 * How much waits in each of the user's incoming work lists and, for those who answer them, how many senders'
 * recall / update requests wait (GET /api/incoming/counts, one request): the home page's tiles and the list's
 * requests tab. Asked again every 30 s while the page is visible — a pending recall holds its document back.
 */
export function useIncomingCounts(isEnabled = true) {
  return useQuery({
    ...incomingCountsQuery(), enabled: isEnabled,
    refetchInterval: 30_000, refetchIntervalInBackground: false,
  });
}

/** Sends files as multipart through the typed client (so the session's CSRF header is added). */
export function uploadFiles<T>(call: (init: RequestInit) => Promise<import('hono/client').ClientResponse<T>>, files: readonly File[]): Promise<T> {
  const form = new FormData();
  for (const f of files) form.append('file', f);
  return unwrap(call({ body: form }));
}

/**
 * A document's title: its trích yếu; for a scan not registered yet, what its OCR'd page says (trích yếu
 * or first line), so that two waiting scans can be told apart.
 */
export function incomingTitle(doc: Pick<IncomingDetail['doc'], 'subject' | 'source' | 'ocrGuess'>, t: (key: 'incoming.paperUntitled' | 'incoming.noSubject') => string): string {
  return doc.subject || doc.ocrGuess?.subject || doc.ocrGuess?.firstLine || t(doc.source === 'paper' ? 'incoming.paperUntitled' : 'incoming.noSubject');
}

/** A leader as a document names them: «Trần Văn Minh (Chủ tịch)». */
export const leaderLabel = (p: { fullName: string; position: string | null }) => (p.position ? `${p.fullName} (${p.position})` : p.fullName);

export const fetchDirectory = () => unwrap(api.incoming.directory.$get());

/** The address of a document's file (downloads go through the API with the session cookie). */
export const fileUrl = (id: string, fileId: string) => `/api/incoming/${id}/files/${fileId}`;

/** Urgency colours: the three urgent levels stand out everywhere. */
export const URGENCY_COLOR: Record<string, string> = { hoa_toc_hen_gio: 'red', hoa_toc: 'red', thuong_khan: 'orange', khan: 'yellow' };
export const STATUS_COLOR: Record<string, string> = { received: 'gray', registered: 'blue', forwarded: 'violet', assigned: 'indigo', in_progress: 'cyan', done: 'teal', refused: 'red', recalled: 'dark' };
