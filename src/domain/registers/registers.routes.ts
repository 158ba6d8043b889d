import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam } from '../../platform/http/validate.ts';
import { policiesFor } from '../../policies/index.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { DOCUMENT_TYPES, SECRECY_LEVELS, URGENCIES, COPY_FORMS } from './document-types.ts';
import { createRegister, listRegisters, updateRegister, ZRegisterBody, ZUpdateRegisterBody } from './registers.service.ts';

const tags = ['Sổ văn bản'];

/** Register books and the reference lists (document types, urgency, secrecy) forms use. */
export const registersRoutes = new Hono<AppEnv>()
  .get('/reference', describeRoute({ tags, summary: 'Danh mục: loại văn bản (Phụ lục III), độ khẩn, độ mật, hình thức sao' }), (c) =>
    c.json({ data: { documentTypes: DOCUMENT_TYPES, urgencies: URGENCIES, secrecyLevels: SECRECY_LEVELS, copyForms: COPY_FORMS } }))
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Các sổ văn bản của cơ quan và số cuối năm nay' }), async (c) => {
    const actor = actorOf(c);
    return c.json({ data: await listRegisters({ db: c.var.db, actor }), can: policiesFor(actor, { agencyId: actor.agencyId }, ['register.manage']) });
  })
  .post('/', describeRoute({ tags, summary: 'Tạo sổ văn bản' }), zJson(ZRegisterBody), async (c) => {
    return c.json({ data: await createRegister({ db: c.var.db, actor: actorOf(c), body: c.req.valid('json'), ip: c.var.ip }) }, 201);
  })
  .patch('/:id', describeRoute({ tags, summary: 'Sửa sổ văn bản' }), zParam(ZIdParam), zJson(ZUpdateRegisterBody), async (c) => {
    return c.json({ data: await updateRegister({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id, body: c.req.valid('json'), ip: c.var.ip }) });
  });
