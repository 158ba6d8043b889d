import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/http/context.ts';
import { accessRepo, type AccessAction, type AccessEntityType } from './access.repository.ts';

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
 * refused (403/404) or failed records nothing. Every successful request is one row — a reload too;
 * the history shows total views and distinct people. Writing it must not break the page: a failure is
 * logged, the answer is sent anyway. `isCounted` narrows which successful answers count.
 */
export function recordAccess(entityType: AccessEntityType, action: AccessAction, isCounted: (c: Context<AppEnv>) => boolean = () => true): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const actor = c.var.actor;
    if (c.res.status !== 200 || !actor || actor.isSystem || !isCounted(c)) return;
    const entityId = c.req.param('id');
    if (!entityId) return;
    try {
      await accessRepo.insert(c.var.db, {
        agencyId: actor.agencyId, userId: actor.id, entityType, entityId, action,
        fileId: c.req.param('fileId') ?? null, fileName: action === 'download' ? fileNameOf(c.res) : null, ip: c.var.ip ?? '',
      });
    } catch (error) {
      c.var.logger.error({ err: error, entityType, entityId, action }, 'access log write failed');
    }
  };
}
