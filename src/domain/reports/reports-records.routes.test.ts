import { beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { useTestApp } from '../../test/app.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { makeRecordsReportAgency, THIS_YEAR } from './reports-records.testing.ts';

const t = useTestApp();
let a: Awaited<ReturnType<typeof makeRecordsReportAgency>>;

beforeAll(async () => {
  a = await makeRecordsReportAgency(t.db);
});

const as = (values: Parameters<typeof signedInClient>[2]) => signedInClient(t.app, t.db, values);
const download = async (cookie: string, format: 'xlsx' | 'pdf') =>
  t.app.request(`/api/reports/records/export?year=${THIS_YEAR}&format=${format}`, { headers: { cookie } });

describe('the work files report API (thống kê hồ sơ)', () => {
  test('needs a session', async () => {
    expect((await testClient(t.app).get('/api/reports/records')).status).toBe(401);
  });

  test("a clerk reads the agency's numbers and one account's files", async () => {
    const { client } = await as({ roles: ['clerk'], agencyId: a.agencyId });
    const res = await client.get(`/api/reports/records?year=${THIS_YEAR}`);
    expect(res.status).toBe(200);
    expect((res.body.data as { total: { files: number; pages: number } }).total).toMatchObject({ files: 5, pages: 21 });
    const files = await client.get(`/api/reports/records/files?year=${THIS_YEAR}&userId=${a.officeStaff.id}`);
    expect((files.body.data as { files: { notation: string }[] }).files.map((f) => f.notation)).toEqual(['VP.01', 'VP.02']);
  });

  test("staff are refused with forbidden, for the agency, their unit and the files; another agency's leader gets not_found for a unit of this one", async () => {
    const staff = await as({ roles: ['staff'], agencyId: a.agencyId, unitId: a.economy });
    for (const url of ['/api/reports/records', `/api/reports/records?unitId=${a.economy}`, `/api/reports/records/files?userId=${a.staff.id}`, '/api/reports/records/export?format=xlsx']) {
      const res = await staff.client.get(url);
      expect([res.status, res.body.error?.code], url).toEqual([403, 'forbidden']);
    }
    const stranger = await as({ roles: ['leader'], agencyId: a.stranger.agencyId });
    const res = await stranger.client.get(`/api/reports/records?unitId=${a.economy}`);
    expect([res.status, res.body.error?.code]).toEqual([404, 'reports.not_found']);
    const own = await stranger.client.get(`/api/reports/records?year=${THIS_YEAR}`);
    expect((own.body.data as { total: { files: number; pages: number } }).total).toMatchObject({ files: 1, pages: 11 });
  });

  test('the XLSX holds each unit, its people and the total, the numbers as numbers', async () => {
    const { client } = await as({ roles: ['archivist'], agencyId: a.agencyId });
    const res = await download(client.cookie, 'xlsx');
    expect([res.status, res.headers.get('content-disposition')]).toEqual([200, `attachment; filename="thong-ke-ho-so-${THIS_YEAR}.xlsx"`]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).filter(Array.isArray).map((r) => (r as unknown[]).slice(1));
    expect(JSON.stringify(rows)).toContain(`THỐNG KÊ HỒ SƠ NĂM ${THIS_YEAR}`);
    const data = rows.slice(rows.findIndex((r) => r[0] === '(1)') + 1);
    expect(data).toEqual([
      ['Phòng Kinh tế', 3, 1, 2, 0, 2, 1, 1, 2, 2, 5, 14],
      // the people of a unit in the agency's order: its head before the staff
      [`   — ${a.head.fullName}`, 1, 0, 1, 0, 1, 0, 0, 1, 1, 2, 6], [`   — ${a.staff.fullName}`, 2, 1, 1, 0, 1, 1, 1, 1, 1, 3, 8],
      ['Văn phòng', 2, 1, 0, 1, 0, 0, 1, 1, 2, 1, 7],
      [`   — ${a.officeStaff.fullName}`, 2, 1, 0, 1, 0, 0, 1, 1, 2, 1, 7],
      ['Tổng cộng', 5, 2, 2, 1, 2, 1, 2, 3, 4, 6, 21],
    ]);
  });

  test.skipIf(!needTool('pdftotext'))('the PDF prints the title, the agency and the table', async () => {
    const { client } = await as({ roles: ['leader'], agencyId: a.agencyId });
    const res = await download(client.cookie, 'pdf');
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-report-')), 'r.pdf');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain(`THỐNG KÊ HỒ SƠ NĂM ${THIS_YEAR}`);
    expect(text).toContain('UBND XÃ THỬ NGHIỆM');
    expect(text).toMatch(/Tổng cộng\s+5\s+2\s+2\s+1\s+2\s+1\s+2\s+3\s+4\s+6\s+21/);
  });
});
