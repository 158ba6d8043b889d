import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { fetchOutgoing, outgoingKeys } from './outgoing-api.ts';
import type { Box } from './outgoing-routes.ts';

/**
 * The outgoing pages' first requests, one definition each: the page's `useQuery` and its route's preload
 * (`preloads` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way.
 */

/** One outgoing document (GET /api/outgoing/:id): the document page. */
export const outgoingDetailQuery = (id: string) => queryOptions({ queryKey: outgoingKeys.detail(id), queryFn: () => fetchOutgoing(id) });

/** How many documents wait in each of the user's work lists (GET /api/outgoing/counts): the home page's tiles. */
export const outgoingCountsQuery = () => queryOptions({ queryKey: [...outgoingKeys.all, 'counts'], queryFn: () => unwrap(api.outgoing.counts.$get()) });

/** One work list, its first 200 rows, searched for `search` when given (GET /api/outgoing?box=): the list page. */
export const outgoingListQuery = (box: Box, search: string) => queryOptions({
  queryKey: outgoingKeys.list(box, search),
  queryFn: () => unwrap(api.outgoing.$get({ query: { box, limit: '200', ...(search && { search }) } })),
});
