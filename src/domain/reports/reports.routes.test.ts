import { beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { useTestApp } from '../../test/app.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { makeReportAgency, makeReportIncoming } from './reports.testing.ts';

const t = useTestApp();
let a: Awaited<ReturnType<typeof makeReportAgency>>;
const TODAY = vietnamDay();
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const RANGE = `period=range&from=${vietnamDay(daysAgo(40))}&to=${TODAY}`;

beforeAll(async () => {
  a = await makeReportAgency(t.db);
  // registered 20 days ago, deadline 10 days ago, still open: overdue by 10 days today
  await makeReportIncoming(t.db, { agencyId: a.agencyId, by: a.leader, arrivalNumber: 7, status: 'in_progress', arrivedAt: daysAgo(20).toISOString(), deadline: vietnamDay(daysAgo(10)), lead: { unitId: a.economy } });
});

const as = (values: Parameters<typeof signedInClient>[2]) => signedInClient(t.app, t.db, values);

describe('the reports API', () => {
  test('needs a session', async () => {
    expect((await testClient(t.app).get('/api/reports/incoming')).status).toBe(401);
  });

  test("a leader reads the agency's incoming report with the overdue document to chase", async () => {
    const { client } = await as({ roles: ['leader'], agencyId: a.agencyId });
    const res = await client.get(`/api/reports/incoming?${RANGE}`);
    expect(res.status).toBe(200);
    const data = res.body.data as { total: { overdue: number }; overdue: { arrivalNumber: number; daysOverdue: number; unitName: string }[] };
    expect(data.total.overdue).toBe(1);
    expect(data.overdue).toMatchObject([{ arrivalNumber: 7, daysOverdue: 10, unitName: 'Phòng Kinh tế' }]);
    expect(res.body.can).toEqual({ 'reports.chase': true });
  });

  test("staff are refused another unit's report, and a bad range is refused with its code", async () => {
    const { client } = await as({ roles: ['staff'], agencyId: a.agencyId, unitId: a.office });
    const other = await client.get(`/api/reports/incoming?unitId=${a.economy}`);
    expect([other.status, other.body.error?.code]).toEqual([403, 'forbidden']);
    const own = await client.get('/api/reports/outgoing');
    expect(own.status).toBe(200);
    const bad = await client.get('/api/reports/incoming?period=range&from=2026-11-05');
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'reports.period_invalid']);
  });

  test('a clerk chases the overdue document through the API; staff are refused with forbidden', async () => {
    const clerk = await as({ roles: ['clerk'], agencyId: a.agencyId });
    const report = await clerk.client.get(`/api/reports/incoming?${RANGE}`);
    const id = (report.body.data as { overdue: { id: string }[] }).overdue[0]?.id ?? '';
    const staff = await as({ roles: ['staff'], agencyId: a.agencyId, unitId: a.economy });
    const refused = await staff.client.post('/api/reports/incoming/chase', { incomingId: id });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'forbidden']);
    const sent = await clerk.client.post('/api/reports/incoming/chase', { incomingId: id, note: 'Khẩn trương hoàn thành.' });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toEqual({ notified: [a.head.fullName], daysOverdue: 10 });
  });

  test('the XLSX download has the per-unit table with the total and a sheet of overdue documents', async () => {
    const { client } = await as({ roles: ['clerk'], agencyId: a.agencyId });
    const res = await t.app.request(`/api/reports/incoming/export?${RANGE}&format=xlsx`, { headers: { cookie: client.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows = (i: number) => {
      const out: string[][] = [];
      wb.worksheets[i]?.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      return out;
    };
    expect(rows(0).flat()).toContain('BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Theo đơn vị chủ trì', 'Văn bản quá hạn']);
    // counts are numbers Excel sums, not text with a warning mark; the column numbers (1), (2)… stay text
    const total = (wb.worksheets[0]?.getSheetValues() ?? []).find((r) => Array.isArray(r) && r[1] === 'Tổng cộng') as unknown[];
    expect(total.slice(2, 8).every((v) => typeof v === 'number')).toBe(true);
    expect(JSON.stringify(wb.worksheets[0]?.getSheetValues())).toContain('"(2)"');
    expect(rows(0).find((r) => r[0] === 'Tổng cộng')?.slice(6, 12)).toEqual(['1', '0', '0', '1', '0', '0']);
    expect(rows(1).find((r) => r[0] === '7')).toEqual(expect.arrayContaining(['Phòng Kinh tế', '10']));
  });

  test.skipIf(!needTool('pdftotext'))('the PDF download prints the title, the agency, the period in Vietnamese dates and the table', async () => {
    const { client } = await as({ roles: ['leader'], agencyId: a.agencyId });
    const res = await t.app.request(`/api/reports/incoming/export?${RANGE}&format=pdf`, { headers: { cookie: client.cookie } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    // the file is named by its period's days, not by the word the query used
    const days = RANGE.match(/from=(\d{4})-(\d\d)-(\d\d)&to=(\d{4})-(\d\d)-(\d\d)/)?.slice(1) ?? [];
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="bao-cao-van-ban-den-(thang-\d\d-\d{4}|tu-\d\d-\d\d-\d{4}-den-\d\d-\d\d-\d{4})\.pdf"$/);
    expect(res.headers.get('content-disposition')).toContain(`${days[5]}-${days[4]}-${days[3]}.pdf`);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-report-')), 'r.pdf');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(text).toContain('UBND XÃ THỬ NGHIỆM');
    expect(text).toContain(`đến ngày ${TODAY.split('-').reverse().join('/')}`);
    expect(text).toContain('Phòng Kinh tế');
    expect(text).toContain('QUÁ HẠN');
  });

  test.skipIf(!needTool('pdftotext'))('a short report prints on one page without a cover page, and a long title wraps inside the page instead of running off it', async () => {
    const { client } = await as({ roles: ['leader'], agencyId: a.agencyId });
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-report-'));
    for (const kind of ['incoming', 'outgoing'] as const) {
      const res = await t.app.request(`/api/reports/${kind}/export?${RANGE}&format=pdf`, { headers: { cookie: client.cookie } });
      const file = path.join(dir, `${kind}.pdf`);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      expect(execFileSync('pdfinfo', [file]).toString(), kind).toMatch(/Pages:\s+1\n/);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain('Trang 1/1');
      if (kind === 'outgoing') expect(text.replace(/\s+/g, ' ')).toContain('VĂN BẢN ĐI ĐÃ BAN HÀNH THEO LOẠI VÀ TÌNH HÌNH XỬ LÝ CỦA NƠI NHẬN');
    }
  });
});
