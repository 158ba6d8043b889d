import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zQuery } from '../../platform/http/validate.ts';
import { countUnreadNotices, listNotices, markNoticesRead } from './notices.service.ts';
import { ZListNoticesQuery, ZMarkNoticesReadBody } from './notices.schemas.ts';

const tags = ['Thông báo'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c) });

/**
 * The user's own in-app notices, whatever they are about (documents, work files, backups): the header's
 * bell. The unread count is a few bytes, for polling over a slow network.
 */
export const noticesRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Các thông báo mới nhất của tôi (đã đọc và chưa đọc)' }), zQuery(ZListNoticesQuery), async (c) =>
    c.json({ data: await listNotices({ ...ctx(c), limit: c.req.valid('query').limit }) }))
  .get('/unread-count', describeRoute({ tags, summary: 'Số thông báo chưa đọc của tôi' }), async (c) =>
    c.json({ data: await countUnreadNotices(ctx(c)) }))
  .post('/read', describeRoute({ tags, summary: 'Đánh dấu đã đọc một số hoặc tất cả thông báo của tôi' }), zJson(ZMarkNoticesReadBody), async (c) =>
    c.json({ data: await markNoticesRead({ ...ctx(c), body: c.req.valid('json') }) }));
