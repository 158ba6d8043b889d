import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';

/**
 * The work file page's first request, one definition: the page's `useQuery` and its route's preload
 * (`pageQuery` in shell/preload.ts, started during the session check) use the same key and fetch, so the
 * page renders from the preload's answer or joins it while it is on its way. Kept apart from records-api.ts
 * (which takes the key from here): the routes import this module, so it comes with the login page's code.
 */

/** The key of one work file's query (recordsKeys.detail in records-api.ts). */
export const recordsFileKey = (id: string) => ['records', 'detail', id] as const;

export const fetchFile = (id: string) => unwrap(api.records.files[':id'].$get({ param: { id } }));

/** One work file with its mục lục văn bản (GET /api/records/files/:id). */
export const recordsFileQuery = (id: string) => queryOptions({ queryKey: recordsFileKey(id), queryFn: () => fetchFile(id) });
