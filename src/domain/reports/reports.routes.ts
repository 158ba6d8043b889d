import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zQuery } from '../../platform/http/validate.ts';
import { policiesFor } from '../../policies/index.ts';
import { defaultReportScope } from '../../policies/reports.ts';
import { incomingReport, outgoingReport } from './reports.service.ts';
import { incomingReportSheets, outgoingReportSheets, reportXlsx } from './reports.export.ts';
import { printTablesPdf } from './reports.pdf.ts';
import { chaseOverdue } from './reports-chase.service.ts';
import { reportsRecordsRoutes } from './reports-records.routes.ts';
import { periodFileName, type ReportPeriod } from './reports.period.ts';
import { ZChaseBody, ZReportExportQuery, ZReportQuery, type TReportExportQuery } from './reports.schemas.ts';

const tags = ['Báo cáo thống kê'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(c: Context<AppEnv>, bytes: Uint8Array, q: TReportExportQuery, name: string, period: ReportPeriod) {
  const file = `${name}-${periodFileName(period)}.${q.format}`;
  return c.body(Buffer.from(bytes), 200, { 'Content-Type': q.format === 'xlsx' ? XLSX : 'application/pdf', 'Content-Disposition': `attachment; filename="${file}"` });
}

/** Báo cáo tình hình giải quyết văn bản đến / đi (ND 30 Phụ lục VI V.2, V.4), as JSON, XLSX or PDF; thống kê hồ sơ under /records. */
export const reportsRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/incoming', describeRoute({ tags, summary: 'Báo cáo tình hình giải quyết văn bản đến (theo đơn vị, người chủ trì; văn bản quá hạn)' }), zQuery(ZReportQuery), async (c) => {
    const actor = actorOf(c);
    const data = await incomingReport({ ...ctx(c), query: c.req.valid('query') });
    return c.json({ data, can: policiesFor(actor, data.scope, ['reports.chase']), defaultScope: defaultReportScope(actor) });
  })
  .get('/incoming/export', describeRoute({ tags, summary: 'Tải báo cáo văn bản đến (XLSX hoặc PDF)' }), zQuery(ZReportExportQuery), async (c) => {
    const q = c.req.valid('query');
    const report = await incomingReport({ ...ctx(c), query: q });
    const sheets = incomingReportSheets(report);
    return download(c, q.format === 'xlsx' ? await reportXlsx(sheets) : await printTablesPdf(sheets), q, 'bao-cao-van-ban-den', report.period);
  })
  .post('/incoming/chase', describeRoute({ tags, summary: 'Đôn đốc: gửi thông báo cho người (hoặc lãnh đạo đơn vị) chủ trì văn bản đến quá hạn' }), zJson(ZChaseBody), async (c) =>
    c.json({ data: await chaseOverdue({ ...ctx(c), body: c.req.valid('json'), ip: c.var.ip, requestId: c.var.requestId }) }))
  .get('/outgoing', describeRoute({ tags, summary: 'Báo cáo tình hình giải quyết văn bản đi (theo đơn vị soạn thảo, loại văn bản, nơi nhận)' }), zQuery(ZReportQuery), async (c) =>
    c.json({ data: await outgoingReport({ ...ctx(c), query: c.req.valid('query') }) }))
  .get('/outgoing/export', describeRoute({ tags, summary: 'Tải báo cáo văn bản đi (XLSX hoặc PDF)' }), zQuery(ZReportExportQuery), async (c) => {
    const q = c.req.valid('query');
    const report = await outgoingReport({ ...ctx(c), query: q });
    const sheets = outgoingReportSheets(report);
    return download(c, q.format === 'xlsx' ? await reportXlsx(sheets) : await printTablesPdf(sheets), q, 'bao-cao-van-ban-di', report.period);
  })
  .route('/records', reportsRecordsRoutes);
