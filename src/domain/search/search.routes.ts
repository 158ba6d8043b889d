import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from './search.service.ts';
import { exportSearch } from './search-export.service.ts';
import { ZExportQuery, ZSaveSearchBody } from './search.schemas.ts';

const tags = ['Tìm kiếm'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c) });

/** The search page's own API: saved searches (ND 30 Phụ lục VI III.6.e) and the export of results (III.6.h). See docs/search.md. */
export const searchRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/saved', describeRoute({ tags, summary: 'Các tìm kiếm đã lưu của tôi' }), async (c) =>
    c.json({ data: await listSavedSearches(ctx(c)) }))
  .post('/saved', describeRoute({ tags, summary: 'Lưu tìm kiếm hiện tại dưới một tên (tối đa 50)' }), zJson(ZSaveSearchBody), async (c) =>
    c.json({ data: await saveSearch({ ...ctx(c), body: c.req.valid('json') }) }, 201))
  .delete('/saved/:id', describeRoute({ tags, summary: 'Xóa một tìm kiếm đã lưu của tôi' }), zParam(ZIdParam), async (c) => {
    await deleteSavedSearch({ ...ctx(c), id: c.req.valid('param').id });
    return c.json({ data: { id: c.req.valid('param').id } });
  })
  .get('/export', describeRoute({ tags, summary: 'Xuất kết quả tìm kiếm (PDF hoặc DOCX; tối đa 1000 dòng mỗi loại)' }), zQuery(ZExportQuery), async (c) => {
    const { format, hide, ...query } = c.req.valid('query');
    const file = await exportSearch({ ...ctx(c), query, format, hide });
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.fileName}"`, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store',
    });
  });
