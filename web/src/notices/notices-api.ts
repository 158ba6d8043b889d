import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

/** One notice as GET /api/notices answers it. */
export type Notice = Awaited<ReturnType<typeof fetchNotices>>['data'][number];
type Subject = Pick<Notice, 'kind' | 'incomingId' | 'outgoingId' | 'recordsFileId'>;

/** One cache for the bell and the incoming page's card, so that marking read in one updates the other. */
export const noticesKeys = {
  all: ['notices'] as const,
  list: ['notices', 'list'] as const,
  unread: ['notices', 'unread-count'] as const,
};

// The badge asks a few bytes once a minute (and when the window comes back): cheap on a slow network.
const UNREAD_POLL_MS = 60_000;

const fetchNotices = () => unwrap(api.notices.$get({ query: {} }));
const fetchUnread = () => unwrap(api.notices['unread-count'].$get());

/**
 * Where a notice leads: a hand-over batch waiting for the archivist to the batches to receive; else the work
 * file, the outgoing document or the incoming document it is about; a seal's expiry warning to the certificates
 * page, a personal certificate's to the outgoing documents; a backup's warning, about none of them, to the backups page.
 */
export function noticeLink(n: Subject): string {
  if (n.kind === 'hand_over_batch') return '/records/hand-over';
  if (n.kind === 'seal_expiring') return '/admin/certificates';
  if (n.kind === 'certificate_expiring') return '/outgoing';
  if (n.recordsFileId) return `/records/${n.recordsFileId}`;
  if (n.outgoingId) return `/outgoing/${n.outgoingId}`;
  return n.incomingId ? `/incoming/${n.incomingId}` : '/admin/backups';
}

/** The user's newest notices (30), read or not; `enabled` false until someone looks at them. */
export function useNotices({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: noticesKeys.list, queryFn: fetchNotices, enabled });
}

/** How many notices the user has not read, polled; when it grows, the list (if shown) is fetched again. */
export function useUnreadNotices(): number | undefined {
  const queryClient = useQueryClient();
  const unread = useQuery({ queryKey: noticesKeys.unread, queryFn: fetchUnread, refetchInterval: UNREAD_POLL_MS, refetchOnWindowFocus: 'always' }).data?.data.unread;
  const previous = useRef(unread);
  useEffect(() => {
    if (unread !== undefined && previous.current !== undefined && unread > previous.current) void queryClient.invalidateQueries({ queryKey: noticesKeys.list });
    previous.current = unread;
  }, [unread, queryClient]);
  return unread;
}

type Snapshot = { list?: Awaited<ReturnType<typeof fetchNotices>>; unread?: Awaited<ReturnType<typeof fetchUnread>> };

/**
 * Marks some notices (by id) or all of them read. The list and the badge change at once; the server's
 * answer carries the unread count, so nothing is fetched again; a failure puts both back.
 */
export function useMarkNoticesRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids: number[] } | { all: true }) => unwrap(api.notices.read.$post({ json: body })),
    onMutate: async (body): Promise<Snapshot> => {
      await queryClient.cancelQueries({ queryKey: noticesKeys.all });
      const snapshot: Snapshot = { list: queryClient.getQueryData(noticesKeys.list), unread: queryClient.getQueryData(noticesKeys.unread) };
      const isMarked = (n: Notice) => !n.readAt && ('all' in body || body.ids.includes(n.id));
      const now = new Date().toISOString();
      const marked = snapshot.list?.data.filter(isMarked).length ?? 0;
      if (snapshot.list) queryClient.setQueryData(noticesKeys.list, { data: snapshot.list.data.map((n) => (isMarked(n) ? { ...n, readAt: now } : n)) });
      if (snapshot.unread) queryClient.setQueryData(noticesKeys.unread, { data: { unread: 'all' in body ? 0 : Math.max(0, snapshot.unread.data.unread - marked) } });
      return snapshot;
    },
    onSuccess: (answer) => queryClient.setQueryData(noticesKeys.unread, { data: { unread: answer.data.unread } }),
    onError: (_error, _body, snapshot) => {
      if (snapshot?.list) queryClient.setQueryData(noticesKeys.list, snapshot.list);
      if (snapshot?.unread) queryClient.setQueryData(noticesKeys.unread, snapshot.unread);
      void queryClient.invalidateQueries({ queryKey: noticesKeys.all });
    },
  });
}
