import { beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { storeUpload } from '../files/files.service.ts';
import { createDraft } from '../outgoing/outgoing.service.ts';
import { incomingAnsweredBy, receiveExternalDocument, receiveExternalDocuments, receiveInternalDocument, refuseIncoming, registerIncoming, type IncomingMetadata } from './incoming.service.ts';
import { delegateDirection, directIncoming, forwardIncoming } from './incoming-direction.service.ts';
import { closeIncoming, recordProgress } from './incoming-handling.service.ts';
import { getIncoming, incomingRegisterBook, listIncoming } from './incoming-query.service.ts';
import { INCOMING_JOBS, sendReminders } from './incoming.jobs.ts';
import { nextReminderAt, vietnamDay } from '../../platform/dates.ts';
import { makeTextPdf } from './incoming.testing.ts';
import type { TRegisterIncomingBody } from './incoming.schemas.ts';

const t = useTestApp();
let w: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const sender = await makeAgency(db, { name: 'Sở Nội vụ tỉnh Thử', shortName: 'SNV' });
  const me = await makeAgency(db, { name: 'Ủy ban nhân dân xã Thử', shortName: 'UBND' });
  const unit = await makeUnit(db, me.id, 'Phòng Kinh tế');
  return {
    sender, me, unit, db,
    senderStaff: await makeUser(db, { agencyId: sender.id, roles: ['staff'] }),
    clerk: await makeUser(db, { agencyId: me.id, roles: ['clerk'] }),
    leader: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    deputy: await makeUser(db, { agencyId: me.id, roles: ['leader'] }),
    head: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['unit_head'] }),
    staff: await makeUser(db, { agencyId: me.id, unitId: unit.id, roles: ['staff'] }),
    other: await makeUser(db, { agencyId: me.id, roles: ['staff'] }),
  };
}

beforeAll(async () => {
  w = await makeWorld();
});

const metadata = (o: Partial<IncomingMetadata> = {}): IncomingMetadata => ({
  number: 15, notation: 'SNV-CCVC', documentDate: '2026-11-20', typeCode: 'cong_van', subject: 'Về việc tuyển dụng công chức năm 2026', urgency: 'thuong',
  secrecy: 'thuong', signerName: 'Ngô Văn Tài', signerPosition: 'Giám đốc', pageCount: 1, ...o,
});
const registerBody = (o: Partial<TRegisterIncomingBody> = {}): TRegisterIncomingBody => ({
  issuerName: 'Sở Nội vụ tỉnh Thử', issuerCode: '', number: '15', notation: 'SNV-CCVC', documentDate: '2026-11-20', typeCode: 'cong_van',
  subject: 'Về việc tuyển dụng công chức năm 2026', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '',
  confirmDuplicate: true, // the tests send one letter many times; each copy is registered
  ...o,
});

async function sentDocument() {
  const draft = await createDraft({ db: w.db, actor: w.senderStaff.actor, body: {
    typeCode: 'cong_van', subject: 'Về việc tuyển dụng công chức năm 2026', urgency: 'thuong', secrecy: 'thuong', signerId: null, signerCompetence: null,
    signerPosition: '', recipients: [{ kind: 'agency', agencyId: w.me.id }], recipientsText: '', archiveNote: '', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
  } });
  const file = await storeUpload(t.deps, { source: await makeTextPdf(['Công văn số 15/SNV-CCVC']), fileName: 'cong-van.pdf' });
  const received = await w.db.transaction().execute((tx) => receiveInternalDocument(tx, {
    recipientAgencyId: w.me.id, sourceOutgoingId: draft.id, senderAgencyId: w.sender.id, metadata: metadata(), files: [{ ...file, kind: 'main', pageCount: 1 }],
  }));
  return { draftId: draft.id, incomingId: received.id };
}

const senderEvents = async (outgoingId: string) =>
  (await w.db.selectFrom('outgoingRecipientEvent').innerJoin('outgoingRecipient', 'outgoingRecipient.id', 'outgoingRecipientEvent.recipientId')
    .select(['outgoingRecipientEvent.code', 'outgoingRecipientEvent.description']).where('outgoingRecipient.outgoingId', '=', outgoingId)
    .orderBy('outgoingRecipientEvent.id').execute());

describe('documents from an agency on the same install', () => {
  test('the sender sees 01 → 03 → 04 → 05 → 06 as the recipient registers, directs, handles and closes', async () => {
    const { draftId, incomingId } = await sentDocument();
    const ctx = (u: typeof w.clerk) => ({ db: w.db, actor: u.actor });
    const inbox = await listIncoming({ ...ctx(w.clerk), query: { box: 'intake', limit: 50, offset: 0 } });
    expect(inbox.find((d) => d.id === incomingId)?.issuerName).toBe('Sở Nội vụ tỉnh Thử');
    const reg = await registerIncoming({ ...ctx(w.clerk), id: incomingId, body: registerBody() });
    expect(reg.arrivalNumber).toBeGreaterThan(0);
    await forwardIncoming({ ...ctx(w.clerk), id: incomingId, leaderId: w.leader.user.id });
    await directIncoming({ ...ctx(w.leader), id: incomingId, body: { direction: 'Giao Phòng Kinh tế', lead: { userId: w.staff.user.id }, support: [], info: [], deadline: vietnamDay() } });
    const part = (await getIncoming({ ...ctx(w.staff), id: incomingId })).assignments.find((a) => a.isMine);
    await recordProgress({ ...ctx(w.staff), id: incomingId, body: { assignmentId: part?.id ?? '', text: 'Đang tổng hợp', isDone: false } });
    await recordProgress({ ...ctx(w.staff), id: incomingId, body: { assignmentId: part?.id ?? '', isDone: false, text: '', response: { outgoingId: draftId, notation: '88/UBND-KT' } } });
    expect((await incomingAnsweredBy(w.db, draftId)).map((d) => d.notation)).toEqual(['SNV-CCVC']);
    await closeIncoming({ ...ctx(w.staff), id: incomingId, note: 'Xong' });
    expect((await senderEvents(draftId)).map((e) => e.code)).toEqual(['01', '03', '04', '05', '06']);
    const audit = await w.db.selectFrom('auditLog').select('type').where('entityId', '=', incomingId).execute();
    expect(audit.filter((a) => a.type === 'INCOMING_STATUS_SENT')).toHaveLength(4);
  });

  test('a second copy is flagged as a likely duplicate; a wrongly addressed one is refused with its reason sent back (02)', async () => {
    const first = await sentDocument();
    await registerIncoming({ db: w.db, actor: w.clerk.actor, id: first.incomingId, body: registerBody() });
    const second = await sentDocument();
    const doc = (await getIncoming({ db: w.db, actor: w.clerk.actor, id: second.incomingId })).doc;
    expect(doc.duplicateOfId).toBeTruthy();
    await refuseIncoming({ db: w.db, actor: w.clerk.actor, id: second.incomingId, reason: 'Văn bản gửi trùng' });
    expect(await senderEvents(second.draftId)).toEqual([{ code: '01', description: '' }, { code: '02', description: 'Văn bản gửi trùng' }]);
    await expect(refuseIncoming({ db: w.db, actor: w.staff.actor, id: first.incomingId, reason: 'không phải việc của tôi' })).rejects.toMatchObject({ code: 'incoming.not_found' });
  });

  describe('signature check', () => {
    test('every received PDF is checked in a background job and the report is kept with the document', async () => {
      const { incomingId } = await sentDocument();
      await startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false }).runOnce();
      const doc = (await getIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId })).doc;
      expect(doc.verifyStatus).toBe('done');
      expect(doc.verifyReport).toMatchObject({ isAllValid: false, files: [{ kind: 'main', report: { tool: 'verifyPdf', isValid: false, summary: 'Tài liệu không có chữ ký số.' } }] });
    });
  });
});

describe('documents through the exchange', () => {
  test('statuses are written to the exchange outbox quoting the package DocumentId', async () => {
    const { id } = await w.db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: w.me.id, documentId: 'a1b2c3-doc', sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' }, metadata: metadata({ notation: 'BTN-VP' }), files: [],
    }));
    await registerIncoming({ db: w.db, actor: w.clerk.actor, id, body: registerBody({ issuerName: 'Bộ Thử nghiệm', issuerCode: '000.00.99.G01', notation: 'BTN-VP' }) });
    const outbox = await w.db.selectFrom('exchangeOutbox').select(['recipientAgencyCode', 'packageKind', 'payload', 'outgoingId']).where('incomingId', '=', id).execute();
    expect(outbox.map((o) => (o.payload as { statusCode: string }).statusCode)).toEqual(['01', '03']);
    expect(outbox[1]).toMatchObject({ recipientAgencyCode: '000.00.99.G01', packageKind: 'status', outgoingId: null, payload: { responseFor: { documentId: 'a1b2c3-doc', code: '15/BTN-VP', organId: '000.00.99.G01' } } });
  });

  test('documents taken in together: each gets its files, its 01, its verify job and the clerks\' notices (mailed when urgent); a copy is flagged against the one before it, never the first against a later one', async () => {
    const sender = { code: '000.00.98.G01', name: 'Bộ Lô' };
    const file = async (fileName: string, kind: 'main' | 'appendix') => ({ ...await storeUpload(t.deps, { source: await makeTextPdf([fileName]), fileName }), kind, pageCount: 1 });
    type File = Awaited<ReturnType<typeof file>>;
    const intake = (documentId: string, o: Partial<IncomingMetadata> = {}, files: File[] = []) => ({ recipientAgencyId: w.me.id, documentId, sender, metadata: metadata({ notation: 'BL-VP', ...o }), files });
    const [a1, a2, a3, b1] = [await file('a1', 'main'), await file('a2', 'appendix'), await file('a3', 'appendix'), await file('b1', 'main')];
    const received = await w.db.transaction().execute((tx) => receiveExternalDocuments(tx, [
      intake('lo-1', { urgency: 'khan' }, [a1, a2, a3] as File[]), intake('lo-2', {}, [b1] as File[]),
      intake('lo-3', { secrecy: 'tuyet_mat' }), intake('lo-4', { notation: 'BL-KHAC' }),
    ]));
    const ids = received.map((r) => r.id);
    const files = await w.db.selectFrom('documentFile').select(['ownerId', 'fileName', 'kind', 'version']).where('ownerId', 'in', ids).orderBy('fileName').execute();
    expect(files.map((f) => [ids.indexOf(f.ownerId), f.fileName, f.kind, f.version])).toEqual([
      [0, 'a1', 'main', 1], [0, 'a2', 'appendix', 1], [0, 'a3', 'appendix', 2], [1, 'b1', 'main', 1],
    ]);
    const docs = new Map((await w.db.selectFrom('incomingDocument').select(['id', 'status', 'duplicateOfId']).where('id', 'in', ids).execute()).map((d) => [d.id, d]));
    expect(ids.map((id) => docs.get(id)?.status)).toEqual(['received', 'received', 'refused', 'received']);
    expect(ids.map((id) => docs.get(id)?.duplicateOfId ?? null)).toEqual([null, ids[0], null, null]);
    const outbox = await w.db.selectFrom('exchangeOutbox').select(['incomingId', 'payload']).where('incomingId', 'in', ids).execute();
    const codesOf = (id: string | undefined) => outbox.filter((o) => o.incomingId === id).map((o) => (o.payload as { statusCode: string }).statusCode).sort();
    expect(ids.map(codesOf)).toEqual([['01'], ['01'], ['01', '02'], ['01']]);
    const jobs = await w.db.selectFrom('job').select(['type', 'payload']).where('type', 'in', ['incoming.verify', 'mail.send']).execute();
    expect(ids.map((id) => jobs.filter((j) => j.type === 'incoming.verify' && (j.payload as { incomingId: string }).incomingId === id).length)).toEqual([1, 1, 0, 1]);
    const notices = await w.db.selectFrom('incomingNotice').select(['incomingId', 'userId', 'message']).where('incomingId', 'in', ids).execute();
    expect(ids.map((id) => notices.filter((n) => n.incomingId === id).map((n) => n.userId))).toEqual([[w.clerk.user.id], [w.clerk.user.id], [], [w.clerk.user.id]]);
    expect(notices.find((n) => n.incomingId === ids[0])?.message).toMatch(/^\[KHẨN\] Văn bản điện tử mới đến: 15\/BL-VP/);
    expect(jobs.filter((j) => j.type === 'mail.send' && (j.payload as { text: string }).text.includes('15/BL-VP — Bộ Lô'))).toHaveLength(1);
  });

  test('a duplicate needs the same số as well as the same ký hiệu: the next số of the same series that day is a new document; "007" and " 7" are số 7', async () => {
    const sender = { code: '000.00.97.G01', name: 'Bộ Số' };
    const intake = (documentId: string, number: string | number, notation = 'QĐ-BS') => ({ recipientAgencyId: w.me.id, documentId, sender, metadata: metadata({ number, notation }), files: [] });
    const received = await w.db.transaction().execute((tx) => receiveExternalDocuments(tx, [intake('so-7', 7), intake('so-8', 8), intake('so-007', '007')]));
    const later = await w.db.transaction().execute((tx) => receiveExternalDocument(tx, intake('so-7-again', ' 7', 'QĐ - BS')));
    const ids = [...received.map((r) => r.id), later.id];
    const docs = new Map((await w.db.selectFrom('incomingDocument').select(['id', 'duplicateOfId']).where('id', 'in', ids).execute()).map((d) => [d.id, d.duplicateOfId]));
    expect(ids.map((id) => docs.get(id) ?? null)).toEqual([null, null, ids[0], ids[0]]);
  });

  test('a số below 10 sent as the integer is registered as its paper prints it (ND 30: «02»); other số stay as sent, and «2» is still the same số as «02» for the duplicate check', async () => {
    const sender = { code: '000.00.95.G01', name: 'Bộ Số Nhỏ' };
    const intake = (documentId: string, number: string | number) => ({ recipientAgencyId: w.me.id, documentId, sender, metadata: metadata({ number, notation: 'QĐ-SN' }), files: [] });
    const received = await w.db.transaction().execute((tx) => receiveExternalDocuments(tx, [intake('nho-2', 2), intake('nho-15', '15'), intake('nho-007', '007'), intake('nho-02', '02')]));
    const ids = received.map((r) => r.id);
    const rows = new Map((await w.db.selectFrom('incomingDocument').select(['id', 'number', 'duplicateOfId']).where('id', 'in', ids).execute()).map((d) => [d.id, d]));
    expect(ids.map((id) => rows.get(id)?.number)).toEqual(['02', '15', '007', '02']);
    expect(rows.get(ids[3] ?? '')?.duplicateOfId).toBe(ids[0]);
  });

  test('số and ký hiệu are compared each as a whole: số 12 with ký hiệu 3/BS is not số 123 with ký hiệu /BS, though both read "123/bs" run together', async () => {
    const sender = { code: '000.00.96.G01', name: 'Bộ Ghép' };
    const intake = (documentId: string, number: string, notation: string) => ({ recipientAgencyId: w.me.id, documentId, sender, metadata: metadata({ number, notation }), files: [] });
    const received = await w.db.transaction().execute((tx) => receiveExternalDocuments(tx, [intake('ghep-12', '12', '3/BS'), intake('ghep-123', '123', '/BS'), intake('ghep-12-again', '012', '3/bs')]));
    const ids = received.map((r) => r.id);
    const docs = new Map((await w.db.selectFrom('incomingDocument').select(['id', 'duplicateOfId']).where('id', 'in', ids).execute()).map((d) => [d.id, d.duplicateOfId]));
    expect(ids.map((id) => docs.get(id) ?? null)).toEqual([null, null, ids[0]]);
  });

  test('a Tối mật document is refused at once (01 then 02)', async () => {
    const { id } = await w.db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: w.me.id, documentId: 'secret-1', sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' }, metadata: metadata({ secrecy: 'toi_mat' }), files: [],
    }));
    const outbox = await w.db.selectFrom('exchangeOutbox').select('payload').where('incomingId', '=', id).execute();
    expect(outbox.map((o) => (o.payload as { statusCode: string }).statusCode)).toEqual(['01', '02']);
  });
});

describe('Mật documents, delegation and reminders', () => {
  test('a Mật document is seen only by its explicit participants, and has its own số đến series', async () => {
    const { incomingId } = await sentDocument();
    const reg = await registerIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId, body: registerBody({ secrecy: 'mat', notation: 'M-1' }) });
    expect(reg.isSecret).toBe(true);
    expect(reg.arrivalNumber).toBe(1);
    const otherClerk = await makeUser(w.db, { agencyId: w.me.id, roles: ['clerk'] });
    await expect(getIncoming({ db: w.db, actor: otherClerk.actor, id: incomingId })).rejects.toMatchObject({ code: 'incoming.not_found' });
    await expect(getIncoming({ db: w.db, actor: w.deputy.actor, id: incomingId })).rejects.toMatchObject({ code: 'incoming.not_found' });
    await forwardIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId, leaderId: w.leader.user.id });
    expect((await getIncoming({ db: w.db, actor: w.leader.actor, id: incomingId })).doc.isSecret).toBe(true);
    const all = await listIncoming({ db: w.db, actor: w.deputy.actor, query: { box: 'all', limit: 200, offset: 0 } });
    expect(all.some((d) => d.id === incomingId)).toBe(false);
  });

  test('a document waiting for direction names the leader it waits for, in the lists and on its page, until it is directed', async () => {
    await w.db.updateTable('appUser').set({ fullName: 'Nguyễn Văn An', position: 'Chủ tịch' }).where('id', '=', w.leader.user.id).execute();
    await w.db.updateTable('appUser').set({ fullName: 'Lê Thị Bình', position: 'Phó Chủ tịch' }).where('id', '=', w.deputy.user.id).execute();
    const { incomingId } = await sentDocument();
    const ctx = (u: typeof w.clerk) => ({ db: w.db, actor: u.actor });
    const waitingIn = async (u: typeof w.clerk, box: 'all' | 'direct') => (await listIncoming({ ...ctx(u), query: { box, limit: 200, offset: 0 } })).find((d) => d.id === incomingId)?.waitingFor;
    await registerIncoming({ ...ctx(w.clerk), id: incomingId, body: registerBody({ notation: 'W-1' }) });
    expect([await waitingIn(w.clerk, 'all'), (await getIncoming({ ...ctx(w.clerk), id: incomingId })).doc.waitingFor]).toEqual([null, null]);

    await forwardIncoming({ ...ctx(w.clerk), id: incomingId, leaderId: w.leader.user.id });
    const chairman = { fullName: 'Nguyễn Văn An', position: 'Chủ tịch' };
    expect(await waitingIn(w.clerk, 'all')).toEqual(chairman);
    expect(await waitingIn(w.leader, 'direct')).toEqual(chairman);
    expect((await getIncoming({ ...ctx(w.clerk), id: incomingId })).doc.waitingFor).toEqual(chairman);

    // forwarded again to the deputy: the page and the list name the deputy now
    await forwardIncoming({ ...ctx(w.clerk), id: incomingId, leaderId: w.deputy.user.id });
    expect(await waitingIn(w.clerk, 'all')).toEqual({ fullName: 'Lê Thị Bình', position: 'Phó Chủ tịch' });
    expect((await getIncoming({ ...ctx(w.deputy), id: incomingId })).doc.waitingFor).toEqual({ fullName: 'Lê Thị Bình', position: 'Phó Chủ tịch' });

    await directIncoming({ ...ctx(w.deputy), id: incomingId, body: { direction: 'Giao Phòng Kinh tế', lead: { unitId: w.unit.id }, support: [], info: [], deadline: null } });
    expect([await waitingIn(w.clerk, 'all'), (await getIncoming({ ...ctx(w.clerk), id: incomingId })).doc.waitingFor]).toEqual([null, null]);
  });

  test('the register books name the leader — forwarded to, then who directed — by name and position, then whom the direction gave it to; on the page, in the XLSX and the PDF', async () => {
    await w.db.updateTable('appUser').set({ fullName: 'Nguyễn Văn An', position: 'Chủ tịch' }).where('id', '=', w.leader.user.id).execute();
    await w.db.updateTable('appUser').set({ fullName: 'Lê Thị Bình', position: 'Phó Chủ tịch' }).where('id', '=', w.deputy.user.id).execute();
    await w.db.updateTable('appUser').set({ fullName: 'Đỗ Văn Hải', position: '' }).where('id', '=', w.staff.user.id).execute();
    await w.db.updateTable('appUser').set({ fullName: 'Phan Thị Lan' }).where('id', '=', w.other.user.id).execute();
    const { incomingId } = await sentDocument();
    const ctx = { db: w.db, actor: w.clerk.actor };
    await registerIncoming({ ...ctx, id: incomingId, body: registerBody({ notation: 'SO-1' }) });
    const book = (kind: 'register' | 'follow_up') => incomingRegisterBook({ ...ctx, isSecret: false, kind });
    const mine = (rows: string[][]) => rows.find((r) => r.some((cell) => cell.includes('15/SO-1')));
    const receiver = async () => [mine((await book('register')).sheet.rows)?.[6], mine((await book('follow_up')).sheet.rows)?.[2]];
    expect(await receiver()).toEqual(['', '']);

    await forwardIncoming({ ...ctx, id: incomingId, leaderId: w.leader.user.id });
    expect(await receiver()).toEqual(['Nguyễn Văn An (Chủ tịch)', 'Nguyễn Văn An (Chủ tịch)']);
    await forwardIncoming({ ...ctx, id: incomingId, leaderId: w.deputy.user.id });
    expect(await receiver()).toEqual(['Lê Thị Bình (Phó Chủ tịch)', 'Lê Thị Bình (Phó Chủ tịch)']);

    await directIncoming({ db: w.db, actor: w.deputy.actor, id: incomingId, body: { direction: 'Giao Phòng Kinh tế', lead: { unitId: w.unit.id }, support: [{ userId: w.staff.user.id }], info: [{ userId: w.other.user.id }], deadline: null } });
    const given = 'Lê Thị Bình (Phó Chủ tịch) giao: Phòng Kinh tế (chủ trì); Đỗ Văn Hải (phối hợp); Phan Thị Lan (để biết)';
    expect(await receiver()).toEqual([given, given]);
    const register = await book('register');
    expect(register.sheet.rows.flat()).not.toContain('Lãnh đạo cơ quan');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await register.toXlsx()) as never);
    const cells: unknown[] = [];
    wb.worksheets[0]?.eachRow((row) => cells.push(...(row.values as unknown[])));
    expect(cells).toContain(given);
    if (needTool('pdftotext')) {
      const dir = await mkdtemp(path.join(tmpdir(), 'book-'));
      await writeFile(path.join(dir, 'book.pdf'), await register.toPdf());
      const text = execFileSync('pdftotext', [path.join(dir, 'book.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      // the cell wraps beside «Ngày chuyển», whose date pdftotext reads between its lines
      expect(text.replace(/ \d\d\/\d\d\/\d{4}/g, '')).toContain(given);
    }
  });

  test('a deputy directs documents forwarded to the leader only while a delegation covers today', async () => {
    const { incomingId } = await sentDocument();
    await registerIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId, body: registerBody({ notation: 'D-1' }) });
    await forwardIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId, leaderId: w.leader.user.id });
    const body = { direction: 'Đồng ý', lead: { unitId: w.unit.id }, support: [], info: [], deadline: null };
    await expect(directIncoming({ db: w.db, actor: w.deputy.actor, id: incomingId, body })).rejects.toMatchObject({ code: 'forbidden' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    await delegateDirection({ db: w.db, actor: w.leader.actor, deputyId: w.deputy.user.id, startsOn: today, endsOn: today });
    const inbox = await listIncoming({ db: w.db, actor: w.deputy.actor, query: { box: 'direct', limit: 50, offset: 0 } });
    expect(inbox.map((d) => d.id)).toContain(incomingId);
    expect((await directIncoming({ db: w.db, actor: w.deputy.actor, id: incomingId, body })).status).toBe('assigned');
    await expect(delegateDirection({ db: w.db, actor: w.leader.actor, deputyId: w.staff.user.id, startsOn: today, endsOn: today })).rejects.toMatchObject({ code: 'incoming.delegation_invalid' });
  });

  test('the daily reminder notifies holders and their unit heads of overdue parts, in-app and by mail, and runs next at 07:00', async () => {
    const { incomingId } = await sentDocument();
    await registerIncoming({ db: w.db, actor: w.clerk.actor, id: incomingId, body: registerBody({ notation: 'R-1', dueDate: '2026-01-05' }) }); // a past deadline: the letter's own, kept by the direction
    await directIncoming({ db: w.db, actor: w.leader.actor, id: incomingId, body: { direction: 'Xử lý gấp', lead: { userId: w.staff.user.id }, support: [], info: [{ userId: w.other.user.id }], deadline: '2026-01-05' } });
    const mailsBefore = await w.db.selectFrom('job').select('id').where('type', '=', 'mail.send').execute();
    const sent = await w.db.transaction().execute((tx) => sendReminders(tx, '2026-11-23'));
    expect(sent).toBeGreaterThanOrEqual(2);
    const notices = await w.db.selectFrom('incomingNotice').select(['userId', 'kind']).where('incomingId', '=', incomingId).where('kind', '=', 'overdue').execute();
    expect(notices.map((n) => n.userId).sort()).toEqual([w.staff.user.id, w.head.user.id].sort());
    const mailsAfter = await w.db.selectFrom('job').select('id').where('type', '=', 'mail.send').execute();
    expect(mailsAfter.length - mailsBefore.length).toBeGreaterThanOrEqual(2);
    expect(nextReminderAt(new Date('2026-11-23T01:00:00Z')).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(nextReminderAt(new Date('2026-11-22T23:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
