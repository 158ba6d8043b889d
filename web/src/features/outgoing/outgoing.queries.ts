import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { Box } from './outgoing-routes.ts';

/**
 * The outgoing pages' first requests, one definition each: the page's `useQuery` and its route's preload
 * (`pageQuery` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way. Kept apart from outgoing-api.ts
 * (which takes its keys from here): the routes import this module, so it comes with the login page's code.
 */

/** The keys of the outgoing documents' queries (outgoingKeys in outgoing-api.ts). */
export const outgoingQueryKeys = {
  all: ['outgoing'] as const,
  list: (box: Box, search: string) => ['outgoing', 'list', box, search] as const,
  detail: (id: string) => ['outgoing', 'detail', id] as const,
};

export const fetchOutgoing = (id: string) => unwrap(api.outgoing[':id'].$get({ param: { id } }));

/** One outgoing document (GET /api/outgoing/:id): the document page. */
export const outgoingDetailQuery = (id: string) => queryOptions({ queryKey: outgoingQueryKeys.detail(id), queryFn: () => fetchOutgoing(id) });

/** How many documents wait in each of the user's work lists (GET /api/outgoing/counts): the home page's tiles. */
export const outgoingCountsQuery = () => queryOptions({ queryKey: [...outgoingQueryKeys.all, 'counts'], queryFn: () => unwrap(api.outgoing.counts.$get()) });

/** One work list, its first 200 rows, searched for `search` when given (GET /api/outgoing?box=): the list page. */
export const outgoingListQuery = (box: Box, search: string) => queryOptions({
  queryKey: outgoingQueryKeys.list(box, search),
  queryFn: () => unwrap(api.outgoing.$get({ query: { box, limit: '200', ...(search && { search }) } })),
});
