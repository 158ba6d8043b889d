import { queryOptions } from '@tanstack/react-query';
import { fetchFile, recordsKeys } from './records-api.ts';

/**
 * The work file page's first request, one definition: the page's `useQuery` and its route's preload
 * (`preloads` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way.
 */

/** One work file with its mục lục văn bản (GET /api/records/files/:id). */
export const recordsFileQuery = (id: string) => queryOptions({ queryKey: recordsKeys.detail(id), queryFn: () => fetchFile(id) });
