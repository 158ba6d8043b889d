import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zQuery } from '../../platform/http/validate.ts';
import { recordsReport, recordsReportFiles, ZRecordsReportExportQuery, ZRecordsReportFilesQuery, ZRecordsReportQuery } from './reports-records.service.ts';
import { recordsReportSheets } from './reports-records.export.ts';
import { reportXlsx } from './reports.export.ts';
import { printTablesPdf } from './reports.pdf.ts';

const tags = ['Báo cáo thống kê'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c) });
const TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

/** Thống kê hồ sơ (ND 30 Phụ lục VI III.4.đ, III.6.a), mounted at /api/reports/records. */
export const reportsRecordsRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Thống kê hồ sơ của một năm: theo đơn vị và người lập hồ sơ' }), zQuery(ZRecordsReportQuery), async (c) =>
    c.json({ data: await recordsReport({ ...ctx(c), query: c.req.valid('query') }) }))
  .get('/files', describeRoute({ tags, summary: 'Các hồ sơ một tài khoản lập trong năm (trong phạm vi người xem)' }), zQuery(ZRecordsReportFilesQuery), async (c) =>
    c.json({ data: await recordsReportFiles({ ...ctx(c), query: c.req.valid('query') }) }))
  .get('/export', describeRoute({ tags, summary: 'Tải thống kê hồ sơ (XLSX hoặc PDF)' }), zQuery(ZRecordsReportExportQuery), async (c) => {
    const { format, ...query } = c.req.valid('query');
    const report = await recordsReport({ ...ctx(c), query });
    const sheets = recordsReportSheets(report);
    const bytes = format === 'xlsx' ? await reportXlsx(sheets) : await printTablesPdf(sheets);
    return c.body(Buffer.from(bytes), 200, { 'Content-Type': TYPES[format], 'Content-Disposition': `attachment; filename="thong-ke-ho-so-${report.year}.${format}"` });
  });
