import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { policiesFor } from '../../policies/index.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { adminResetPassword, createUser, listUsers, updateUser } from './users.service.ts';
import { ZAccessChangesQuery, ZAdminResetPasswordBody, ZConfirmAccessChangesBody, ZCreateUserBody, ZListUsersQuery, ZUpdateUserBody } from './users.schemas.ts';
import { confirmAccessChange, confirmAccessChanges, countPendingAccessChanges, listAccessChanges } from './access-changes.ts';

const tags = ['Người dùng'];

/** The user directory of the actor's agency and its administration. */
export const usersRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Danh sách người dùng của cơ quan' }), zQuery(ZListUsersQuery), async (c) => {
    const actor = actorOf(c);
    const users = await listUsers({ db: c.var.db, actor, query: c.req.valid('query') });
    return c.json({ data: users, can: policiesFor(actor, { agencyId: actor.agencyId }, ['user.manage']) });
  })
  .post('/', describeRoute({ tags, summary: 'Tạo người dùng' }), zJson(ZCreateUserBody), async (c) => {
    const user = await createUser({ db: c.var.db, actor: actorOf(c), body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: user }, 201);
  })
  .patch('/:id', describeRoute({ tags, summary: 'Sửa thông tin, đơn vị, vai trò hoặc khóa người dùng' }), zParam(ZIdParam), zJson(ZUpdateUserBody), async (c) => {
    const user = await updateUser({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: user });
  })
  .get('/access-changes', describeRoute({ tags, summary: 'Thay đổi quyền truy cập của người dùng (vai trò, đơn vị, khóa/mở tài khoản), chờ lãnh đạo xác nhận hoặc tất cả — lãnh đạo, quản trị' }), zQuery(ZAccessChangesQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json({ data: await listAccessChanges({ db: c.var.db, actor: actorOf(c), pending: q.status === 'pending', limit: q.limit }) });
  })
  .get('/access-changes/pending-count', describeRoute({ tags, summary: 'Số thay đổi quyền chờ xác nhận (cảnh báo trên trang chủ; 0 với người không được xem)' }), async (c) =>
    c.json({ data: { pending: await countPendingAccessChanges({ db: c.var.db, actor: actorOf(c) }) } }))
  .post('/access-changes/confirm', describeRoute({ tags, summary: 'Lãnh đạo xác nhận trong một lần các thay đổi quyền đã xem («Xác nhận tất cả»); cái đã được người khác xác nhận thì bỏ qua và trả lại trong skipped' }), zJson(ZConfirmAccessChangesBody), async (c) =>
    c.json({ data: await confirmAccessChanges({ db: c.var.db, actor: actorOf(c), ids: c.req.valid('json').ids, ip: c.var.ip, requestId: c.var.requestId }) }))
  .post('/access-changes/:id/confirm', describeRoute({ tags, summary: 'Lãnh đạo xác nhận một thay đổi quyền (không tự xác nhận thay đổi do mình làm)' }), zParam(ZIdParam), async (c) => {
    await confirmAccessChange({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: { ok: true } });
  })
  .post('/:id/reset-password', describeRoute({ tags, summary: 'Quản trị đặt lại mật khẩu' }), zParam(ZIdParam), zJson(ZAdminResetPasswordBody), async (c) => {
    await adminResetPassword({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, newPassword: c.req.valid('json').newPassword, ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: { ok: true } });
  });
