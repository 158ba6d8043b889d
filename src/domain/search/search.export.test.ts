import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import { loggedInClient, testClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { searchTextOf } from '../incoming/incoming.repository.ts';
import { openRecordsFile } from '../records/records.service.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';
import { buildSearchExport, EXPORT_LIMIT } from './search-export.service.ts';

const t = useTestApp();

/** A client signed in as an actor of makeRecordsAgency (its user was made with the test password). */
const clientOf = (username: string) => loggedInClient(t.app, username);

/** The text of an exported file: pdftotext for a PDF, the document XML's runs for a DOCX. */
async function textOf(bytes: ArrayBuffer, format: 'pdf' | 'docx'): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-search-')), `ket-qua.${format}`);
  await writeFile(file, new Uint8Array(bytes));
  if (format === 'pdf') return execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
  return execFileSync('unzip', ['-p', file, 'word/document.xml'], { maxBuffer: 64 * 1024 * 1024 }).toString().replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe.skipIf(!needTool('pdftotext', 'unzip'))('exporting the search results (ND 30 Phụ lục VI III.6.h)', () => {
  test('the results of the three kinds come as a PDF and a DOCX with the columns the page shows; a Mật document its reader may not see is in neither', async () => {
    const w = await makeRecordsAgency(t.db);
    await makeIncomingFor(t.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', number: '45', notation: 'SNV-VP', issuerName: 'Sở Nội vụ', documentDate: '2026-03-02' });
    await makeIncomingFor(t.db, w.staff, { subject: 'Phương án chuyển đổi số bảo mật', secrecy: 'mat', documentDate: '2026-03-05' });
    await makeOutgoingBy(t.db, w.staff, { subject: 'Báo cáo chuyển đổi số quý I', issuedAt: '2026-04-10T03:00:00Z' });
    await openRecordsFile({ db: t.db, actor: w.colleague, body: { notation: '07.VP', title: 'Hồ sơ chuyển đổi số năm 2026', retention: '10', description: '' } });
    const clerk = await clientOf(w.clerk.username); // sees the agency's documents, but a Mật one only when named in it

    for (const format of ['pdf', 'docx'] as const) {
      const res = await t.app.request(`/api/search/export?q=${encodeURIComponent('chuyển đổi số')}&format=${format}`, { headers: { cookie: clerk.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="ket-qua-tim-kiem-\\d{4}-\\d{2}-\\d{2}\\.${format}"`));
      const text = await textOf(await res.arrayBuffer(), format);
      for (const shown of ['VĂN BẢN ĐẾN (1 văn bản)', 'Kế hoạch chuyển đổi số năm 2027', '45/SNV-VP', 'Sở Nội vụ', '02/03/2026', 'Đã giao',
        'VĂN BẢN ĐI (1 văn bản)', 'Báo cáo chuyển đổi số quý I', '07/UBND-TH', '10/04/2026', 'Đã phát hành',
        'HỒ SƠ CÔNG VIỆC (1 hồ sơ)', '07.VP', 'Hồ sơ chuyển đổi số năm 2026', '10 năm', 'Đang mở', 'Điều kiện: từ cần tìm «chuyển đổi số»; liên quan nhất trước.']) {
        expect(text, `${format}: ${shown}`).toContain(shown);
      }
      expect(text, format).not.toContain('bảo mật');
      // results of any years: no «Năm: <this year>» under the title, as a register of one year has
      expect(text, format).not.toContain('Năm: ');
    }
    // the fields the user hides on the page are left out of the file too (III.6.đ)
    const trimmed = await t.app.request(`/api/search/export?q=${encodeURIComponent('chuyển đổi số')}&format=docx&hide=incoming.issuer,records.owner,records.unit`, { headers: { cookie: clerk.cookie } });
    const trimmedText = await textOf(await trimmed.arrayBuffer(), 'docx');
    for (const gone of ['Cơ quan ban hành', 'Sở Nội vụ', 'Người lập hồ sơ', 'Đơn vị']) expect(trimmedText, gone).not.toContain(gone);
    for (const kept of ['45/SNV-VP', 'Kế hoạch chuyển đổi số năm 2027', 'Hồ sơ chuyển đổi số năm 2026', '10 năm']) expect(trimmedText, kept).toContain(kept);
    expect((await clerk.get('/api/search/export?q=so&hide=issuer')).body.error?.code).toBe('request.invalid');

    // the handler sees the Mật one and exports it
    const staff = await clientOf(w.staff.username);
    const own = await t.app.request('/api/search/export?q=bao+mat&kind=incoming&format=docx', { headers: { cookie: staff.cookie } });
    expect(await textOf(await own.arrayBuffer(), 'docx')).toContain('Phương án chuyển đổi số bảo mật');
  });

  test('an export asks something and is signed in; a field the kind has not leaves it out', async () => {
    expect((await testClient(t.app).get('/api/search/export?q=bao+cao')).status).toBe(401);
    const { user } = await makeUser(t.db, { roles: ['staff'] });
    const me = await clientOf(user.username);
    for (const query of ['', 'q=a', 'order=newest&kind=incoming', 'kind=records&from=2026-01-01']) {
      const res = await me.get(`/api/search/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error?.code, query).toBe('search.export_empty');
    }
    expect((await me.get('/api/search/export?q=bao+cao&format=doc')).body.error?.code).toBe('request.invalid');
    const w = await makeRecordsAgency(t.db);
    const built = await buildSearchExport({ db: t.db, actor: w.staff, query: { issuer: 'Sở' } });
    expect(built.tables.map((t) => t.kind)).toEqual(['incoming']);
  });

  test(`past ${EXPORT_LIMIT} documents of a kind the export keeps the first ${EXPORT_LIMIT} in the order chosen and says it was cut`, async () => {
    const w = await makeRecordsAgency(t.db);
    const fields = { subject: 'Giấy mời họp giao ban', number: '1', notation: 'UBND', issuerName: 'UBND huyện' };
    await t.db.insertInto('incomingDocument').values(Array.from({ length: EXPORT_LIMIT + 1 }, (_, i) => ({
      agencyId: w.agencyId, source: 'paper', status: 'registered', secrecy: 'thuong', ...fields, searchText: searchTextOf(fields),
      documentDate: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 10), typeCode: 'giay_moi',
    }))).execute();
    const built = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'giao ban', kind: 'incoming', order: 'oldest' } });
    const [table] = built.tables;
    expect(table?.rows).toHaveLength(EXPORT_LIMIT);
    expect(table?.rows[0]?.slice(0, 4)).toEqual(['1', '', '1/UBND', '01/01/2025']); // the oldest first
    expect(table?.title).toBe('VĂN BẢN ĐẾN (1000 văn bản đầu tiên)');
    expect(table?.cutNote).toContain('Chỉ xuất 1000 văn bản đầu tiên');
    expect(built.criteria).toBe('Điều kiện: từ cần tìm «giao ban»; chỉ văn bản đến; cũ nhất trước.');
    const clerk = await clientOf(w.clerk.username);
    const res = await t.app.request('/api/search/export?q=giao+ban&kind=incoming&format=docx', { headers: { cookie: clerk.cookie } });
    expect(await textOf(await res.arrayBuffer(), 'docx')).toContain('Chỉ xuất 1000 văn bản đầu tiên');
  });
});
