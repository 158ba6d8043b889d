import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { getArchiveStatus, requestArchivePass } from './archive-status.service.ts';

/** The archive renewal status (admins, archivists) and a pass started by hand (province admin). */
export const archiveRoutes = new Hono<AppEnv>()
  .get('/status', describeRoute({ tags: ['Lưu trữ'], summary: 'Tình trạng gia hạn dấu thời gian của các tệp lưu trữ' }), requireUser(), async (c) => {
    return c.json({ data: await getArchiveStatus(c.var.deps, actorOf(c)) });
  })
  .post('/renew', describeRoute({ tags: ['Lưu trữ'], summary: 'Chạy ngay một lượt gia hạn dấu thời gian' }), requireUser(), async (c) => {
    await requestArchivePass(c.var.deps, actorOf(c), { ip: c.var.ip });
    return c.json({ data: { queued: true } }, 202);
  });
