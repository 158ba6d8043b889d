import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import { copyPlan, createPlanEntry, deletePlanEntry, listPlan } from './records-plan.service.ts';
import {
  addDocumentToFile, closeRecordsFile, filesForDocument, findDocumentsToFile, getRecordsFile, handOverRecordsFile, listRecordsFiles, openRecordsFile,
  removeDocumentFromFile, reopenRecordsFile,
} from './records.service.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from './records.testing.ts';
import { recordsRepo } from './records.repository.ts';
import { reopenIncoming } from '../incoming/incoming-handling.service.ts';

const t = useTestDb();

const entry = (notation: string, retention: '10' | 'permanent' = '10') =>
  ({ year: 2026, heading: 'I. TỔNG HỢP', notation, title: `Hồ sơ ${notation}`, retention, unitId: null, ownerId: null, note: '' });
const auditTypes = async (entityId: string) =>
  (await t.db.selectFrom('auditLog').select('type').where('entityId', '=', entityId).orderBy('id').execute()).map((r) => r.type);

describe('the file plan (danh mục hồ sơ)', () => {
  test('the clerk adds entries; the plan counts those kept for ever and for a term; a số/ký hiệu is used once a year', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.clerk };
    const first = await createPlanEntry({ ...c, body: entry('01.TH', 'permanent') });
    await createPlanEntry({ ...c, body: entry('02.TH') });
    const plan = await listPlan({ ...c, year: 2026 });
    expect(plan.entries.map((e) => [e.notation, e.retentionText])).toEqual([['01.TH', 'Vĩnh viễn'], ['02.TH', '10 năm']]);
    expect(plan.totals).toEqual({ all: 2, permanent: 1, term: 1 });
    await expect(createPlanEntry({ ...c, body: entry('01.TH') })).rejects.toMatchObject({ code: 'records.plan_entry_duplicate' });
    expect(await auditTypes(first.id)).toEqual(['RECORDS_PLAN_ENTRY_CREATED']);
  });

  test("next year's plan starts as a copy of this year's, titles moved to the new year, entries already there kept", async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.clerk };
    await createPlanEntry({ ...c, body: { ...entry('01.TH'), title: 'Hồ sơ báo cáo năm 2026' } });
    await createPlanEntry({ ...c, body: entry('02.TH', 'permanent') });
    await createPlanEntry({ ...c, body: { ...entry('02.TH'), year: 2027, title: 'Đã có sẵn' } });
    expect(await copyPlan({ ...c, fromYear: 2026, toYear: 2027 })).toBe(1);
    expect((await listPlan({ ...c, year: 2027 })).entries.map((e) => [e.notation, e.title])).toEqual([['01.TH', 'Hồ sơ báo cáo năm 2027'], ['02.TH', 'Đã có sẵn']]);
    await expect(copyPlan({ db: t.db, actor: a.staff, fromYear: 2026, toYear: 2027 })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('staff and leaders may not change the plan, nor may the clerk of another agency', async () => {
    const a = await makeRecordsAgency(t.db);
    for (const actor of [a.staff, a.leader, a.archivist]) {
      await expect(createPlanEntry({ db: t.db, actor, body: entry('03.TH') })).rejects.toMatchObject({ code: 'forbidden' });
    }
    const made = await createPlanEntry({ db: t.db, actor: a.clerk, body: entry('04.TH') });
    const stranger = (await makeUser(t.db, { roles: ['clerk'] })).actor;
    await expect(deletePlanEntry({ db: t.db, actor: stranger, id: made.id })).rejects.toMatchObject({ code: 'records.plan_entry_not_found' });
  });
});

describe('a work file from opening to hand-over', () => {
  test('staff open a file from the plan, file documents, close it and hand it over themselves (not a colleague); then it is read-only', async () => {
    const a = await makeRecordsAgency(t.db);
    const planned = await createPlanEntry({ db: t.db, actor: a.clerk, body: { ...entry('05.TH'), unitId: a.unitId } });
    const staff = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...staff, body: { planEntryId: planned.id, description: '' } });
    await expect(openRecordsFile({ ...staff, body: { planEntryId: planned.id, description: '' } })).rejects.toMatchObject({ code: 'records.file_duplicate' });

    const later = await makeIncomingFor(t.db, a.staff, { documentDate: '2026-05-20', pageCount: 3 });
    const earlier = await makeIncomingFor(t.db, a.staff, { documentDate: '2026-02-01', status: 'done', pageCount: 1 });
    const reply = await makeOutgoingBy(t.db, a.staff, { issuedAt: '2026-04-10T03:00:00Z' });
    for (const [ownerType, ownerId] of [['incoming', later], ['incoming', earlier], ['outgoing', reply]] as const) {
      await addDocumentToFile({ ...staff, fileId, ref: { ownerType, ownerId } });
    }
    await expect(addDocumentToFile({ ...staff, fileId, ref: { ownerType: 'outgoing', ownerId: reply } })).rejects.toMatchObject({ code: 'records.document_already_filed' });

    const detail = await getRecordsFile({ ...staff, id: fileId });
    expect(detail.documents.map((d) => [d.ordinal, d.ownerId, d.documentDate])).toEqual([[1, earlier, '2026-02-01'], [2, reply, '2026-04-10'], [3, later, '2026-05-20']]);
    expect(detail.documents[1]).toMatchObject({ number: '07/UBND-TH', typeName: 'Công văn', subject: 'Báo cáo kết quả chuyển đổi số' });
    expect(detail.file).toMatchObject({ notation: '05.TH', unitId: a.unitId, status: 'open', documentCount: 3 });
    expect(detail.file.fileCode).toMatch(/\.2026\.05\.TH$/);

    await expect(closeRecordsFile({ ...staff, id: fileId })).rejects.toMatchObject({ code: 'records.documents_unfinished', details: { count: 1 } });
    await t.db.updateTable('incomingDocument').set({ status: 'done' }).where('id', '=', later).execute();
    await closeRecordsFile({ ...staff, id: fileId });
    const closed = (await getRecordsFile({ ...staff, id: fileId })).file;
    expect(closed).toMatchObject({ status: 'closed', startDate: '2026-02-01', endDate: '2026-05-20', docTotal: 3, pageTotal: 4 });
    await expect(addDocumentToFile({ ...staff, fileId, ref: { ownerType: 'incoming', ownerId: later } })).rejects.toMatchObject({ code: 'records.bad_status' });

    await expect(handOverRecordsFile({ db: t.db, actor: a.colleague, id: fileId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(handOverRecordsFile({ db: t.db, actor: a.leader, id: fileId })).rejects.toMatchObject({ code: 'forbidden' });
    await handOverRecordsFile({ ...staff, id: fileId });
    expect((await getRecordsFile({ ...staff, id: fileId })).file).toMatchObject({ status: 'handed_over', handedOverByName: expect.any(String) });
    const ref = { ownerType: 'incoming' as const, ownerId: later };
    await expect(removeDocumentFromFile({ db: t.db, actor: a.clerk, fileId, ref })).rejects.toMatchObject({ code: 'records.read_only' });
    await expect(reopenRecordsFile({ db: t.db, actor: a.clerk, id: fileId })).rejects.toMatchObject({ code: 'records.read_only' });
    await expect(closeRecordsFile({ ...staff, id: fileId })).rejects.toMatchObject({ code: 'records.read_only' });
    expect((await getRecordsFile({ db: t.db, actor: a.archivist, id: fileId })).can).toEqual({
      'records.file.edit': false, 'records.file.close': false, 'records.file.reopen': false, 'records.file.hand_over': false, 'records.file.keep': false, 'records.file.keep.extend': false, 'records.file.keep.decide': false, 'records.file.construction': false,
      'access.view_history': false,
    });
    expect(await auditTypes(fileId)).toEqual(['RECORDS_FILE_OPENED', 'RECORDS_DOCUMENT_ADDED', 'RECORDS_DOCUMENT_ADDED', 'RECORDS_DOCUMENT_ADDED', 'RECORDS_FILE_CLOSED', 'RECORDS_FILE_HANDED_OVER']);
  });

  test('an empty file cannot be closed; a closed one is reopened by its owner to add what was forgotten', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...c, body: { notation: '09.KT', title: 'Hồ sơ ngoài danh mục', retention: '5', description: '' } });
    await expect(closeRecordsFile({ ...c, id: fileId })).rejects.toMatchObject({ code: 'records.file_empty' });
    const doc = await makeIncomingFor(t.db, a.staff, { status: 'done' });
    await addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
    await closeRecordsFile({ ...c, id: fileId });
    // While the file is closed, its document's handling stays settled: reopening it asks to reopen the file first.
    await expect(reopenIncoming({ ...c, id: doc, reason: 'Bổ sung' }))
      .rejects.toMatchObject({ code: 'incoming.in_closed_file', message: expect.stringContaining('Hãy mở lại hồ sơ') });
    await reopenRecordsFile({ ...c, id: fileId });
    await removeDocumentFromFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
    expect((await getRecordsFile({ ...c, id: fileId })).documents).toEqual([]);
  });

  test('a document of a handed-over file is never reopened: its handling is part of the archived file', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...c, body: { notation: '10.KT', title: 'Hồ sơ đã nộp lưu', retention: '10', description: '' } });
    const doc = await makeIncomingFor(t.db, a.staff, { status: 'done' });
    await addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
    await closeRecordsFile({ ...c, id: fileId });
    await handOverRecordsFile({ db: t.db, actor: a.clerk, id: fileId });
    await expect(reopenIncoming({ ...c, id: doc, reason: 'Bổ sung' }))
      .rejects.toMatchObject({ code: 'incoming.in_closed_file', message: expect.stringContaining('đã nộp lưu') });
    expect((await t.db.selectFrom('incomingDocument').select('status').where('id', '=', doc).executeTakeFirstOrThrow()).status).toBe('done');
  });

  test('only documents the actor may see, of their agency, registered or issued, are filed', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...c, body: { notation: '10.TH', title: 'Hồ sơ', retention: '10', description: '' } });
    const received = await makeIncomingFor(t.db, a.staff, { status: 'received' });
    const draft = await makeOutgoingBy(t.db, a.staff, { status: 'draft' });
    const notMine = await makeIncomingFor(t.db, a.otherStaff, { secrecy: 'mat' });
    const otherAgency = await makeIncomingFor(t.db, (await makeUser(t.db)).actor);
    await expect(addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: received } })).rejects.toMatchObject({ code: 'records.document_not_fileable' });
    await expect(addDocumentToFile({ ...c, fileId, ref: { ownerType: 'outgoing', ownerId: draft } })).rejects.toMatchObject({ code: 'records.document_not_fileable' });
    await expect(addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: notMine } })).rejects.toMatchObject({ code: 'records.document_not_found' });
    await expect(addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: otherAgency } })).rejects.toMatchObject({ code: 'records.document_not_found' });
  });
});

describe('finding documents to put in a file, from the file', () => {
  test('staff find their documents by a word of the trích yếu, part of the số/ký hiệu or the sender; filed, unfinished drafts and others\' are not offered', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const fileId = await openRecordsFile({ ...c, body: { notation: '20.TH', title: 'Hồ sơ tìm văn bản', retention: '10', description: '' } });
    const budget = await makeIncomingFor(t.db, a.staff, { subject: 'Báo cáo tình hình thực hiện dự toán ngân sách', number: '13250', notation: 'BTC-NSNN', issuerName: 'Bộ Tài chính' });
    const digital = await makeIncomingFor(t.db, a.staff, { subject: 'Góp ý Kế hoạch chuyển đổi số năm 2027', number: '1187', notation: 'SKHCN-CĐS', issuerName: 'Sở Khoa học và Công nghệ' });
    const reply = await makeOutgoingBy(t.db, a.staff, { subject: 'Báo cáo kết quả chuyển đổi số' });
    await makeIncomingFor(t.db, a.staff, { status: 'received', subject: 'Chưa vào sổ: chuyển đổi số' });
    await makeOutgoingBy(t.db, a.staff, { status: 'draft', subject: 'Dự thảo chuyển đổi số' });
    await makeIncomingFor(t.db, a.otherStaff, { secrecy: 'mat', subject: 'Mật: chuyển đổi số' });
    await makeIncomingFor(t.db, (await makeUser(t.db)).actor, { subject: 'Cơ quan khác: chuyển đổi số' });
    const found = async (q?: string) => (await findDocumentsToFile({ ...c, fileId, q })).map((d) => d.ownerId).sort();

    expect(await found('CHUYỂN ĐỔI')).toEqual([digital, reply].sort());
    expect(await found('1187')).toEqual([digital]);
    expect(await found('skhcn')).toEqual([digital]);
    expect(await found('07/UBND')).toEqual([reply]);
    expect(await found('tài chính')).toEqual([budget]);
    expect(await found('ngân sách Bộ')).toEqual([budget]);
    expect(await found('100%_')).toEqual([]);
    expect(await found()).toEqual([budget, digital, reply].sort());
    expect((await findDocumentsToFile({ ...c, fileId, q: '1187' }))[0]).toMatchObject({ ownerType: 'incoming', number: '1187/SKHCN-CĐS', author: 'Sở Khoa học và Công nghệ', typeName: 'Công văn', documentDate: '2026-03-02' });

    await addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: digital } });
    expect(await found('chuyển đổi')).toEqual([reply]);
  });

  test('only the keeper of an open file (or the clerk) searches for it: a colleague, another agency or a closed file are refused', async () => {
    const a = await makeRecordsAgency(t.db);
    const fileId = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '21.TH', title: 'Hồ sơ', retention: '10', description: '' } });
    await expect(findDocumentsToFile({ db: t.db, actor: a.colleague, fileId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(findDocumentsToFile({ db: t.db, actor: (await makeUser(t.db, { roles: ['clerk'] })).actor, fileId })).rejects.toMatchObject({ code: 'records.file_not_found' });
    expect(await findDocumentsToFile({ db: t.db, actor: a.clerk, fileId })).toEqual([]);
    const doc = await makeIncomingFor(t.db, a.staff, { status: 'done' });
    await addDocumentToFile({ db: t.db, actor: a.staff, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
    await closeRecordsFile({ db: t.db, actor: a.staff, id: fileId });
    await expect(findDocumentsToFile({ db: t.db, actor: a.staff, fileId })).rejects.toMatchObject({ code: 'records.bad_status' });
  });
});

describe('finding a file', () => {
  test('a file is found by its số/ký hiệu or a word of its title, or by the trích yếu, số/ký hiệu or sender of a document in it; a Mật document one may not open does not give it away', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const budget = await openRecordsFile({ ...c, body: { notation: '30.TC', title: 'Hồ sơ dự toán ngân sách năm 2026', retention: '10', description: '' } });
    const digital = await openRecordsFile({ ...c, body: { notation: '31.TH', title: 'Hồ sơ chuyển đổi số', retention: '10', description: '' } });
    const letter = await makeIncomingFor(t.db, a.staff, { subject: 'Góp ý Kế hoạch năm 2027', number: '1187', notation: 'SKHCN-CĐS', issuerName: 'Sở Khoa học và Công nghệ' });
    await addDocumentToFile({ ...c, fileId: digital, ref: { ownerType: 'incoming', ownerId: letter } });
    const reply = await makeOutgoingBy(t.db, a.staff, { subject: 'Báo cáo tiến độ đề án 06' });
    await addDocumentToFile({ ...c, fileId: budget, ref: { ownerType: 'outgoing', ownerId: reply } });
    const secret = await makeIncomingFor(t.db, a.staff, { secrecy: 'mat', subject: 'Phương án bảo vệ bí mật' });
    await addDocumentToFile({ ...c, fileId: budget, ref: { ownerType: 'incoming', ownerId: secret } });
    const found = async (q: string, actor = a.staff) => (await listRecordsFiles({ db: t.db, actor, query: { scope: 'agency', q } })).map((f) => f.id).sort();

    expect(await found('30.tc')).toEqual([budget]);
    expect(await found('NGÂN SÁCH')).toEqual([budget]);
    expect(await found('skhcn')).toEqual([digital]);
    expect(await found('khoa học 2027')).toEqual([digital]);
    expect(await found('đề án 06')).toEqual([budget]);
    expect(await found('hồ sơ')).toEqual([budget, digital].sort());
    expect(await found('không có')).toEqual([]);
    expect(await found('bí mật')).toEqual([budget]);
    expect(await found('bí mật', a.leader)).toEqual([]);
  });

  test('whole words are found with or without diacritics and in any case, on PGlite as on PostgreSQL; a word inside a longer one is no match', async () => {
    const a = await makeRecordsAgency(t.db);
    const c = { db: t.db, actor: a.staff };
    const plan = await openRecordsFile({ ...c, body: { notation: '03.TH', title: 'Kế hoạch công tác năm 2026', retention: '10', description: '' } });
    const stats = await openRecordsFile({ ...c, body: { notation: '04.TK', title: 'BÁO CÁO THỐNG KÊ SONG NGỮ', retention: '10', description: '' } });
    const digital = await openRecordsFile({ ...c, body: { notation: '05.TH', title: 'Hồ sơ chuyển đổi số', retention: '10', description: '' } });
    await addDocumentToFile({ ...c, fileId: plan, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, a.staff, { subject: 'Về việc tổ chức hội nghị giao ban', number: '1187', notation: 'SKHCN-CĐS' }) } });
    const found = async (q: string) => (await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'agency', q } })).map((f) => f.id).sort();

    for (const q of ['ke hoach', 'KẾ HOẠCH', 'Ke Hoach cong tac 2026', 'kế hoach']) expect(await found(q), q).toEqual([plan]);
    // a title written in capitals: PGlite's lower() left «BÁO CÁO» as «bÁo cÁo»
    for (const q of ['báo cáo thống kê', 'bao cao', 'Song Ngữ']) expect(await found(q), q).toEqual([stats]);
    // «so» is a word of «Hồ sơ chuyển đổi số» (sơ, số), not of «song» nor of «tổ chức» (a document of the plan)
    expect(await found('so')).toEqual([digital]);
    for (const q of ['oach', 'ong', 'chu', 'giao b', '118']) expect(await found(q), q).toEqual([]);
    // the số/ký hiệu, of the file or of a document in it, whole or in parts; a document's words with the file's
    for (const q of ['03.TH', '03', '1187/SKHCN-CĐS', '1187', 'skhcn', 'cds', 'giao ban kế hoạch', 'to chuc 03.th']) expect(await found(q), q).toEqual([plan]);
    expect(await found('TH')).toEqual([plan, digital].sort());
    expect(await found('giao ban chuyển đổi')).toEqual([]);
    expect(await found('kế hoạch – 2026')).toEqual([plan]);
  });

  test('a file whose số/ký hiệu or title changes is found by the new words, no longer by the old', async () => {
    const a = await makeRecordsAgency(t.db);
    const id = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '06.TH', title: 'Hồ sơ dự thảo', retention: '10', description: '' } });
    const found = async (q: string) => (await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', q } })).map((f) => f.id);
    expect(await recordsRepo.updateFile(t.db, id, 'open', { notation: '07.VP', title: 'Hồ sơ hội nghị tổng kết' })).toBe(true);
    for (const q of ['hoi nghi tong ket', '07.vp', 'VP']) expect(await found(q), q).toEqual([id]);
    for (const q of ['du thao', '06.TH']) expect(await found(q), q).toEqual([]);
    expect(await recordsRepo.updateFile(t.db, id, 'closed', { title: 'Hồ sơ khác' })).toBe(false);
    expect(await found('khac')).toEqual([]);
  });
});

describe('who sees and changes a file', () => {
  test("staff see their own and their unit's files, clerks and leaders the agency's, other units and agencies nothing", async () => {
    const a = await makeRecordsAgency(t.db);
    const fileId = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '11.TH', title: 'Hồ sơ của đơn vị', retention: '20', description: '' } });
    const ids = async (actor: typeof a.staff, scope: 'mine' | 'unit' | 'agency') => (await listRecordsFiles({ db: t.db, actor, query: { scope } })).map((f) => f.id);
    expect(await ids(a.staff, 'mine')).toEqual([fileId]);
    expect(await ids(a.colleague, 'unit')).toEqual([fileId]);
    expect(await ids(a.colleague, 'mine')).toEqual([]);
    expect(await ids(a.clerk, 'agency')).toEqual([fileId]);
    expect(await ids(a.leader, 'agency')).toEqual([fileId]);
    expect(await ids(a.otherStaff, 'agency')).toEqual([]);
    const stranger = (await makeUser(t.db, { roles: ['clerk', 'leader'] })).actor;
    expect(await ids(stranger, 'agency')).toEqual([]);
    await expect(getRecordsFile({ db: t.db, actor: a.otherStaff, id: fileId })).rejects.toMatchObject({ code: 'records.file_not_found' });
    await expect(getRecordsFile({ db: t.db, actor: stranger, id: fileId })).rejects.toMatchObject({ code: 'records.file_not_found' });
    const doc = await makeIncomingFor(t.db, a.colleague, { status: 'done' });
    await expect(addDocumentToFile({ db: t.db, actor: a.colleague, fileId, ref: { ownerType: 'incoming', ownerId: doc } })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(closeRecordsFile({ db: t.db, actor: a.leader, id: fileId })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('a document sits in several files at once; its page lists them and the open files it may still go into', async () => {
    const a = await makeRecordsAgency(t.db);
    const doc = await makeIncomingFor(t.db, a.staff, { status: 'done' });
    const ref = { ownerType: 'incoming' as const, ownerId: doc };
    const mine = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '12.TH', title: 'Của chuyên viên', retention: '10', description: '' } });
    const clerks = await openRecordsFile({ db: t.db, actor: a.clerk, body: { notation: '13.VP', title: 'Của văn thư', retention: 'permanent', description: '' } });
    await addDocumentToFile({ db: t.db, actor: a.staff, fileId: mine, ref });
    const forStaff = await filesForDocument({ db: t.db, actor: a.staff, ref });
    expect(forStaff).toMatchObject({ isFileable: true, files: [{ id: mine }], openFiles: [] });
    const forClerk = await filesForDocument({ db: t.db, actor: a.clerk, ref });
    expect(forClerk.openFiles.map((f) => f.id)).toEqual([clerks]);
    await addDocumentToFile({ db: t.db, actor: a.clerk, fileId: clerks, ref });
    expect((await filesForDocument({ db: t.db, actor: a.clerk, ref })).files.map((f) => f.id).sort()).toEqual([mine, clerks].sort());
  });

  test('a Mật document in a file shows only that it is there to someone who may not open it', async () => {
    const a = await makeRecordsAgency(t.db);
    const fileId = await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '14.TH', title: 'Hồ sơ có văn bản mật', retention: '10', description: '' } });
    const secret = await makeIncomingFor(t.db, a.staff, { secrecy: 'mat', subject: 'Nội dung mật' });
    await addDocumentToFile({ db: t.db, actor: a.staff, fileId, ref: { ownerType: 'incoming', ownerId: secret } });
    expect((await getRecordsFile({ db: t.db, actor: a.staff, id: fileId })).documents[0]).toMatchObject({ subject: 'Nội dung mật', canOpen: true });
    expect((await getRecordsFile({ db: t.db, actor: a.leader, id: fileId })).documents[0]).toMatchObject({ subject: null, number: '', isSecret: true, canOpen: false });
  });
});
