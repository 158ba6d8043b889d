import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { IncomingBox } from '../../../../src/domain/incoming/incoming.boxes.ts';

/**
 * The incoming pages' first requests, one definition each: the page's `useQuery` and its route's preload
 * (`pageQuery` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way. Kept apart from incoming-api.ts
 * (which takes its keys from here): the routes import this module, so it comes with the login page's code.
 */

/** The keys of these queries (incomingKeys in incoming-api.ts has them with the others). */
export const incomingQueryKeys = {
  list: (box: IncomingBox, q: string) => ['incoming', 'list', box, q] as const,
  detail: (id: string) => ['incoming', 'detail', id] as const,
  counts: ['incoming', 'counts'] as const,
};

export const fetchDetail = (id: string) => unwrap(api.incoming[':id'].$get({ param: { id } }));

/** One incoming document (GET /api/incoming/:id): the document page. */
export const incomingDetailQuery = (id: string) => queryOptions({ queryKey: incomingQueryKeys.detail(id), queryFn: () => fetchDetail(id) });

/** One incoming list, searched for `q` when given (GET /api/incoming?box=): the list page's rows. */
export const incomingListQuery = (box: IncomingBox, q: string) =>
  queryOptions({ queryKey: incomingQueryKeys.list(box, q), queryFn: () => unwrap(api.incoming.$get({ query: { box, ...(q && { q }) } })) });

/** How much waits in each of the user's incoming lists (GET /api/incoming/counts): the home page's tiles, useIncomingCounts. */
export const incomingCountsQuery = () => queryOptions({ queryKey: incomingQueryKeys.counts, queryFn: () => unwrap(api.incoming.counts.$get()) });
