import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeDeps, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { pdfFonts } from '../documents/pdf-fonts.testing.ts';
import { createApp } from '../../platform/http/app.ts';
import type { Actor } from '../../policies/actor.ts';
import { addDocumentToFile, closeRecordsFile, getRecordsFile, handOverRecordsFile, openRecordsFile } from './records.service.ts';
import { getHandOverBatch, handOverRecordsFiles, listHandOverBatches, receiveHandOverBatch } from './records-batch.service.ts';
import { batchCatalog } from './records-export.service.ts';
import { batchMinutesPdf } from './records-batch-minutes.ts';
import { makeIncomingFor, makeRecordsAgency } from './records.testing.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { createPlanEntry } from './records-plan.service.ts';
import type { TPlanEntryBody } from './records.schemas.ts';

const t = useTestDb();

/** A closed file kept by `keeper` (10 years unless told), with one finished incoming document of `pages` pages dated `documentDate`. */
async function closedFile(keeper: Actor, notation: string, o: { pages?: number; documentDate?: string; close?: boolean; retention?: TPlanEntryBody['retention'] } = {}) {
  const c = { db: t.db, actor: keeper };
  const id = await openRecordsFile({ ...c, body: { notation, title: `Hồ sơ ${notation}`, retention: o.retention ?? '10', description: '' } });
  await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, keeper, { status: 'done', pageCount: o.pages ?? 2, documentDate: o.documentDate }) } });
  if (o.close !== false) await closeRecordsFile({ ...c, id });
  return id;
}
/** Stores files of the given kinds for an incoming document (their bytes do not matter here). */
async function fileOf(actor: Actor, incomingId: string, kinds: readonly string[]) {
  for (const kind of kinds) {
    const sha256 = createHash('sha256').update(`${incomingId}:${kind}`).digest('hex');
    await t.db.insertInto('blob').values({ sha256, size: 1, contentType: 'application/pdf' }).execute();
    await t.db.insertInto('documentFile').values({ agencyId: actor.agencyId, ownerType: 'incoming', ownerId: incomingId, kind, fileName: `${kind}.pdf`, contentType: 'application/pdf', size: 1, sha256, pageCount: 1, createdBy: actor.id }).execute();
  }
}
const agencyName = async (id: string) => (await t.db.selectFrom('agency').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
const statusOf = async (actor: Actor, id: string) => (await getRecordsFile({ db: t.db, actor, id })).file.status;
const pdfText = (bytes: Uint8Array) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-minutes-')), 'bien-ban.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString();
};

describe('a hand-over batch (đợt nộp lưu, ND 30 Art. 30.3)', () => {
  test('the keeper hands two closed files over in one go: both are handed over in one batch, whose mục lục lists them by số/ký hiệu', async () => {
    const a = await makeRecordsAgency(t.db);
    const [tenth, second] = [await closedFile(a.staff, '10.TH'), await closedFile(a.staff, '02.TH')];
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [tenth, second], note: 'Nộp lưu đợt 1' });

    expect([await statusOf(a.staff, tenth), await statusOf(a.staff, second)]).toEqual(['handed_over', 'handed_over']);
    const { batch, files, can } = await getHandOverBatch({ db: t.db, actor: a.archivist, id: batchId });
    expect([batch.unitId, batch.fileCount, batch.note, batch.receivedAt, can.receive]).toEqual([a.unitId, 2, 'Nộp lưu đợt 1', null, true]);
    expect(files.map((f) => f.notation)).toEqual(['02.TH', '10.TH']);
    const { forms } = await batchCatalog({ db: t.db, actor: a.staff, id: batchId });
    expect(forms.map((f) => f.title)).toEqual([['MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU', 'Bảo quản có thời hạn', `Năm ${vietnamYear(new Date())}`]]);
    expect(forms[0]?.columns.map((col) => col.header)).toEqual(['Số TT', 'Số, ký hiệu hồ sơ', 'Tiêu đề hồ sơ', 'Thời gian tài liệu', 'Thời hạn bảo quản', 'Số tờ/ Số trang', 'Ghi chú']);
    expect(forms[0]?.rows.map((r) => r.cells.slice(0, 3))).toEqual([['1', '02.TH', 'Hồ sơ 02.TH'], ['2', '10.TH', 'Hồ sơ 10.TH']]);
  });

  test.skipIf(!needTool('pdftotext'))('its mục lục is two, as Phụ lục V asks: the files kept for ever (without the column of thời hạn bảo quản) and those kept for a term, each counted in figures and words and signed by the one who handed them over', async () => {
    const a = await makeRecordsAgency(t.db);
    await t.db.updateTable('appUser').set({ position: 'Chuyên viên' }).where('id', '=', a.staff.id).execute();
    const ids = [await closedFile(a.staff, '01.TH', { retention: 'permanent' }), await closedFile(a.staff, '02.TH'), await closedFile(a.staff, '03.TH', { retention: '20' })];
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: ids });
    const catalog = await batchCatalog({ db: t.db, actor: a.staff, id: batchId });
    const [permanent, term] = catalog.forms;
    expect([permanent?.title[1], permanent?.rows.map((r) => r.cells[1]), permanent?.columns.some((col) => col.header === 'Thời hạn bảo quản')]).toEqual(['Bảo quản vĩnh viễn', ['01.TH'], false]);
    expect([term?.title[1], term?.rows.map((r) => r.cells.slice(0, 2)), term?.rows.map((r) => r.cells[4])]).toEqual(['Bảo quản có thời hạn', [['1', '02.TH'], ['2', '03.TH']], ['10 năm', '20 năm']]);

    const unitName = (await t.db.selectFrom('unit').select('name').where('id', '=', a.unitId).executeTakeFirstOrThrow()).name;
    const pages = pdfText(await catalog.toPdf()).split('\f').map((page) => page.replace(/\s+/g, ' '));
    expect(pages[0]).toContain(`${(await agencyName(a.agencyId)).toLocaleUpperCase('vi')} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ${unitName.toLocaleUpperCase('vi')} Độc lập - Tự do - Hạnh phúc`);
    expect(pages[0]).toContain(`MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU Bảo quản vĩnh viễn Năm ${vietnamYear(new Date())}`);
    expect(pages[0]).toContain('Mục lục này gồm: 1 hồ sơ (đơn vị bảo quản). Viết bằng chữ: một hồ sơ (đơn vị bảo quản).');
    expect(pages[0]).toContain(`${formatIssueDate(await agencyName(a.agencyId), new Date())} Người lập (Ký và ghi rõ họ và tên, chức vụ) ${a.staff.fullName} Chuyên viên`);
    expect(pages[1]).toContain('Bảo quản có thời hạn');
    expect(pages[1]).toContain('Mục lục này gồm: 2 hồ sơ (đơn vị bảo quản). Viết bằng chữ: hai hồ sơ (đơn vị bảo quản).');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await catalog.toXlsx()) as never);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(['Bảo quản vĩnh viễn', 'Bảo quản có thời hạn']);
  });

  test('one file that may not be handed over (still open) stops the whole batch: none is handed over and no batch is left', async () => {
    const a = await makeRecordsAgency(t.db);
    const closed = await closedFile(a.staff, '01.TH');
    const open = await closedFile(a.staff, '02.TH', { close: false });
    await expect(handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [closed, open] })).rejects.toMatchObject({ code: 'records.bad_status' });
    expect(await statusOf(a.staff, closed)).toBe('closed');
    expect(await listHandOverBatches({ db: t.db, actor: a.archivist })).toEqual([]);
  });

  test('files of two units are not one batch, and a colleague who may not hand one over is refused for all', async () => {
    const a = await makeRecordsAgency(t.db);
    const mine = await closedFile(a.staff, '01.TH');
    const theirs = await closedFile(a.otherStaff, '02.TH');
    await expect(handOverRecordsFiles({ db: t.db, actor: a.clerk, fileIds: [mine, theirs] })).rejects.toMatchObject({ code: 'records.batch_mixed_units' });
    await expect(handOverRecordsFiles({ db: t.db, actor: a.colleague, fileIds: [mine] })).rejects.toMatchObject({ code: 'forbidden' });
    expect([await statusOf(a.clerk, mine), await statusOf(a.clerk, theirs)]).toEqual(['closed', 'closed']);
  });

  test('a single file handed over is a batch of one', async () => {
    const a = await makeRecordsAgency(t.db);
    const id = await closedFile(a.staff, '01.TH');
    const batchId = await handOverRecordsFile({ db: t.db, actor: a.staff, id });
    expect((await getHandOverBatch({ db: t.db, actor: a.staff, id: batchId })).files.map((f) => f.id)).toEqual([id]);
  });
});

describe('the archive receives a batch', () => {
  test('the archivist sees it waiting, receives it once, and the batch shows who and when', async () => {
    const a = await makeRecordsAgency(t.db);
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [await closedFile(a.staff, '01.TH')] });
    expect((await listHandOverBatches({ db: t.db, actor: a.archivist, status: 'waiting' })).map((b) => b.id)).toEqual([batchId]);

    await receiveHandOverBatch({ db: t.db, actor: a.archivist, id: batchId });
    const { batch, can } = await getHandOverBatch({ db: t.db, actor: a.archivist, id: batchId });
    expect([batch.receivedByName, !!batch.receivedAt, can.receive]).toEqual([a.archivist.fullName, true, false]);
    expect(await listHandOverBatches({ db: t.db, actor: a.archivist, status: 'waiting' })).toEqual([]);
    await expect(receiveHandOverBatch({ db: t.db, actor: a.archivist, id: batchId })).rejects.toMatchObject({ code: 'records.batch_already_received' });
  });

  test('staff of the unit may see the batch but not receive it; another unit\'s head and another agency\'s archivist do not find it', async () => {
    const a = await makeRecordsAgency(t.db);
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [await closedFile(a.staff, '01.TH')] });
    const otherHead = (await makeUser(t.db, { agencyId: a.agencyId, roles: ['unit_head'], unitId: a.otherStaff.unitId })).actor;
    const stranger = (await makeUser(t.db, { roles: ['archivist'] })).actor;

    await expect(receiveHandOverBatch({ db: t.db, actor: a.colleague, id: batchId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(receiveHandOverBatch({ db: t.db, actor: a.clerk, id: batchId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(receiveHandOverBatch({ db: t.db, actor: otherHead, id: batchId })).rejects.toMatchObject({ code: 'records.batch_not_found' });
    await expect(receiveHandOverBatch({ db: t.db, actor: stranger, id: batchId })).rejects.toMatchObject({ code: 'records.batch_not_found' });
    await expect(getHandOverBatch({ db: t.db, actor: stranger, id: batchId })).rejects.toMatchObject({ code: 'records.batch_not_found' });
    expect(await listHandOverBatches({ db: t.db, actor: otherHead })).toEqual([]);
    expect((await getHandOverBatch({ db: t.db, actor: a.colleague, id: batchId })).can.receive).toBe(false);
  });
});

describe('the Biên bản giao nhận hồ sơ, tài liệu (ND 30 Phụ lục V mục V)', () => {
  test.skipIf(!needTool('pdftotext'))('prints the model\'s fixed text with the batch filled in: the two sides, the time, the files, documents, pages and files of record; the paper counts left to fill in', async () => {
    const a = await makeRecordsAgency(t.db);
    const unitName = (await t.db.selectFrom('unit').select('name').where('id', '=', a.unitId).executeTakeFirstOrThrow()).name;
    await t.db.updateTable('appUser').set({ position: 'Chuyên viên' }).where('id', '=', a.staff.id).execute();
    await t.db.updateTable('appUser').set({ position: 'Lưu trữ viên' }).where('id', '=', a.archivist.id).execute();
    const ids = [await closedFile(a.staff, '01.TH', { pages: 3, documentDate: '2026-02-03' }), await closedFile(a.staff, '02.TH', { pages: 4, documentDate: '2026-05-06' })];
    // the first file's document has its PDF, its scan and the scan's OCR'd copy (a reading aid, not a file of record), the second's its PDF: three files of record
    const [first, second] = await Promise.all(ids.map(async (id) => (await getRecordsFile({ db: t.db, actor: a.staff, id })).documents[0]?.ownerId ?? ''));
    await fileOf(a.staff, first ?? '', ['main', 'scan', 'ocr']);
    await fileOf(a.staff, second ?? '', ['main']);
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: ids });

    const before = pdfText((await batchMinutesPdf({ db: t.db, actor: a.staff, id: batchId })).bytes);
    // ô 3 and ô 4 on one line: the biên bản's Số under the agency, the place and day under the motto (the agency has no place name: its name)
    expect(before).toMatch(new RegExp(`Số: 01/BB-UBND\\s+${formatIssueDate(await agencyName(a.agencyId), new Date())}\\n`));
    const text = before.replace(/\s+/g, ' ');
    const model = [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc', 'BIÊN BẢN Giao nhận hồ sơ, tài liệu',
      'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;',
      'Chúng tôi gồm:', `BÊN GIAO: ${unitName} Ông (bà): ${a.staff.fullName} Chức vụ công tác: Chuyên viên`,
      'BÊN NHẬN: Lưu trữ cơ quan Ông (bà): ……',
      'Thống nhất lập biên bản giao nhận tài liệu với những nội dung như sau:',
      `1. Tên khối tài liệu giao nộp: Hồ sơ, tài liệu của ${unitName} năm 2026`,
      '2. Thời gian của hồ sơ, tài liệu: từ ngày 03/02/2026 đến ngày 06/05/2026',
      '3. Số lượng tài liệu: a) Đối với hồ sơ, tài liệu giấy - Tổng số hộp (cặp): …',
      '- Tổng số hồ sơ (đơn vị bảo quản): ……… Quy ra mét giá: ……… mét.',
      'b) Đối với hồ sơ, tài liệu điện tử - Tổng số hồ sơ: 2 (gồm 2 văn bản, 7 trang). - Tổng số tệp tin trong hồ sơ: 3.',
      '4. Tình trạng tài liệu giao nộp: tài liệu điện tử;', '5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo.',
      'Biên bản này được lập thành hai bản; bên giao giữ một bản, bên nhận giữ một bản./.',
    ];
    for (const line of model) expect(text).toContain(line);
    // the files were opened ad hoc, not from a Danh mục hồ sơ: the second ground is left to fill in, and no words the model does not have
    expect(text).toMatch(/Căn cứ …+, Chúng tôi gồm:/);
    expect(text).not.toMatch(/Hôm nay|mỗi bên giữ một bản|Về việc/);
    expect(before).toMatch(/ĐẠI DIỆN BÊN GIAO\s+ĐẠI DIỆN BÊN NHẬN\n\s*\(Ký và ghi rõ họ và tên\)\s+\(Ký và ghi rõ họ và tên\)/);
    expect(before).toMatch(/MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU[\s\S]*01\.TH[\s\S]*02\.TH/);

    await receiveHandOverBatch({ db: t.db, actor: a.archivist, id: batchId });
    const after = pdfText((await batchMinutesPdf({ db: t.db, actor: a.staff, id: batchId })).bytes).replace(/\s+/g, ' ');
    expect(after).toContain(`BÊN NHẬN: Lưu trữ cơ quan Ông (bà): ${a.archivist.fullName} Chức vụ công tác: Lưu trữ viên`);
  });

  test.skipIf(!needTool('pdftotext'))('cites the Danh mục hồ sơ of the years its files were opened from', async () => {
    const a = await makeRecordsAgency(t.db);
    const entry = await createPlanEntry({ db: t.db, actor: a.clerk, body: { year: vietnamYear(new Date()), heading: '', notation: '05.TH', title: 'Hồ sơ theo danh mục', retention: '10', unitId: a.unitId, ownerId: null, note: '' } });
    const fromPlan = await openRecordsFile({ db: t.db, actor: a.staff, body: { planEntryId: entry.id, description: '' } });
    await addDocumentToFile({ db: t.db, actor: a.staff, fileId: fromPlan, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, a.staff, { status: 'done' }) } });
    await closeRecordsFile({ db: t.db, actor: a.staff, id: fromPlan });
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [fromPlan, await closedFile(a.staff, '06.TH')] });
    const text = pdfText((await batchMinutesPdf({ db: t.db, actor: a.staff, id: batchId })).bytes).replace(/\s+/g, ' ');
    expect(text).toContain(`Căn cứ Danh mục hồ sơ năm ${vietnamYear(new Date())} của ${await agencyName(a.agencyId)}, Chúng tôi gồm:`);
  });

  test.skipIf(!needTool('pdftotext'))('is numbered «Số: NN/BB-…» per agency and year, from 01, and keeps its number when printed again; it is dated at the agency\'s place name', async () => {
    const a = await makeRecordsAgency(t.db);
    await t.db.updateTable('agency').set({ placeName: 'Thái Hòa', shortName: 'SNV' }).where('id', '=', a.agencyId).execute();
    const first = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [await closedFile(a.staff, '01.SO')] });
    const second = await handOverRecordsFile({ db: t.db, actor: a.staff, id: await closedFile(a.staff, '02.SO') });
    const other = await makeRecordsAgency(t.db);
    const theirs = await handOverRecordsFile({ db: t.db, actor: other.staff, id: await closedFile(other.staff, '01.SO') });
    const numberOf = async (actor: Actor, id: string) => (await getHandOverBatch({ db: t.db, actor, id })).batch.minutesNumber;
    expect([await numberOf(a.staff, first), await numberOf(a.staff, second), await numberOf(other.staff, theirs)]).toEqual(['01/BB-SNV', '02/BB-SNV', '01/BB-UBND']);

    await receiveHandOverBatch({ db: t.db, actor: a.archivist, id: first });
    const again = pdfText((await batchMinutesPdf({ db: t.db, actor: a.archivist, id: first })).bytes);
    expect(again).toMatch(new RegExp(`Số: 01/BB-SNV\\s+${formatIssueDate('Thái Hòa', new Date())}\\n`));
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
    expect(await t.db.selectFrom('recordsHandOverBatch').select(['minutesYear', 'minutesNumber']).where('id', 'in', [first, second]).orderBy('minutesNumber').execute())
      .toEqual([{ minutesYear: Number(year), minutesNumber: 1 }, { minutesYear: Number(year), minutesNumber: 2 }]);
  });

  test.skipIf(!needTool('pdftotext', 'pdffonts'))('carries only the glyphs it draws: every font a Liberation Serif subset with /ToUnicode, the biên bản and its mục lục drawn in one document under 150 KiB (whole fonts: 1.1 MB)', async () => {
    const a = await makeRecordsAgency(t.db);
    const batchId = await handOverRecordsFiles({ db: t.db, actor: a.staff, fileIds: [await closedFile(a.staff, '01.TH'), await closedFile(a.staff, '02.TH')], note: 'Bàn giao đủ hồ sơ quý IV' });
    const { bytes } = await batchMinutesPdf({ db: t.db, actor: a.staff, id: batchId });
    const fonts = pdfFonts(bytes);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '+')).sort()).toEqual(['+LiberationSerif', '+LiberationSerif-Bold', '+LiberationSerif-Italic']);
    for (const font of fonts) expect([font.isSubset, font.hasToUnicode]).toEqual([true, true]);
    expect(pdfText(bytes)).toContain('Ghi chú: Bàn giao đủ hồ sơ quý IV');
    expect(bytes.length).toBeLessThan(150 * 1024);
  });

  test('over HTTP: a batch is handed over, its mục lục (XLSX) and biên bản (PDF) downloaded, then received by the archivist', async () => {
    const app = createApp(await makeDeps(t.db));
    const a = await makeRecordsAgency(t.db);
    const ids = [await closedFile(a.staff, '01.TH'), await closedFile(a.staff, '02.TH')];
    const head = await signedInClient(app, t.db, { agencyId: a.agencyId, roles: ['unit_head'], unitId: a.unitId });
    const archivist = await signedInClient(app, t.db, { agencyId: a.agencyId, roles: ['archivist'] });
    const staff = await signedInClient(app, t.db, { agencyId: a.agencyId, roles: ['staff'], unitId: a.unitId });

    const made = await head.client.post('/api/records/hand-over-batches', { fileIds: ids });
    expect(made.status).toBe(201);
    const batchId = (made.body.data as { id: string }).id;
    const xlsx = await staff.client.get(`/api/records/hand-over-batches/${batchId}/catalog?format=xlsx`);
    expect([xlsx.status, xlsx.headers.get('content-type')]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    const pdf = await staff.client.get(`/api/records/hand-over-batches/${batchId}/minutes.pdf`);
    expect([pdf.status, String(pdf.body.raw).slice(0, 5)]).toEqual([200, '%PDF-']);
    expect((await staff.client.post(`/api/records/hand-over-batches/${batchId}/receive`)).status).toBe(403);
    expect((await archivist.client.post(`/api/records/hand-over-batches/${batchId}/receive`)).status).toBe(200);
    const waiting = await archivist.client.get('/api/records/hand-over-batches?status=waiting');
    expect(waiting.body.data).toEqual([]);
  });
});
