import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { fetchDetail, incomingKeys, type Box } from './incoming-api.ts';

/**
 * The incoming pages' first requests, one definition each: the page's `useQuery` and its route's preload
 * (`preloads` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way.
 */

/** One incoming document (GET /api/incoming/:id): the document page. */
export const incomingDetailQuery = (id: string) => queryOptions({ queryKey: incomingKeys.detail(id), queryFn: () => fetchDetail(id) });

/** One incoming list, searched for `q` when given (GET /api/incoming?box=): the list page's rows. */
export const incomingListQuery = (box: Box, q: string) =>
  queryOptions({ queryKey: incomingKeys.list(box, q), queryFn: () => unwrap(api.incoming.$get({ query: { box, ...(q && { q }) } })) });
