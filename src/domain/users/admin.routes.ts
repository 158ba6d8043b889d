import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zParam, zQuery } from '../../platform/http/validate.ts';
import { listAuditLog, listOutbox, readOutboxMail } from './admin.service.ts';
import { listBackupRuns, requestBackup } from '../../platform/backup/backup.service.ts';

const ZAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100), beforeId: z.coerce.number().int().optional(),
  entityType: z.string().trim().max(40).optional().describe('Loại đối tượng: user, incoming, outgoing, records_file…'),
  actor: z.string().trim().max(100).optional().describe('Một phần tên đăng nhập của người thực hiện'),
});

/** Agency administration: the mail outbox (when no SMTP is configured) and the audit log. */
export const adminRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/outbox', describeRoute({ tags: ['Quản trị'], summary: 'Thư đã gửi của cơ quan (thư mục outbox khi chưa cấu hình SMTP)' }), async (c) => {
    return c.json({ data: await listOutbox({ db: c.var.db, actor: actorOf(c) }) });
  })
  .get('/outbox/:id', describeRoute({ tags: ['Quản trị'], summary: 'Nội dung một thư (.eml)' }), zParam(z.object({ id: z.uuid() })), async (c) => {
    return c.json({ data: await readOutboxMail({ db: c.var.db, actor: actorOf(c), config: c.var.deps.config, id: c.req.valid('param').id }) });
  })
  .get('/audit', describeRoute({ tags: ['Quản trị'], summary: 'Nhật ký hệ thống của cơ quan' }), zQuery(ZAuditQuery), async (c) => {
    const { actor: by, ...query } = c.req.valid('query');
    return c.json({ data: await listAuditLog({ db: c.var.db, actor: actorOf(c), ...query, by }) });
  })
  .get('/backups', describeRoute({ tags: ['Quản trị'], summary: 'Các lần sao lưu dữ liệu của máy chủ (định kỳ, đột xuất)' }), async (c) => {
    return c.json({ data: await listBackupRuns({ db: c.var.db, actor: actorOf(c), config: c.var.deps.config }) });
  })
  .post('/backups', describeRoute({ tags: ['Quản trị'], summary: 'Sao lưu ngay (máy chủ tạo bản sao lưu trong nền)' }), async (c) => {
    return c.json({ data: await requestBackup({ db: c.var.db, actor: actorOf(c), ip: c.var.ip, requestId: c.var.requestId }) }, 202);
  });
