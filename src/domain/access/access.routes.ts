import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zParam, zQuery } from '../../platform/http/validate.ts';
import { accessStats, getAccessHistory } from './access.service.ts';
import { ZAccessEntityParam, ZAccessStatsQuery } from './access.schemas.ts';

const tags = ['Lịch sử truy cập'];

/** Access history of a document or work file, and the agency's sign-in and view statistics (ND 30 Phụ lục VI III.5.a, III.6.a–b, III.6.l). */
export const accessRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/stats', describeRoute({ tags, summary: 'Thống kê truy cập hệ thống: lượt đăng nhập, lượt xem theo ngày, văn bản được xem nhiều nhất (quản trị)' }), zQuery(ZAccessStatsQuery), async (c) =>
    c.json({ data: await accessStats({ db: c.var.db, actor: actorOf(c), query: c.req.valid('query') }) }))
  .get('/:entityType/:id', describeRoute({ tags, summary: 'Lịch sử truy cập một văn bản / hồ sơ: số lượt xem, số người, lượt tải, 50 lượt gần nhất' }), zParam(ZAccessEntityParam), async (c) =>
    c.json({ data: await getAccessHistory({ db: c.var.db, actor: actorOf(c), ...c.req.valid('param') }) }));
