import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { recordAccess } from '../access/access.middleware.ts';
import { batchCatalog, fileIndex, filesCatalog, keptExport, planExport } from './records-export.service.ts';
import { getHandOverBatch, handOverRecordsFiles, listHandOverBatches, receiveHandOverBatch } from './records-batch.service.ts';
import { batchMinutesPdf } from './records-batch-minutes.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { exportFilePdf, exportFileXml } from './records-file-export.ts';
import { copyPlan, createPlanEntry, deletePlanEntry, listPlan, updatePlanEntry } from './records-plan.service.ts';
import { countHandOverDue, decideKeepFile, listKeptFiles, requestKeepExtension, requestKeepFile, setFileConstruction } from './records-hand-over.service.ts';
import {
  addDocumentToFile, closeRecordsFile, filesForDocument, findDocumentsToFile, getRecordsFile, handOverRecordsFile, listRecordsFiles, openRecordsFile,
  removeDocumentFromFile, reopenRecordsFile,
} from './records.service.ts';
import {
  ZBatchListQuery, ZConstructionBody, ZCopyPlanBody, ZHandOverBatchBody, ZDocumentChoicesQuery, ZDocumentQuery, ZDocumentRef, ZKeepDecisionBody, ZKeepRequestBody, ZKeptQuery, ZListFilesQuery, ZOpenFileBody, ZPlanEntryBody, ZPlanQuery,
} from './records.schemas.ts';

const tags = ['Hồ sơ công việc'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c), ip: c.var.ip, requestId: c.var.requestId });
const ZIndexQuery = z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf').describe('PDF để in hoặc XLSX') });
/** A file to download: PDF to print or XLSX. */
const download = (c: Context<AppEnv>, format: 'pdf' | 'xlsx', bytes: Uint8Array, name: string) =>
  c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf', 'Content-Disposition': `attachment; filename="${name}"`,
  });
/** The headers of a whole-file export, streamed (its length known for the PDF). */
const exportHeaders = (type: string, name: string, size?: number) => ({
  'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"`, 'X-Content-Type-Options': 'nosniff', ...(size !== undefined && { 'Content-Length': String(size) }),
});
const ZFileDocParam = z.object({ id: z.uuid(), ownerType: z.enum(['incoming', 'outgoing']), ownerId: z.uuid() });

/** Work files (hồ sơ công việc) and the file plan (danh mục hồ sơ), ND 30 Art. 28–30. */
export const recordsRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/plan', describeRoute({ tags, summary: 'Danh mục hồ sơ của cơ quan trong một năm' }), zQuery(ZPlanQuery), async (c) =>
    c.json({ data: await listPlan({ ...ctx(c), year: c.req.valid('query').year }) }))
  .get('/plan/export', describeRoute({ tags, summary: 'Tải danh mục hồ sơ của một năm: PDF để in hoặc XLSX (mẫu Phụ lục V)' }), zQuery(ZPlanQuery.extend(ZIndexQuery.shape)), async (c) => {
    const { format, year } = c.req.valid('query');
    const plan = await planExport({ ...ctx(c), year });
    return download(c, format, format === 'xlsx' ? await plan.toXlsx() : await plan.toPdf(), `danh-muc-ho-so-${plan.year}.${format}`);
  })
  .post('/plan', describeRoute({ tags, summary: 'Thêm hồ sơ vào danh mục (văn thư, quản trị)' }), zJson(ZPlanEntryBody), async (c) =>
    c.json({ data: { id: (await createPlanEntry({ ...ctx(c), body: c.req.valid('json') })).id } }, 201))
  .post('/plan/copy', describeRoute({ tags, summary: 'Chép danh mục hồ sơ của một năm sang năm khác (các mục chưa có)' }), zJson(ZCopyPlanBody), async (c) =>
    c.json({ data: { copied: await copyPlan({ ...ctx(c), ...c.req.valid('json') }) } }))
  .put('/plan/:id', describeRoute({ tags, summary: 'Sửa một mục của danh mục hồ sơ' }), zParam(ZIdParam), zJson(ZPlanEntryBody), async (c) =>
    c.json({ data: { id: (await updatePlanEntry({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })).id } }))
  .delete('/plan/:id', describeRoute({ tags, summary: 'Xóa một mục chưa lập hồ sơ khỏi danh mục' }), zParam(ZIdParam), async (c) => {
    await deletePlanEntry({ ...ctx(c), id: c.req.valid('param').id });
    return c.json({ data: { ok: true } });
  })
  .get('/files', describeRoute({ tags, summary: 'Hồ sơ của tôi, của đơn vị hoặc của cơ quan' }), zQuery(ZListFilesQuery), async (c) =>
    c.json({ data: await listRecordsFiles({ ...ctx(c), query: c.req.valid('query') }) }))
  .get('/files/catalog', describeRoute({ tags, summary: 'Tải mục lục hồ sơ của danh sách (ví dụ hồ sơ đã nộp lưu): PDF để in hoặc XLSX (mẫu Phụ lục V)' }),
    zQuery(ZListFilesQuery.extend(ZIndexQuery.shape)), async (c) => {
      const { format, ...query } = c.req.valid('query');
      const catalog = await filesCatalog({ ...ctx(c), query });
      const name = `muc-luc-ho-so${query.status === 'handed_over' ? '-nop-luu' : ''}${query.year ? `-${query.year}` : ''}.${format}`;
      return download(c, format, format === 'xlsx' ? await catalog.toXlsx() : await catalog.toPdf(), name);
    })
  .get('/files/hand-over-due', describeRoute({ tags, summary: 'Số hồ sơ đã kết thúc mà tôi nộp lưu, đến hạn (trong 30 ngày tới) hoặc quá hạn nộp lưu (cho trang chủ)' }), async (c) =>
    c.json({ data: await countHandOverDue(ctx(c)) }))
  .get('/files/kept', describeRoute({ tags, summary: 'Danh mục hồ sơ giữ lại: hồ sơ đến hạn nộp lưu được lãnh đạo cơ quan đồng ý giữ lại (Nghị định 30, Điều 31.3.d)' }), zQuery(ZKeptQuery), async (c) =>
    c.json({ data: await listKeptFiles({ ...ctx(c), year: c.req.valid('query').year }) }))
  .get('/files/kept/export', describeRoute({ tags, summary: 'Tải Danh mục hồ sơ, tài liệu giữ lại: PDF để in hoặc XLSX (Nghị định 30, Điều 31.3.d)' }), zQuery(ZKeptQuery.extend(ZIndexQuery.shape)), async (c) => {
    const { format, year } = c.req.valid('query');
    const kept = await keptExport({ ...ctx(c), year });
    return download(c, format, format === 'xlsx' ? await kept.toXlsx() : await kept.toPdf(), `danh-muc-ho-so-giu-lai${year ? `-${year}` : ''}.${format}`);
  })
  .post('/files', describeRoute({ tags, summary: 'Lập hồ sơ (theo danh mục hoặc ngoài danh mục)' }), zJson(ZOpenFileBody), async (c) =>
    c.json({ data: { id: await openRecordsFile({ ...ctx(c), body: c.req.valid('json') }) } }, 201))
  .get('/for-document', describeRoute({ tags, summary: 'Hồ sơ chứa một văn bản và hồ sơ đang mở có thể đưa văn bản vào' }), zQuery(ZDocumentQuery), async (c) =>
    c.json({ data: await filesForDocument({ ...ctx(c), ref: c.req.valid('query') }) }))
  .get('/files/:id', describeRoute({ tags, summary: 'Một hồ sơ với mục lục văn bản' }), zParam(ZIdParam), recordAccess('records_file', 'view'), async (c) =>
    c.json({ data: await getRecordsFile({ ...ctx(c), id: c.req.valid('param').id }) }))
  .get('/files/:id/index', describeRoute({ tags, summary: 'Tải mục lục văn bản trong hồ sơ: PDF để in hoặc XLSX (mẫu Phụ lục V)' }), zParam(ZIdParam), zQuery(ZIndexQuery), recordAccess('records_file', 'download'), async (c) => {
    const { format } = c.req.valid('query');
    const index = await fileIndex({ ...ctx(c), id: c.req.valid('param').id });
    const name = `muc-luc-ho-so-${index.file.year}-${index.file.notation.replace(/[^A-Za-z0-9.-]/g, '_')}.${format}`;
    return download(c, format, format === 'xlsx' ? await index.toXlsx() : await index.toPdf(), name);
  })
  .get('/files/:id/export.pdf', describeRoute({ tags, summary: 'Kết xuất toàn bộ hồ sơ sang PDF: trang bìa, mục lục văn bản, rồi các văn bản theo trình tự thời gian (Phụ lục VI III.4.g)' }), zParam(ZIdParam), recordAccess('records_file', 'download'), async (c) => {
    const pdf = await exportFilePdf({ ...ctx(c), deps: c.var.deps, id: c.req.valid('param').id });
    return new Response(Readable.toWeb(pdf.stream) as ReadableStream, { headers: exportHeaders('application/pdf', pdf.fileName, pdf.size) });
  })
  .get('/files/:id/export.xml', describeRoute({ tags, summary: 'Kết xuất toàn bộ hồ sơ sang XML: dữ liệu đặc tả của hồ sơ và của từng văn bản theo trình tự thời gian, kèm nội dung tệp (base64) (Phụ lục VI III.4.g)' }), zParam(ZIdParam), recordAccess('records_file', 'download'), async (c) => {
    const xml = await exportFileXml({ ...ctx(c), deps: c.var.deps, id: c.req.valid('param').id });
    return new Response(Readable.toWeb(xml.stream) as ReadableStream, { headers: exportHeaders('application/xml; charset=utf-8', xml.fileName) });
  })
  .get('/files/:id/document-choices', describeRoute({ tags, summary: 'Tìm văn bản đưa vào hồ sơ đang mở (theo trích yếu, số/ký hiệu, nơi gửi)' }), zParam(ZIdParam), zQuery(ZDocumentChoicesQuery), async (c) =>
    c.json({ data: await findDocumentsToFile({ ...ctx(c), fileId: c.req.valid('param').id, q: c.req.valid('query').q }) }))
  .post('/files/:id/documents', describeRoute({ tags, summary: 'Đưa văn bản vào hồ sơ' }), zParam(ZIdParam), zJson(ZDocumentRef), async (c) => {
    await addDocumentToFile({ ...ctx(c), fileId: c.req.valid('param').id, ref: c.req.valid('json') });
    return c.json({ data: { ok: true } }, 201);
  })
  .delete('/files/:id/documents/:ownerType/:ownerId', describeRoute({ tags, summary: 'Bỏ văn bản khỏi hồ sơ' }), zParam(ZFileDocParam), async (c) => {
    const { id, ...ref } = c.req.valid('param');
    await removeDocumentFromFile({ ...ctx(c), fileId: id, ref });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/close', describeRoute({ tags, summary: 'Kết thúc hồ sơ' }), zParam(ZIdParam), async (c) => {
    await closeRecordsFile({ ...ctx(c), id: c.req.valid('param').id });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/reopen', describeRoute({ tags, summary: 'Mở lại hồ sơ đã kết thúc (chưa nộp lưu)' }), zParam(ZIdParam), async (c) => {
    await reopenRecordsFile({ ...ctx(c), id: c.req.valid('param').id });
    return c.json({ data: { ok: true } });
  })
  .put('/files/:id/construction', describeRoute({ tags, summary: 'Hồ sơ xây dựng cơ bản: ngày công trình được quyết toán (hạn nộp lưu 03 tháng sau ngày đó)' }), zParam(ZIdParam), zJson(ZConstructionBody), async (c) => {
    await setFileConstruction({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/keep', describeRoute({ tags, summary: 'Đề nghị giữ lại hồ sơ đã đến hạn nộp lưu (người lập hồ sơ, trưởng đơn vị)' }), zParam(ZIdParam), zJson(ZKeepRequestBody), async (c) => {
    await requestKeepFile({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/keep/extend', describeRoute({ tags, summary: 'Đề nghị gia hạn giữ lại hồ sơ đã được đồng ý giữ lại (trong 02 năm kể từ ngày đến hạn nộp lưu)' }), zParam(ZIdParam), zJson(ZKeepRequestBody), async (c) => {
    await requestKeepExtension({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/keep/decide', describeRoute({ tags, summary: 'Lãnh đạo cơ quan đồng ý hoặc không đồng ý đề nghị giữ lại (hoặc gia hạn giữ lại) hồ sơ' }), zParam(ZIdParam), zJson(ZKeepDecisionBody), async (c) => {
    await decideKeepFile({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') });
    return c.json({ data: { ok: true } });
  })
  .post('/files/:id/hand-over', describeRoute({ tags, summary: 'Nộp lưu hồ sơ vào Lưu trữ cơ quan (một đợt nộp lưu gồm một hồ sơ)' }), zParam(ZIdParam), async (c) =>
    c.json({ data: { ok: true, batchId: await handOverRecordsFile({ ...ctx(c), id: c.req.valid('param').id }) } }))
  .post('/hand-over-batches', describeRoute({ tags, summary: 'Nộp lưu nhiều hồ sơ đã kết thúc của một đơn vị trong một đợt (tất cả hoặc không hồ sơ nào)' }), zJson(ZHandOverBatchBody), async (c) => {
    const { fileIds, note } = c.req.valid('json');
    return c.json({ data: { id: await handOverRecordsFiles({ ...ctx(c), fileIds, note }) } }, 201);
  })
  .get('/hand-over-batches', describeRoute({ tags, summary: 'Các đợt nộp lưu: chờ Lưu trữ cơ quan tiếp nhận, đã tiếp nhận, hoặc tất cả' }), zQuery(ZBatchListQuery), async (c) =>
    c.json({ data: await listHandOverBatches({ ...ctx(c), status: c.req.valid('query').status }) }))
  .get('/hand-over-batches/:id', describeRoute({ tags, summary: 'Một đợt nộp lưu với các hồ sơ của nó' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await getHandOverBatch({ ...ctx(c), id: c.req.valid('param').id }) }))
  .post('/hand-over-batches/:id/receive', describeRoute({ tags, summary: 'Lưu trữ cơ quan tiếp nhận đợt nộp lưu' }), zParam(ZIdParam), async (c) => {
    await receiveHandOverBatch({ ...ctx(c), id: c.req.valid('param').id });
    return c.json({ data: { ok: true } });
  })
  .get('/hand-over-batches/:id/catalog', describeRoute({ tags, summary: 'Tải Mục lục hồ sơ, tài liệu nộp lưu của đợt: PDF hoặc XLSX (mẫu Phụ lục V)' }), zParam(ZIdParam), zQuery(ZIndexQuery), async (c) => {
    const { format } = c.req.valid('query');
    const catalog = await batchCatalog({ ...ctx(c), id: c.req.valid('param').id });
    const day = vietnamDay(new Date(catalog.batch.handedOverAt ?? Date.now()));
    return download(c, format, format === 'xlsx' ? await catalog.toXlsx() : await catalog.toPdf(), `muc-luc-ho-so-nop-luu-${day}.${format}`);
  })
  .get('/hand-over-batches/:id/minutes.pdf', describeRoute({ tags, summary: 'Tải Biên bản giao nhận hồ sơ, tài liệu của đợt (PDF, kèm mục lục hồ sơ nộp lưu)' }), zParam(ZIdParam), async (c) => {
    const minutes = await batchMinutesPdf({ ...ctx(c), id: c.req.valid('param').id });
    return download(c, 'pdf', minutes.bytes, minutes.fileName);
  });
