import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { needTool } from '../../test/tools.ts';
import { makeIncomingFor, makeRecordsAgency } from './records.testing.ts';
import { addDocumentToFile, closeRecordsFile, handOverRecordsFile, openRecordsFile } from './records.service.ts';
import { handOverRecordsFiles } from './records-batch.service.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';

const t = useTestApp();

describe('the records API', () => {
  test('needs a session', async () => {
    expect((await testClient(t.app).get('/api/records/files')).status).toBe(401);
  });

  test('a clerk draws up the plan, staff open a file from it and file a document; the answers carry what each may do', async () => {
    const clerk = await signedInClient(t.app, t.db, { roles: ['clerk'] });
    const staff = await signedInClient(t.app, t.db, { roles: ['staff'], agencyId: clerk.actor.agencyId });
    const created = await clerk.client.post('/api/records/plan', { year: 2026, notation: '01.TH', title: 'Hồ sơ chuyển đổi số', retention: '20' });
    expect(created.status).toBe(201);
    const entryId = (created.body.data as { id: string }).id;
    expect((await staff.client.post('/api/records/plan', { year: 2026, notation: '02.TH', title: 'X', retention: '5' })).body.error?.code).toBe('forbidden');
    const opened = await staff.client.post('/api/records/files', { planEntryId: entryId });
    expect(opened.status).toBe(201);
    const fileId = (opened.body.data as { id: string }).id;
    const doc = await makeIncomingFor(t.db, staff.actor, { status: 'done' });
    expect((await staff.client.post(`/api/records/files/${fileId}/documents`, { ownerType: 'incoming', ownerId: doc })).status).toBe(201);
    const detail = await staff.client.get(`/api/records/files/${fileId}`);
    expect(detail.body.data).toMatchObject({ file: { notation: '01.TH', retentionText: '20 năm' }, documents: [{ ordinal: 1, ownerId: doc }], can: { 'records.file.close': true, 'records.file.hand_over': false } });
    expect((await staff.client.post(`/api/records/files/${fileId}/close`)).status).toBe(200);
    expect((await clerk.client.post(`/api/records/files/${fileId}/hand-over`)).status).toBe(200);
    const readOnly = await clerk.client.delete(`/api/records/files/${fileId}/documents/incoming/${doc}`);
    expect([readOnly.status, readOnly.body.error?.code]).toEqual([409, 'records.read_only']);
    const pdf = await staff.client.get(`/api/records/files/${fileId}/index`);
    expect([pdf.status, pdf.headers.get('content-type'), String(pdf.body.raw).slice(0, 5)]).toEqual([200, 'application/pdf', '%PDF-']);
    const xlsx = await clerk.client.get(`/api/records/files/${fileId}/index?format=xlsx`);
    expect([xlsx.status, xlsx.headers.get('content-disposition')]).toEqual([200, 'attachment; filename="muc-luc-ho-so-2026-01.TH.xlsx"']);
  });

  test.skipIf(!needTool('pdftotext'))('the archivist prints the mục lục of the files handed over: số/ký hiệu, title, dates and retention of each, only the agency\'s', async () => {
    const a = await makeRecordsAgency(t.db);
    const staff = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...staff, body: { notation: '03.TH', title: 'Hồ sơ hội nghị cải cách hành chính', retention: 'permanent', description: '' } });
    await addDocumentToFile({ ...staff, fileId, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, a.staff, { status: 'done', documentDate: '2026-03-02', pageCount: 4 }) } });
    await closeRecordsFile({ ...staff, id: fileId });
    await handOverRecordsFile({ db: t.db, actor: a.archivist, id: fileId });
    await openRecordsFile({ ...staff, body: { notation: '04.TH', title: 'Hồ sơ còn mở', retention: '10', description: '' } });
    const archivist = await signedInClient(t.app, t.db, { roles: ['archivist'], agencyId: a.agencyId });
    const res = await archivist.client.get('/api/records/files/catalog?scope=agency&status=handed_over&year=2026');
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([200, 'application/pdf', 'attachment; filename="muc-luc-ho-so-nop-luu-2026.pdf"']);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-catalog-')), 'c.pdf');
    await writeFile(file, Buffer.from(await (await t.app.request('/api/records/files/catalog?scope=agency&status=handed_over&year=2026', { headers: { cookie: archivist.client.cookie } })).arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text.replace(/\s+/g, ' ')).toContain('MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU Bảo quản vĩnh viễn Năm 2026');
    // a file kept for ever is in the mục lục of those, which has no column of thời hạn bảo quản (Phụ lục V)
    expect(text).toMatch(/1\s+03\.TH\s+Hồ sơ hội nghị cải cách hành chính\s+02\/03\/2026 –\s+4\s+Nộp lưu/);
    expect(text).not.toContain('Thời hạn');
    expect(text.replace(/\s+/g, ' ')).toContain(`Người lập (Ký và ghi rõ họ và tên, chức vụ) ${archivist.actor.fullName}`);
    expect(text).not.toContain('04.TH');
    const stranger = await signedInClient(t.app, t.db, { roles: ['archivist'] });
    const theirs = await stranger.client.get('/api/records/files/catalog?scope=agency&status=handed_over&year=2026&format=xlsx');
    expect([theirs.status, theirs.headers.get('content-disposition')]).toEqual([200, 'attachment; filename="muc-luc-ho-so-nop-luu-2026.xlsx"']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await t.app.request('/api/records/files/catalog?scope=agency&status=handed_over&year=2026&format=xlsx', { headers: { cookie: stranger.client.cookie } })).arrayBuffer()) as never);
    expect(JSON.stringify(book.worksheets[0]?.getSheetValues())).not.toContain('03.TH');
  });

  test('bad input is a 400 with the fields; another agency gets a 404 for the file', async () => {
    const staff = await signedInClient(t.app, t.db, { roles: ['staff'] });
    const bad = await staff.client.post('/api/records/files', { notation: '', title: 'X', retention: '3' });
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'request.invalid']);
    const opened = await staff.client.post('/api/records/files', { notation: '05.VP', title: 'Hồ sơ', retention: 'permanent' });
    const fileId = (opened.body.data as { id: string }).id;
    const stranger = await signedInClient(t.app, t.db, { roles: ['clerk', 'leader'] });
    const res = await stranger.client.get(`/api/records/files/${fileId}`);
    expect([res.status, res.body.error?.code]).toEqual([404, 'records.file_not_found']);
    expect((await stranger.client.post(`/api/records/files/${fileId}/close`)).body.error?.code).toBe('records.file_not_found');
    expect((await stranger.client.get(`/api/records/files/${fileId}/index`)).body.error?.code).toBe('records.file_not_found');
  });

  test.skipIf(!needTool('pdftotext'))('the clerk prints the year\'s Danh mục hồ sơ as the mẫu: đề mục lines, files under them, and the closing count; another agency prints its own', async () => {
    const clerk = await signedInClient(t.app, t.db, { roles: ['clerk'] });
    for (const [heading, notation, title, retention] of [['I. TỔNG HỢP', '01.TH', 'Hồ sơ báo cáo kinh tế - xã hội năm 2026', 'permanent'], ['II. VĂN PHÒNG', '01.VP', 'Hồ sơ hội nghị công tác văn thư năm 2026', '10']]) {
      expect((await clerk.client.post('/api/records/plan', { year: 2026, heading, notation, title, retention })).status).toBe(201);
    }
    const res = await t.app.request('/api/records/plan/export?year=2026', { headers: { cookie: clerk.client.cookie } });
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([200, 'application/pdf', 'attachment; filename="danh-muc-ho-so-2026.pdf"']);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-plan-')), 'p.pdf');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text.replace(/\s+/g, ' ')).toContain('DANH MỤC HỒ SƠ Năm 2026 (Kèm theo Quyết định số ….. ngày ….. tháng ….. năm …… của……)');
    expect(text).toMatch(/I\. TỔNG HỢP\s+01\.TH\s+Hồ sơ báo cáo kinh tế - xã hội năm 2026\s+Vĩnh viễn/);
    expect(text).toMatch(/II\. VĂN PHÒNG\s+01\.VP\s+Hồ sơ hội nghị công tác văn thư năm 2026\s+10 năm/);
    // the closing lines under the table, as the model prints them
    expect(text).toMatch(/Danh mục hồ sơ này có 2 hồ sơ, bao gồm:\n\s*1 hồ sơ bảo quản vĩnh viễn;\n\s*1 hồ sơ bảo quản có thời hạn\./);
    const stranger = await signedInClient(t.app, t.db, { roles: ['clerk'] });
    const theirs = await t.app.request('/api/records/plan/export?year=2026&format=xlsx', { headers: { cookie: stranger.client.cookie } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await theirs.arrayBuffer()) as never);
    const values = JSON.stringify(book.worksheets[0]?.getSheetValues());
    expect(values).toContain('DANH MỤC HỒ SƠ');
    expect(values).not.toContain('01.TH');
  });

  test.skipIf(!needTool('pdftotext'))('a commune\'s records forms print the cơ quan chủ quản its admin writes on the agency\'s form over its name, and none once cleared — the Danh mục hồ sơ, the mục lục hồ sơ, the Danh mục hồ sơ giữ lại and the Biên bản giao nhận, dated at its địa danh', async () => {
    const agencyId = (await makeAgency(t.db, { name: 'Ủy ban nhân dân xã Tân Lập', level: 'commune' })).id;
    const unitId = (await makeUnit(t.db, agencyId)).id;
    const staff = (await makeUser(t.db, { agencyId, roles: ['staff'], unitId })).actor;
    const [admin, clerk, archivist] = [await signedInClient(t.app, t.db, { agencyId, roles: ['admin'] }), await signedInClient(t.app, t.db, { agencyId, roles: ['clerk'] }), await signedInClient(t.app, t.db, { agencyId, roles: ['archivist'] })];
    const year = vietnamYear(new Date());
    expect((await clerk.client.post('/api/records/plan', { year, notation: '01.VP', title: 'Hồ sơ tiếp công dân', retention: '10' })).status).toBe(201);
    const fileId = await openRecordsFile({ db: t.db, actor: staff, body: { notation: '02.VP', title: 'Hồ sơ hội nghị', retention: '10', description: '' } });
    await addDocumentToFile({ db: t.db, actor: staff, fileId, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, staff, { status: 'done' }) } });
    await closeRecordsFile({ db: t.db, actor: staff, id: fileId });
    const batchId = await handOverRecordsFiles({ db: t.db, actor: staff, fileIds: [fileId] });
    /** The text of each form as the commune's clerk and archivist download it, its whitespace made single spaces. */
    const printed = async () => {
      const text = async (who: typeof clerk, url: string) => {
        const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-heading-')), 'f.pdf');
        await writeFile(file, Buffer.from(await (await t.app.request(url, { headers: { cookie: who.client.cookie } })).arrayBuffer()));
        return execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
      };
      return {
        plan: await text(clerk, `/api/records/plan/export?year=${year}`), catalog: await text(archivist, `/api/records/files/catalog?scope=agency&year=${year}`),
        kept: await text(archivist, '/api/records/files/kept/export'), minutes: await text(archivist, `/api/records/hand-over-batches/${batchId}/minutes.pdf`),
      };
    };

    expect((await admin.client.patch(`/api/orgs/agencies/${agencyId}`, { governingName: 'Ủy ban nhân dân tỉnh Thái Hòa', placeName: 'Tân Lập' })).status).toBe(200);
    const governed = await printed();
    for (const form of [governed.plan, governed.catalog, governed.minutes]) {
      expect(form).toContain('ỦY BAN NHÂN DÂN TỈNH THÁI HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ỦY BAN NHÂN DÂN XÃ TÂN LẬP Độc lập - Tự do - Hạnh phúc');
    }
    expect(governed.kept).toContain('ỦY BAN NHÂN DÂN TỈNH THÁI HÒA ỦY BAN NHÂN DÂN XÃ TÂN LẬP');
    for (const form of [governed.catalog, governed.minutes]) expect(form).toContain(formatIssueDate('Tân Lập', new Date()));

    expect((await admin.client.patch(`/api/orgs/agencies/${agencyId}`, { governingName: '' })).status).toBe(200);
    const cleared = await printed();
    for (const form of [cleared.plan, cleared.catalog, cleared.minutes]) expect(form).toMatch(/^ ?ỦY BAN NHÂN DÂN XÃ TÂN LẬP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    for (const form of Object.values(cleared)) expect(form).not.toContain('THÁI HÒA');
  });

  test('in XLSX the Danh mục hồ sơ and the mục lục hồ sơ (one worksheet for each retention class) hold STT, số tờ and thời hạn bảo quản in years as numbers (Excel sums them), «Vĩnh viễn» as text', async () => {
    const a = await makeRecordsAgency(t.db);
    const clerk = await signedInClient(t.app, t.db, { roles: ['clerk'], agencyId: a.agencyId });
    for (const [notation, retention] of [['01.TH', 'permanent'], ['01.VP', '10']]) {
      expect((await clerk.client.post('/api/records/plan', { year: 2026, heading: 'I. TỔNG HỢP', notation, title: `Hồ sơ ${notation}`, retention })).status).toBe(201);
    }
    const staff = { db: t.db, actor: a.staff };
    for (const [notation, retention, pageCount] of [['02.TH', 'permanent', 4], ['03.TH', '20', 7]] as const) {
      const fileId = await openRecordsFile({ ...staff, body: { notation, title: `Hồ sơ ${notation}`, retention, description: '' } });
      await addDocumentToFile({ ...staff, fileId, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, a.staff, { status: 'done', pageCount }) } });
      await closeRecordsFile({ ...staff, id: fileId });
    }
    /** The data rows of a downloaded workbook's worksheet, by the text of one column: each cell's value and number format. */
    const rowsOf = async (url: string, keyColumn: number, sheet = 0) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await (await t.app.request(url, { headers: { cookie: clerk.client.cookie } })).arrayBuffer()) as never);
      const rows = new Map<string, { value: unknown; numFmt: string | undefined }[]>();
      book.worksheets[sheet]?.eachRow((row) => {
        const cells = Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1)).map((c) => ({ value: c.value, numFmt: c.numFmt }));
        rows.set(String(cells[keyColumn]?.value ?? ''), cells);
      });
      return rows;
    };
    const plan = await rowsOf('/api/records/plan/export?year=2026&format=xlsx', 0);
    expect(plan.get('01.VP')?.[2]).toEqual({ value: 10, numFmt: '0 "năm"' });
    expect(plan.get('01.TH')?.[2]?.value).toBe('Vĩnh viễn');
    // the mục lục of the files kept for ever (no thời hạn column), then of those kept for a term, each on its worksheet
    const permanent = await rowsOf('/api/records/files/catalog?scope=agency&year=2026&format=xlsx', 1, 0);
    expect(permanent.get('02.TH')?.map((c) => c.value).filter((_, i) => [0, 4].includes(i))).toEqual([1, 4]);
    const term = await rowsOf('/api/records/files/catalog?scope=agency&year=2026&format=xlsx', 1, 1);
    expect(term.get('03.TH')?.map((c) => c.value).filter((_, i) => [0, 4, 5].includes(i))).toEqual([1, 20, 7]);
    expect(term.get('03.TH')?.[4]?.numFmt).toBe('0 "năm"');
    expect(term.get('Số, ký hiệu hồ sơ')?.[0]?.value).toBe('Số TT');
  });
});
