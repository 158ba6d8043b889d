import type { ClientResponse, InferResponseType } from 'hono/client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { StatusTone } from '../documents/document-badges.tsx';
import type { Translate } from '../../i18n/i18n.tsx';
import { fetchOutgoing, outgoingQueryKeys } from './outgoing.queries.ts';

export { fetchOutgoing };

export type OutgoingItem = InferResponseType<typeof api.outgoing.$get, 200>['data'][number];
export type OutgoingDetailResponse = InferResponseType<(typeof api.outgoing)[':id']['$get'], 200>;
export type OutgoingDetail = OutgoingDetailResponse['data'];
export type OutgoingCan = OutgoingDetailResponse['can'];
export type OutgoingFile = OutgoingDetail['files'][number];
export type SignOutcome = InferResponseType<typeof api.outgoing.sign.$post, 200>['data'][number];

/** How each status reads at a glance. */
export const STATUS_TONE: Record<string, StatusTone> = {
  draft: 'neutral', in_review: 'progress', returned: 'danger', awaiting_signature: 'waiting', signed: 'progress',
  issued: 'success', recalled: 'muted', replaced: 'muted', cancelled: 'muted',
};

type RecipientCounts = OutgoingItem['recipientCounts'];

/**
 * What the recipients did with the latest request asked of them: a recall (the document is recalled: taken
 * back from how many of those asked, how many refused to give it back) or an update (still issued: how many
 * of those asked agreed, how many refused, how many have not answered yet); null when nothing was asked.
 * One line for both, «Đồng ý thu hồi 1/2 · từ chối 1» / «Đồng ý cập nhật 1/2 · chưa trả lời 1» (a recall's
 * line leaves the unanswered to the page's rows). The colour: red once one refused, teal when all agreed,
 * orange while answers are awaited.
 */
export function recipientAnswers(status: string, n: RecipientCounts, t: Translate): { text: string; color: string } | null {
  const kind = status === 'recalled' ? 'recalled' : status === 'issued' ? 'updated' : null;
  const asked = n.agreed + n.disagreed + n.awaiting;
  if (!kind || asked === 0) return null;
  const refused = n.disagreed > 0 ? ` · ${t('outgoing.recipients.refused', { count: n.disagreed })}` : '';
  const awaiting = kind === 'updated' && n.awaiting > 0 ? ` · ${t('outgoing.recipients.awaiting', { count: n.awaiting })}` : '';
  const color = n.disagreed > 0 ? 'red' : n.agreed === asked ? 'teal' : 'orange';
  return { text: t(`outgoing.recipients.${kind}`, { count: n.agreed, total: asked }) + refused + awaiting, color };
}

export const outgoingKeys = outgoingQueryKeys;

/** The address of a document's file (the session cookie authorises it); `download` asks for an attachment. */
export const fileUrl = (id: string, fileId: string, download = false) => `/api/outgoing/${id}/files/${fileId}${download ? '?download=1' : ''}`;
/** The verification report of a stored file (GET, see SignaturePanel). */
export const verifyUrl = (id: string, fileId: string) => `/api/verification/documents/outgoing/${id}/files/${fileId}`;


/** The file a version is read from: the issued PDF, else the signed one, else the draft's main file. */
export function displayFile(files: readonly OutgoingFile[], version: number): OutgoingFile | undefined {
  const own = files.filter((f) => f.version === version);
  return own.find((f) => f.note === 'issued') ?? own.find((f) => f.note === 'approved') ?? own.find((f) => f.kind === 'main');
}

/** Sends a multipart form through the typed client, so the session's CSRF header is added. */
export function sendForm<T>(call: (init: RequestInit) => Promise<ClientResponse<T>>, form: FormData): Promise<T> {
  return unwrap(call({ body: form }));
}

/** Server facts every page needs once: demo mode (sample file, demo PIN). */
export function usePublicInfo() {
  return useQuery({ queryKey: ['public-info'], queryFn: () => unwrap(api.public.info.$get()), staleTime: Infinity });
}

/** The reference lists (document types of ND 30, urgency, secrecy). */
export function useReference() {
  return useQuery({ queryKey: ['registers', 'reference'], queryFn: () => unwrap(api.registers.reference.$get()), staleTime: Infinity });
}

/** The people and units of the user's agency (signers, reviewers, internal recipients). */
export function useDirectory() {
  const users = useQuery({ queryKey: ['users', { limit: 500 }], queryFn: () => unwrap(api.users.$get({ query: { limit: '500' } })), staleTime: 5 * 60_000 });
  const units = useQuery({ queryKey: ['units'], queryFn: () => unwrap(api.orgs.units.$get()), staleTime: 5 * 60_000 });
  return { users: users.data?.data ?? [], units: units.data?.data ?? [], isPending: users.isPending || units.isPending, error: users.error ?? units.error };
}
