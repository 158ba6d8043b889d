import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { fileAccessAction, isPrintRequest, receiveUpload, sendFile, sendPrintCopy } from '../files/files.http.ts';
import { storeUpload, type StoredUpload } from '../files/files.service.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { recordAccess } from '../access/access.middleware.ts';
import { assertCanReceive, receivePaperScan, refuseIncoming, registerIncoming } from './incoming.service.ts';
import { delegateDirection, directIncoming, forwardIncoming, listDelegations, reassignInUnit, revokeDelegation } from './incoming-direction.service.ts';
import { attachResultFile, closeIncoming, recordProgress, reopenIncoming } from './incoming-handling.service.ts';
import { countIncomingWork, getIncoming, incomingRegisterBook, listIncoming, readIncomingFile } from './incoming-query.service.ts';
import { listNotices, markNoticesRead } from '../notices/notices.service.ts';
import { presentIncoming } from './incoming.present.ts';
import { recheckIncomingSignatures } from './incoming-recheck.service.ts';
import { resolveOcrSender } from './incoming-ocr-sender.service.ts';
import { incomingUploadEmpty } from './incoming.errors.ts';
import { workRepo } from './incoming-work.repository.ts';
import { listAgencyUsers } from '../users/users.directory.ts';
import { answerSenderRequest, listSenderRequests } from './incoming-requests.service.ts';
import {
  ZCloseBody, ZDelegationBody, ZDirectIncomingBody, ZForwardIncomingBody, ZListIncomingQuery, ZProgressBody, ZReassignBody,
  ZRefuseIncomingBody, ZRegisterBookQuery, ZRegisterIncomingBody, ZReopenBody, ZAnswerRequestBody, ZRequestsQuery,
} from './incoming.schemas.ts';

const tags = ['Văn bản đến'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c), ip: c.var.ip, requestId: c.var.requestId });
const ZFileParam = z.object({ id: z.uuid(), fileId: z.uuid() });
const ZResultQuery = z.object({ assignmentId: z.uuid().describe('Phần việc') });
const ZRegisterBookFullQuery = ZRegisterBookQuery.extend({ kind: z.enum(['register', 'follow_up']).default('register') });

/** Stores every uploaded scan file (multipart field `file`, repeated for page images) before anything else. */
async function storeScanUploads(c: Context<AppEnv>): Promise<StoredUpload[]> {
  const form = await c.req.parseBody({ all: true });
  const field = form.file;
  const files = (Array.isArray(field) ? field : [field]).filter((f): f is File => f instanceof File);
  if (files.length === 0) throw incomingUploadEmpty();
  const stored: StoredUpload[] = [];
  for (const f of files) stored.push(await storeUpload(c.var.deps, { source: new Uint8Array(await f.arrayBuffer()), fileName: f.name, contentType: f.type }));
  return stored;
}

/** The incoming-document flow (ND 30 Art. 19–24): intake, register, direction, handling, tracking, registers. */
export const incomingRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Danh sách văn bản đến (hộp theo vai trò, tìm kiếm cả nội dung OCR)' }), zQuery(ZListIncomingQuery), async (c) =>
    c.json({ data: await listIncoming({ db: c.var.db, actor: actorOf(c), query: c.req.valid('query') }) }))
  .get('/counts', describeRoute({ tags, summary: 'Số văn bản chờ trong từng hộp công việc của người dùng (theo vai trò) và số quá hạn; số đề nghị thu hồi / cập nhật chờ trả lời' }), async (c) =>
    c.json({ data: await countIncomingWork(ctx(c)) }))
  .post('/scan', describeRoute({ tags, summary: 'Tiếp nhận văn bản giấy: tải lên bản quét (một PDF, hoặc nhiều ảnh JPEG/PNG/TIFF)' }), async (c) => {
    assertCanReceive(actorOf(c));
    const uploads = await storeScanUploads(c);
    const doc = await receivePaperScan({ ...ctx(c), deps: c.var.deps, uploads });
    return c.json({ data: presentIncoming(doc) }, 201);
  })
  .get('/directory', describeRoute({ tags, summary: 'Đơn vị và người trong cơ quan (để chuyển, giao việc)' }), async (c) => {
    const actor = actorOf(c);
    const [units, people] = await Promise.all([workRepo.listUnits(c.var.db, actor.agencyId), listAgencyUsers(c.var.db, actor.agencyId)]);
    // only who may receive work, and only what the forms show (no login name or mail address)
    const users = people.filter((u) => u.isActive).map(({ id, fullName, position, unitId, roles }) => ({ id, fullName, position, unitId, roles }));
    return c.json({ data: { units, users } });
  })
  // Kept for API clients written before /api/notices (the notices are about more than incoming documents now).
  .get('/notices', describeRoute({ tags, summary: 'Thông báo của tôi (50 mới nhất) — thay bằng GET /api/notices', deprecated: true }), async (c) =>
    c.json({ data: await listNotices({ ...ctx(c), limit: 50 }) }))
  .post('/notices/read', describeRoute({ tags, summary: 'Đánh dấu đã đọc — thay bằng POST /api/notices/read', deprecated: true }), zJson(z.object({ ids: z.array(z.number().int()).max(500) })), async (c) => {
    const { ids } = c.req.valid('json');
    if (ids.length > 0) await markNoticesRead({ ...ctx(c), body: { ids } });
    return c.json({ data: { ok: true } });
  })
  .get('/requests', describeRoute({ tags, summary: 'Đề nghị thu hồi / cập nhật của cơ quan gửi (văn thư, lãnh đạo)' }), zQuery(ZRequestsQuery), async (c) =>
    c.json({ data: await listSenderRequests({ ...ctx(c), status: c.req.valid('query').status }) }))
  .post('/requests/:id/answer', describeRoute({ tags, summary: 'Đồng ý (15) hoặc từ chối (16) đề nghị thu hồi / cập nhật; trạng thái gửi lại cơ quan gửi' }), zParam(ZIdParam), zJson(ZAnswerRequestBody), async (c) => {
    const answered = await answerSenderRequest({ ...ctx(c), id: c.req.valid('param').id, ...c.req.valid('json') });
    return c.json({ data: { status: answered.request.status, document: presentIncoming(answered.document) } });
  })
  .get('/delegations', describeRoute({ tags, summary: 'Ủy quyền chỉ đạo đang hiệu lực' }), async (c) => c.json({ data: await listDelegations(ctx(c)) }))
  .post('/delegations', describeRoute({ tags, summary: 'Ủy quyền cho cấp phó cho ý kiến chỉ đạo trong một khoảng ngày' }), zJson(ZDelegationBody), async (c) =>
    c.json({ data: await delegateDirection({ ...ctx(c), ...c.req.valid('json') }) }, 201))
  .post('/delegations/:id/revoke', describeRoute({ tags, summary: 'Thu hồi ủy quyền' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await revokeDelegation({ ...ctx(c), delegationId: c.req.valid('param').id }) }))
  .get('/register-book', describeRoute({ tags, summary: 'Sổ đăng ký văn bản đến (10 cột) hoặc sổ theo dõi giải quyết (7 cột) của một năm' }), zQuery(ZRegisterBookFullQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json({ data: (await incomingRegisterBook({ ...ctx(c), year: q.year, isSecret: q.secret === '1', kind: q.kind })).sheet });
  })
  .get('/register-book/download', describeRoute({ tags, summary: 'Tải sổ văn bản đến: XLSX hoặc PDF để in (mẫu Phụ lục IV)' }), zQuery(ZRegisterBookFullQuery), async (c) => {
    const q = c.req.valid('query');
    const book = await incomingRegisterBook({ ...ctx(c), year: q.year, isSecret: q.secret === '1', kind: q.kind });
    const format = q.format === 'xlsx' ? 'xlsx' : 'pdf';
    const name = `${q.kind === 'register' ? 'so-van-ban-den' : 'so-theo-doi-giai-quyet'}-${book.sheet.year}.${format}`;
    const bytes = format === 'xlsx' ? await book.toXlsx() : await book.toPdf();
    const type = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf';
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"` });
  })
  .get('/:id', describeRoute({ tags, summary: 'Chi tiết văn bản đến: người xử lý, tiến độ, tệp, trạng thái đã gửi lại, dòng thời gian' }), zParam(ZIdParam), recordAccess('incoming', 'view'), async (c) =>
    c.json({ data: await getIncoming({ db: c.var.db, actor: actorOf(c), id: c.req.valid('param').id }) }))
  .get('/:id/ocr-sender', describeRoute({ tags, summary: 'Nơi gửi của văn bản giấy chờ vào sổ, đọc từ bản quét và khớp với danh bạ liên thông, các cơ quan, nơi gửi đã có; không khớp thì viết lại tên in hoa' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await resolveOcrSender({ ...ctx(c), id: c.req.valid('param').id }) }))
  .get('/:id/files/:fileId', describeRoute({ tags, summary: 'Tải tệp của văn bản; ?print=1: bản in (PDF) ghi người in và thời gian trên từng trang' }), zParam(ZFileParam), recordAccess('incoming', fileAccessAction), async (c) => {
    const p = c.req.valid('param');
    const file = await readIncomingFile({ ...ctx(c), id: p.id, fileId: p.fileId });
    return isPrintRequest(c) ? sendPrintCopy(c, file) : sendFile(c, file);
  })
  .post('/:id/verify', describeRoute({ tags, summary: 'Kiểm tra lại chữ ký số của văn bản (theo các chứng thư số gốc tin cậy hiện có); đã chờ kiểm tra thì không xếp thêm' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await recheckIncomingSignatures({ ...ctx(c), id: c.req.valid('param').id }) }))
  .post('/:id/register', describeRoute({ tags, summary: 'Vào sổ văn bản đến (cấp số đến)' }), zParam(ZIdParam), zJson(ZRegisterIncomingBody), async (c) =>
    c.json({ data: presentIncoming(await registerIncoming({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/refuse', describeRoute({ tags, summary: 'Trả lại văn bản điện tử (gửi trạng thái 02 kèm lý do)' }), zParam(ZIdParam), zJson(ZRefuseIncomingBody), async (c) =>
    c.json({ data: presentIncoming(await refuseIncoming({ ...ctx(c), id: c.req.valid('param').id, reason: c.req.valid('json').reason })) }))
  .post('/:id/forward', describeRoute({ tags, summary: 'Trình lãnh đạo cho ý kiến chỉ đạo' }), zParam(ZIdParam), zJson(ZForwardIncomingBody), async (c) =>
    c.json({ data: presentIncoming(await forwardIncoming({ ...ctx(c), id: c.req.valid('param').id, ...c.req.valid('json') })) }))
  .post('/:id/direct', describeRoute({ tags, summary: 'Cho ý kiến chỉ đạo và giao chủ trì, phối hợp, để biết, thời hạn' }), zParam(ZIdParam), zJson(ZDirectIncomingBody), async (c) =>
    c.json({ data: presentIncoming(await directIncoming({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/reassign', describeRoute({ tags, summary: 'Lãnh đạo đơn vị giao việc trong đơn vị' }), zParam(ZIdParam), zJson(ZReassignBody), async (c) =>
    c.json({ data: presentIncoming(await reassignInUnit({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/results', describeRoute({ tags, summary: 'Tải lên tệp kết quả xử lý' }), zParam(ZIdParam), zQuery(ZResultQuery), async (c) => {
    const upload = await receiveUpload(c);
    const file = await attachResultFile({ ...ctx(c), id: c.req.valid('param').id, assignmentId: c.req.valid('query').assignmentId, upload });
    return c.json({ data: file }, 201);
  })
  .post('/:id/progress', describeRoute({ tags, summary: 'Cập nhật tiến độ, kết quả, văn bản trả lời; hoàn thành phần việc' }), zParam(ZIdParam), zJson(ZProgressBody), async (c) =>
    c.json({ data: presentIncoming(await recordProgress({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/close', describeRoute({ tags, summary: 'Kết thúc xử lý (chủ trì)' }), zParam(ZIdParam), zJson(ZCloseBody), async (c) =>
    c.json({ data: presentIncoming(await closeIncoming({ ...ctx(c), id: c.req.valid('param').id, note: c.req.valid('json').note })) }))
  .post('/:id/reopen', describeRoute({ tags, summary: 'Mở lại văn bản đã xử lý xong (có lý do)' }), zParam(ZIdParam), zJson(ZReopenBody), async (c) =>
    c.json({ data: presentIncoming(await reopenIncoming({ ...ctx(c), id: c.req.valid('param').id, reason: c.req.valid('json').reason })) }));
