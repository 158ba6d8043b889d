import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zParam } from '../../platform/http/validate.ts';
import { fileEmpty, fileNameMissing } from '../files/files.errors.ts';
import { addTrust, checkPublicPdf, listTrust, removeTrust } from './verification.service.ts';
import { verifyDocumentFile } from './document-files.service.ts';

const PUBLIC_MAX_BYTES = 50 * 1024 * 1024;

/** The request's file in memory (raw body with X-File-Name, or multipart `file`); never stored. */
async function readInMemory(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fileName: string }> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File)) throw fileNameMissing({ field: 'file' });
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0) throw fileEmpty();
  return { bytes, fileName: decodeURIComponent(c.req.header('x-file-name') ?? 'tai-lieu.pdf') };
}

/** The public signature check (no login; the file is not kept) and the admin's trust store. */
export const verificationRoutes = new Hono<AppEnv>()
  .post('/check', describeRoute({ tags: ['Kiểm tra chữ ký số'], summary: 'Kiểm tra chữ ký số của một tệp PDF (công khai; tệp không được lưu lại)' }), async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > PUBLIC_MAX_BYTES) return c.json({ error: { code: 'request.too_large', message: 'Tệp quá lớn (tối đa 50 MB).' } }, 413);
    const { bytes, fileName } = await readInMemory(c);
    return c.json({ data: await checkPublicPdf(c.var.deps, { bytes, fileName, ip: c.var.ip }) });
  })
  .get('/documents/:ownerType/:ownerId/files/:fileId', describeRoute({ tags: ['Kiểm tra chữ ký số'], summary: 'Báo cáo kiểm tra chữ ký số của một tệp thuộc văn bản (bảng chữ ký)' }), requireUser(),
    zParam(z.object({ ownerType: z.enum(['outgoing', 'incoming']), ownerId: z.uuid(), fileId: z.uuid() })), async (c) => {
      return c.json({ data: await verifyDocumentFile(c.var.deps, actorOf(c), c.req.valid('param')) });
    })
  .get('/trust', describeRoute({ tags: ['Kiểm tra chữ ký số'], summary: 'Các chứng thư số gốc tin cậy của hệ thống' }), requireUser(), async (c) => {
    return c.json({ data: await listTrust(c.var.deps, actorOf(c)) });
  })
  .post('/trust', describeRoute({ tags: ['Kiểm tra chữ ký số'], summary: 'Thêm chứng thư số gốc / trung gian (PEM hoặc DER)' }), requireUser(), async (c) => {
    const { bytes } = await readInMemory(c);
    return c.json({ data: await addTrust(c.var.deps, actorOf(c), { bytes, ip: c.var.ip }) }, 201);
  })
  .delete('/trust/:fileName', describeRoute({ tags: ['Kiểm tra chữ ký số'], summary: 'Bỏ một chứng thư số khỏi danh sách tin cậy' }), requireUser(),
    zParam(z.object({ fileName: z.string().regex(/^[\w.-]{1,100}$/) })), async (c) => {
      await removeTrust(c.var.deps, actorOf(c), { fileName: c.req.valid('param').fileName, ip: c.var.ip });
      return c.json({ data: { ok: true } });
    });
