import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/http/context.ts';
import { accessRepo, type AccessAction, type AccessEntityType } from './access.repository.ts';

/** How long one visit to a document lasts: further views by the same person within it are the same visit (as web analytics count sessions). */
export const VIEW_VISIT_MINUTES = 30;

/** The file name a download answer gives (Content-Disposition: RFC 6266 filename*, else filename). */
function fileNameOf(res: Response): string | null {
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
}

/**
 * Records in access_log that the signed-in user opened (`view`) or downloaded (`download`) the document
 * or work file named by the route's `:id` (and `:fileId`), once the handler answered 200: a request
 * refused (403/404) or failed records nothing. A view is one visit: the same person's views within
 * VIEW_VISIT_MINUTES of their last recorded one are not new rows (a reload, and the pages' own polling —
 * the outgoing page refetches every 30 s, the incoming one every 2 s while OCR runs); every download is
 * a row. Writing it must not break the page: a failure is logged, the answer is sent anyway.
 * `actionOf`: the action, or how to tell it from the request (a file route serves downloads and print
 * copies). `isCounted` narrows which successful answers count.
 */
export function recordAccess(entityType: AccessEntityType, actionOf: AccessAction | ((c: Context<AppEnv>) => AccessAction), isCounted: (c: Context<AppEnv>) => boolean = () => true): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const actor = c.var.actor;
    if (c.res.status !== 200 || !actor || actor.isSystem || !isCounted(c)) return;
    const entityId = c.req.param('id');
    if (!entityId) return;
    const action = typeof actionOf === 'function' ? actionOf(c) : actionOf;
    const who = { entityType, entityId, userId: actor.id };
    try {
      if (action === 'view' && await accessRepo.hasRecentView(c.var.db, who, VIEW_VISIT_MINUTES)) return;
      await accessRepo.insert(c.var.db, {
        ...who, agencyId: actor.agencyId, action, fileId: c.req.param('fileId') ?? null, fileName: action === 'view' ? null : fileNameOf(c.res), ip: c.var.ip ?? '',
      });
    } catch (error) {
      c.var.logger.error({ err: error, entityType, entityId, action }, 'access log write failed');
    }
  };
}
