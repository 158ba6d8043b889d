import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { z } from 'zod';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { policiesFor } from '../../policies/index.ts';
import { searchDirectory } from './orgs.service.ts';
import { createAgency, createUnit, deleteUnit, getAgency, listAgencies, listUnits, updateAgency, updateUnit } from './orgs.service.ts';
import { ZCreateAgencyBody, ZIdParam, ZUnitBody, ZUpdateAgencyBody, ZUpdateUnitBody } from './orgs.schemas.ts';
import { createAgencyAdmin } from '../users/users.service.ts';
import { agencyReadiness } from './orgs-readiness.service.ts';
import { ZCreateAgencyAdminBody } from '../users/users.schemas.ts';

/** Agencies (province admin) and units (agency admin). */
export const orgsRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/agencies', describeRoute({ tags: ['Cơ quan'], summary: 'Các cơ quan người dùng được xem' }), async (c) => {
    const actor = actorOf(c);
    return c.json({ data: await listAgencies({ db: c.var.db, actor }) });
  })
  .get('/directory', describeRoute({ tags: ['Cơ quan'], summary: 'Danh bạ cơ quan để chọn nơi nhận: cơ quan trên hệ thống và cơ quan đồng bộ từ trục' }),
    zQuery(z.object({ search: z.string().trim().max(100).optional() })), async (c) => {
      return c.json({ data: await searchDirectory({ db: c.var.db, actor: actorOf(c), search: c.req.valid('query').search }) });
    })
  .get('/agencies/:id', describeRoute({ tags: ['Cơ quan'], summary: 'Thông tin một cơ quan' }), zParam(ZIdParam), async (c) => {
    return c.json({ data: await getAgency({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id }) });
  })
  .get('/agencies/:id/readiness', describeRoute({ tags: ['Cơ quan'], summary: 'Các việc cần làm trước khi cơ quan đưa hệ thống vào sử dụng (quản trị cơ quan)' }), zParam(ZIdParam), async (c) => {
    return c.json({ data: await agencyReadiness({ deps: c.var.deps, db: c.var.db, actor: actorOf(c), agencyId: c.req.valid('param').id }) });
  })
  .post('/agencies', describeRoute({ tags: ['Cơ quan'], summary: 'Tạo cơ quan trực thuộc (quản trị cấp tỉnh)' }), zJson(ZCreateAgencyBody), async (c) => {
    const agency = await createAgency({ db: c.var.db, actor: actorOf(c), body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: agency }, 201);
  })
  .patch('/agencies/:id', describeRoute({ tags: ['Cơ quan'], summary: 'Sửa tên, địa chỉ, liên hệ của cơ quan' }), zParam(ZIdParam), zJson(ZUpdateAgencyBody), async (c) => {
    const agency = await updateAgency({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: agency });
  })
  .post('/agencies/:id/admins', describeRoute({ tags: ['Cơ quan'], summary: 'Tạo tài khoản quản trị cho một cơ quan trực thuộc (quản trị cấp tỉnh); mật khẩu tạm, đổi khi đăng nhập lần đầu' }),
    zParam(ZIdParam), zJson(ZCreateAgencyAdminBody), async (c) => {
      const user = await createAgencyAdmin({ db: c.var.db, actor: actorOf(c), agencyId: c.req.valid('param').id, body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
      return c.json({ data: user }, 201);
    })
  .get('/units', describeRoute({ tags: ['Đơn vị'], summary: 'Cây đơn vị (phòng ban) của cơ quan' }), async (c) => {
    const actor = actorOf(c);
    return c.json({ data: await listUnits({ db: c.var.db, actor }), can: policiesFor(actor, { agencyId: actor.agencyId }, ['unit.manage']) });
  })
  .post('/units', describeRoute({ tags: ['Đơn vị'], summary: 'Tạo đơn vị' }), zJson(ZUnitBody), async (c) => {
    const unit = await createUnit({ db: c.var.db, actor: actorOf(c), body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: unit }, 201);
  })
  .patch('/units/:id', describeRoute({ tags: ['Đơn vị'], summary: 'Sửa đơn vị' }), zParam(ZIdParam), zJson(ZUpdateUnitBody), async (c) => {
    const unit = await updateUnit({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: unit });
  })
  .delete('/units/:id', describeRoute({ tags: ['Đơn vị'], summary: 'Xóa đơn vị trống' }), zParam(ZIdParam), async (c) => {
    await deleteUnit({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, ip: c.var.ip, requestId: c.var.requestId });
    return c.json({ data: { ok: true } });
  });
