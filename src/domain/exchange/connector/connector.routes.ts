import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../../platform/http/context.ts';
import { actorOf, requireUser } from '../../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../../platform/http/validate.ts';
import { policiesFor } from '../../../policies/index.ts';
import { EXCHANGE_ACTIONS } from '../../../policies/exchange.ts';
import { ZIdParam } from '../../orgs/orgs.schemas.ts';
import { answerRequest, listRequests, sendUpdate } from './connector-requests.service.ts';
import { configureEndpoint, getEndpoint, listDirectory } from './connector.service.ts';
import { exchangeAlerts, listOutbox, retryOutbox } from './connector-outbox.service.ts';
import { listRefused, refetchRefused } from './connector-refused.service.ts';
import { ZDirectoryQuery, ZEndpointBody, ZOutboxQuery, ZRefusedParam, ZUpdateBody } from './connector.schemas.ts';
import { ZAnswerRequestBody, ZRequestsQuery } from '../../incoming/incoming.schemas.ts';

const tags = ['Liên thông văn bản'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c), ip: c.var.ip, requestId: c.var.requestId });
/** What the actor may do on the exchange pages of its agency (configure, view, operate). */
const can = (c: Context<AppEnv>) => {
  const actor = actorOf(c);
  return policiesFor(actor, { agencyId: actor.agencyId }, EXCHANGE_ACTIONS);
};

/** The connector's admin and clerk API: the agency's axis endpoint, outbox with errors, refused packages, recall/update requests, directory. */
export const exchangeRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/endpoint', describeRoute({ tags, summary: 'Cấu hình kết nối trục của cơ quan (không hiện khóa bí mật)' }), async (c) =>
    c.json({ data: await getEndpoint(ctx(c)), can: can(c) }))
  .post('/endpoint', describeRoute({ tags, summary: 'Đặt địa chỉ trục, mã hệ thống và khóa bí mật' }), zJson(ZEndpointBody), async (c) =>
    c.json({ data: await configureEndpoint({ ...ctx(c), dataDir: c.var.deps.config.dataDir, input: c.req.valid('json') }) }))
  .get('/alerts', describeRoute({ tags, summary: 'Số gói tin cần người xử lý: gửi không được sau mọi lần thử, nhận về bị từ chối' }), async (c) =>
    c.json({ data: await exchangeAlerts(ctx(c)) }))
  .get('/outbox', describeRoute({ tags, summary: 'Gói tin gửi đi qua trục: văn bản, nơi nhận, trạng thái, số lần thử, lỗi gần nhất' }), zQuery(ZOutboxQuery), async (c) =>
    c.json({ data: await listOutbox({ ...ctx(c), ...c.req.valid('query') }), can: can(c) }))
  .post('/outbox/:id/retry', describeRoute({ tags, summary: 'Gửi lại gói tin đã lỗi' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await retryOutbox({ ...ctx(c), id: c.req.valid('param').id }) }))
  .get('/refused', describeRoute({ tags, summary: 'Gói tin nhận về bị từ chối (giả mạo, bị sửa, gửi nhầm, không tải được)' }), async (c) =>
    c.json({ data: await listRefused(ctx(c)), can: can(c) }))
  .post('/refused/:id/refetch', describeRoute({ tags, summary: 'Nhận lại gói tin không tải được từ trục (sau khi trục đã khắc phục)' }), zParam(ZRefusedParam), async (c) =>
    c.json({ data: await refetchRefused({ ...ctx(c), id: c.req.valid('param').id }) }))
  .get('/requests', describeRoute({ tags, summary: 'Yêu cầu thu hồi / cập nhật từ cơ quan gửi (như GET /api/incoming/requests)' }), zQuery(ZRequestsQuery), async (c) =>
    c.json({ data: await listRequests({ ...ctx(c), ...c.req.valid('query') }) }))
  .post('/requests/:id/answer', describeRoute({ tags, summary: 'Đồng ý (15) hoặc từ chối (16) yêu cầu thu hồi / cập nhật' }), zParam(ZIdParam), zJson(ZAnswerRequestBody), async (c) =>
    c.json({ data: await answerRequest({ ...ctx(c), id: c.req.valid('param').id, ...c.req.valid('json') }) }))
  .post('/outgoing/:id/update', describeRoute({ tags, summary: 'Gửi cập nhật (trích yếu, hạn xử lý) của văn bản đã phát hành tới nơi nhận (qua trục và trong hệ thống)' }), zParam(ZIdParam), zJson(ZUpdateBody), async (c) =>
    c.json({ data: await sendUpdate({ ...ctx(c), outgoingId: c.req.valid('param').id, ...c.req.valid('json') }) }))
  .get('/directory', describeRoute({ tags, summary: 'Danh bạ cơ quan đồng bộ từ trục (chọn nơi nhận ngoài)' }), zQuery(ZDirectoryQuery), async (c) =>
    c.json({ data: await listDirectory({ ...ctx(c), search: c.req.valid('query').search }) }));
