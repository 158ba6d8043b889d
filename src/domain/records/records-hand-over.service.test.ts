import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { useTestDb } from '../../test/app.ts';
import { makeDeps, makeUser } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import { createApp } from '../../platform/http/app.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import type { Actor } from '../../policies/actor.ts';
import { addDocumentToFile, closeRecordsFile, getRecordsFile, listRecordsFiles, openRecordsFile, reopenRecordsFile } from './records.service.ts';
import { countHandOverDue, decideKeepFile, listKeptFiles, RECORDS_JOBS, requestKeepExtension, requestKeepFile, sendHandOverNotices, setFileConstruction } from './records-hand-over.service.ts';
import { makeIncomingFor, makeRecordsAgency } from './records.testing.ts';

const t = useTestDb();

const DAY = 86_400_000;
/** The Vietnamese day `days` before today, and that day a year on (the due date of a file closed then). */
const daysAgo = (days: number) => vietnamDay(new Date(Date.now() - days * DAY));
const aYearOn = (day: string) => `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;

/** A file kept by `keeper`, with one finished document, closed `closedDaysAgo` days ago (at noon in Vietnam). */
async function closedFile(keeper: Actor, o: { notation: string; closedDaysAgo: number; retention?: '10' | '2' | 'permanent'; closedOn?: string }) {
  const c = { db: t.db, actor: keeper };
  const id = await openRecordsFile({ ...c, body: { notation: o.notation, title: `Hồ sơ ${o.notation}`, retention: o.retention ?? '10', description: '' } });
  await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, keeper, { status: 'done' }) } });
  await closeRecordsFile({ ...c, id });
  const closedOn = o.closedOn ?? daysAgo(o.closedDaysAgo);
  await t.db.updateTable('recordsFile').set({ closedAt: new Date(`${closedOn}T05:00:00Z`) }).where('id', '=', id).execute();
  return { id, closedOn };
}

/** The mails waiting to go to an address. */
const mailsTo = async (to: string) => (await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute())
  .map((r) => r.payload as { to: string; subject: string; text: string }).filter((m) => m.to === to);

describe('closed files due for hand-over to the agency archive (ND 30 Art. 30.2.b: within a year of closing)', () => {
  test('the due list holds closed files due within 30 days or overdue, most pressing first, each with its due date; not recent, open or short-kept ones', async () => {
    const a = await makeRecordsAgency(t.db);
    const soon = await closedFile(a.staff, { notation: '01.TH', closedDaysAgo: 350 });
    const late = await closedFile(a.staff, { notation: '02.TH', closedDaysAgo: 400 });
    await closedFile(a.staff, { notation: '03.TH', closedDaysAgo: 20 });
    await closedFile(a.staff, { notation: '04.TH', closedDaysAgo: 400, retention: '2' });
    await openRecordsFile({ db: t.db, actor: a.staff, body: { notation: '05.TH', title: 'Đang mở', retention: '10', description: '' } });

    const due = await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', handOver: 'due' } });
    expect(due.map((f) => [f.notation, f.handOverDueDate, f.handOverState])).toEqual([['02.TH', aYearOn(late.closedOn), 'overdue'], ['01.TH', aYearOn(soon.closedOn), 'due_soon']]);
    const recent = (await getRecordsFile({ db: t.db, actor: a.staff, id: (await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', q: '03.TH' } }))[0]?.id ?? '' })).file;
    expect([recent.handOverDueDate, recent.handOverState]).toEqual([aYearOn(daysAgo(20)), null]);
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 2, overdue: 1 });
  });

  test('a file due in 30 days is listed and shown due soon; one due in 31 days is not yet, and one due yesterday is overdue', async () => {
    const a = await makeRecordsAgency(t.db);
    const yearBefore = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4).replace('-02-29', '-02-28')}`;
    await closedFile(a.staff, { notation: '30.TH', closedDaysAgo: 0, closedOn: yearBefore(daysAgo(-30)) });
    await closedFile(a.staff, { notation: '31.TH', closedDaysAgo: 0, closedOn: yearBefore(daysAgo(-31)) });
    await closedFile(a.staff, { notation: '00.TH', closedDaysAgo: 0, closedOn: yearBefore(daysAgo(1)) });
    expect((await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', handOver: 'due' } })).map((f) => f.notation)).toEqual(['00.TH', '30.TH']);
    const all = await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine' } });
    expect(Object.fromEntries(all.map((f) => [f.notation, f.handOverState]))).toEqual({ '00.TH': 'overdue', '30.TH': 'due_soon', '31.TH': null });
  });

  test("the count is of the files one hands over: the keeper's own, the unit head's unit, the clerk's agency; never another agency's", async () => {
    const a = await makeRecordsAgency(t.db);
    await closedFile(a.staff, { notation: '01.KT', closedDaysAgo: 360 });
    await closedFile(a.otherStaff, { notation: '02.KT', closedDaysAgo: 400 });
    const head = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.unitId, roles: ['unit_head'] })).actor;
    const count = (actor: Actor) => countHandOverDue({ db: t.db, actor });
    expect(await count(a.staff)).toEqual({ due: 1, overdue: 0 });
    expect(await count(a.colleague)).toEqual({ due: 0, overdue: 0 });
    expect(await count(head)).toEqual({ due: 1, overdue: 0 });
    expect(await count(a.clerk)).toEqual({ due: 2, overdue: 1 });
    expect(await count(a.leader)).toEqual({ due: 0, overdue: 0 });

    const other = await makeRecordsAgency(t.db);
    expect(await count(other.clerk)).toEqual({ due: 0, overdue: 0 });
    expect(await count(other.archivist)).toEqual({ due: 0, overdue: 0 });
    expect(await listRecordsFiles({ db: t.db, actor: other.clerk, query: { scope: 'agency', handOver: 'due' } })).toEqual([]);
    expect((await listRecordsFiles({ db: t.db, actor: a.clerk, query: { scope: 'agency', handOver: 'due' } })).map((f) => f.notation)).toEqual(['02.KT', '01.KT']);
  });

  test('the keeper is told once by mail of the files that came due, with their due dates; a second run tells nobody again', async () => {
    const a = await makeRecordsAgency(t.db);
    const first = await closedFile(a.staff, { notation: '01.VP', closedDaysAgo: 340 });
    const second = await closedFile(a.staff, { notation: '02.VP', closedDaysAgo: 380 });
    await closedFile(a.colleague, { notation: '03.VP', closedDaysAgo: 100 });
    const email = (await t.db.selectFrom('appUser').select('email').where('id', '=', a.staff.id).executeTakeFirstOrThrow()).email ?? '';

    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'https://vanthu.example.gov.vn'));
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Hồ sơ đến hạn nộp lưu vào Lưu trữ cơ quan');
    expect(mails[0]?.text).toContain('(Nghị định 30/2020/NĐ-CP, Điều 30 khoản 2 điểm b: trong thời hạn 01 năm kể từ ngày công việc kết thúc)');
    expect(mails[0]?.text).toContain(`02.VP — Hồ sơ 02.VP: hạn nộp lưu ${vnDay(aYearOn(second.closedOn))} (đã quá hạn)`);
    expect(mails[0]?.text).toContain(`01.VP — Hồ sơ 01.VP: hạn nộp lưu ${vnDay(aYearOn(first.closedOn))}\n`);
    expect(mails[0]?.text).toContain(`https://vanthu.example.gov.vn/records/${first.id}`);
    const colleagueEmail = (await t.db.selectFrom('appUser').select('email').where('id', '=', a.colleague.id).executeTakeFirstOrThrow()).email ?? '';
    expect(await mailsTo(colleagueEmail)).toEqual([]);

    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'https://vanthu.example.gov.vn'));
    expect(await mailsTo(email)).toHaveLength(1);
  });

  test("the keeper also finds each file that came due in their «Thông báo», linking to it, once; nobody else, and no other agency, sees it; handing it over takes it back", async () => {
    const app = createApp(await makeDeps(t.db));
    const keeper = await signedInClient(app, t.db, { roles: ['staff'] });
    const f1 = await closedFile(keeper.actor, { notation: '01.TB', closedDaysAgo: 345 });
    const f2 = await closedFile(keeper.actor, { notation: '02.TB', closedDaysAgo: 390 });
    await closedFile(keeper.actor, { notation: '03.TB', closedDaysAgo: 30 });
    const colleague = await signedInClient(app, t.db, { roles: ['clerk'], agencyId: keeper.actor.agencyId });
    const stranger = await signedInClient(app, t.db, { roles: ['clerk'] });
    type Notice = { id: number; message: string; recordsFileId: string | null; incomingId: string | null; outgoingId: string | null; readAt: string | null };
    const notices = async (who: typeof keeper) => ((await who.client.get('/api/incoming/notices')).body.data as Notice[]).filter((n) => n.recordsFileId);

    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    const mine = await notices(keeper);
    expect(mine.map((n) => [n.recordsFileId, n.message, n.incomingId, n.outgoingId, n.readAt]).sort()).toEqual([
      [f1.id, `Hồ sơ đến hạn nộp lưu: 01.TB — Hồ sơ 01.TB: hạn nộp lưu ${vnDay(aYearOn(f1.closedOn))}`, null, null, null],
      [f2.id, `Hồ sơ đến hạn nộp lưu: 02.TB — Hồ sơ 02.TB: hạn nộp lưu ${vnDay(aYearOn(f2.closedOn))} (đã quá hạn)`, null, null, null],
    ].sort());
    expect(await notices(colleague)).toEqual([]);
    expect(await notices(stranger)).toEqual([]);

    expect((await keeper.client.post(`/api/records/files/${f2.id}/hand-over`, {})).status).toBe(200);
    expect((await notices(keeper)).filter((n) => !n.readAt).map((n) => n.recordsFileId)).toEqual([f1.id]);
  });

  test("a file whose keeper no longer works here is told to the heads of its unit, naming the keeper, and with no head there to the agency's clerks; the keeper is told nothing", async () => {
    const a = await makeRecordsAgency(t.db);
    const head = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.unitId, roles: ['unit_head'] })).actor;
    const withHead = await closedFile(a.staff, { notation: '01.NH', closedDaysAgo: 380 });
    const withoutHead = await closedFile(a.otherStaff, { notation: '02.NH', closedDaysAgo: 380 });
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', 'in', [a.staff.id, a.otherStaff.id]).execute();

    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    const told = await t.db.selectFrom('incomingNotice').select(['userId', 'recordsFileId', 'message'])
      .where('recordsFileId', 'in', [withHead.id, withoutHead.id]).orderBy('message').execute();
    expect(told).toEqual([
      { userId: head.id, recordsFileId: withHead.id, message: `Hồ sơ đến hạn nộp lưu: 01.NH — Hồ sơ 01.NH: hạn nộp lưu ${vnDay(aYearOn(withHead.closedOn))} (đã quá hạn) — người lập hồ sơ ${a.staff.fullName} không còn làm việc` },
      { userId: a.clerk.id, recordsFileId: withoutHead.id, message: `Hồ sơ đến hạn nộp lưu: 02.NH — Hồ sơ 02.NH: hạn nộp lưu ${vnDay(aYearOn(withoutHead.closedOn))} (đã quá hạn) — người lập hồ sơ ${a.otherStaff.fullName} không còn làm việc` },
    ]);
    const headEmail = (await t.db.selectFrom('appUser').select('email').where('id', '=', head.id).executeTakeFirstOrThrow()).email ?? '';
    const mails = await mailsTo(headEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`01.NH — Hồ sơ 01.NH: hạn nộp lưu ${vnDay(aYearOn(withHead.closedOn))} (đã quá hạn) — người lập hồ sơ ${a.staff.fullName} không còn làm việc`);
    const keeperEmail = (await t.db.selectFrom('appUser').select('email').where('id', '=', a.staff.id).executeTakeFirstOrThrow()).email ?? '';
    expect(await mailsTo(keeperEmail)).toEqual([]);
  });

  test('a file closed again is due a year from its new closing, and its keeper will be told again then', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '01.NV', closedDaysAgo: 370 });
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    const c = { db: t.db, actor: a.staff, id: f.id };
    await reopenRecordsFile(c);
    await closeRecordsFile(c);
    const row = await t.db.selectFrom('recordsFile').select('handOverNotifiedAt').where('id', '=', f.id).executeTakeFirstOrThrow();
    expect(row.handOverNotifiedAt).toBeNull();
    expect((await getRecordsFile(c)).file.handOverDueDate).toBe(aYearOn(vietnamDay()));
    expect(await countHandOverDue(c)).toEqual({ due: 0, overdue: 0 });
  });

  test('the daily job runs from the queue and schedules its next run for 07:00 once, however often it runs', async () => {
    const deps = await makeDeps(t.db);
    await startWorker({ deps, jobs: RECORDS_JOBS, autoStart: false }).runOnce();
    // a second run the same day (a retry, a restart): the next run is already there, and stays the only one
    await t.db.insertInto('job').values({ type: 'records.hand_over_reminder', payload: '{}', runAt: new Date(), maxAttempts: 5 }).execute();
    await startWorker({ deps, jobs: RECORDS_JOBS, autoStart: false }).runOnce();
    const jobs = await t.db.selectFrom('job').select(['dedupeKey', 'doneAt', 'failedAt', 'runAt']).where('type', '=', 'records.hand_over_reminder').orderBy('id').execute();
    expect(jobs.filter((j) => j.failedAt)).toEqual([]);
    const pending = jobs.filter((j) => !j.doneAt);
    expect(pending).toHaveLength(1);
    expect(new Date(pending[0]?.runAt ?? 0).getUTCHours()).toBe(0);
  });

  test('the API gives the home page its count and the list its filter; without a session, or with a filter it does not know, it answers an error', async () => {
    const app = createApp(await makeDeps(t.db));
    const staff = await signedInClient(app, t.db, { roles: ['staff'] });
    await closedFile(staff.actor, { notation: '01.HC', closedDaysAgo: 370 });
    expect((await staff.client.get('/api/records/files/hand-over-due')).body.data).toEqual({ due: 1, overdue: 1 });
    const listed = await staff.client.get('/api/records/files?scope=mine&handOver=due');
    expect((listed.body.data as { notation: string }[]).map((f) => f.notation)).toEqual(['01.HC']);
    const bad = await staff.client.get('/api/records/files?handOver=soon');
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'request.invalid']);
    expect((await testClient(app).get('/api/records/files/hand-over-due')).status).toBe(401);
  });
});

/** The YYYY-MM-DD day `n` days after `day`. */
const dayPlus = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const yearsOn = (day: string, n: number) => `${Number(day.slice(0, 4)) + n}${day.slice(4)}`;

describe('keeping a due file back (ND 30 Art. 31.3.d: with the head of the agency\'s consent, at most 02 years past the due date)', () => {
  const ask = (actor: Actor, id: string, until: string, reason = 'Còn theo dõi việc thanh tra') => requestKeepFile({ db: t.db, actor, id, body: { until, reason } });
  const answer = (actor: Actor, id: string, approve: boolean, note = '') => decideKeepFile({ db: t.db, actor, id, body: { approve, note } });
  const file = async (actor: Actor, id: string) => getRecordsFile({ db: t.db, actor, id });
  const noticesOf = (userId: string, fileId: string) => t.db.selectFrom('incomingNotice').select(['kind', 'message', 'readAt'])
    .where('userId', '=', userId).where('recordsFileId', '=', fileId).orderBy('id').execute();
  const error = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

  test('the keeper asks, the leaders are told, a leader agrees: the due date moves to the day agreed, and the due list, the count and the reminder follow it', async () => {
    const a = await makeRecordsAgency(t.db);
    const far = await closedFile(a.staff, { notation: '01.GL', closedDaysAgo: 400 });
    const near = await closedFile(a.staff, { notation: '02.GL', closedDaysAgo: 400 });
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 2, overdue: 2 });
    expect((await file(a.staff, far.id)).can['records.file.keep']).toBe(true);

    await ask(a.staff, far.id, daysAgo(-200));
    await ask(a.staff, near.id, daysAgo(-10), 'Chờ kết luận kiểm toán');
    const pending = await file(a.leader, far.id);
    expect([pending.keep.status, pending.file.handOverDueDate, pending.can['records.file.keep.decide'], pending.can['records.file.keep']]).toEqual(['requested', aYearOn(far.closedOn), true, false]);
    expect((await noticesOf(a.leader.id, near.id)).map((n) => [n.kind, n.message])).toEqual([
      ['keep_requested', `Đề nghị giữ lại hồ sơ đã đến hạn nộp lưu: 02.GL — Hồ sơ 02.GL, đến ${vnDay(daysAgo(-10))} — ${a.staff.fullName}: Chờ kết luận kiểm toán`],
    ]);

    await answer(a.leader, far.id, true, 'Đồng ý');
    await answer(a.leader, near.id, true);
    const kept = await file(a.staff, far.id);
    expect([kept.file.handOverDueDate, kept.file.handOverState, kept.keep.status, kept.keep.decidedByName, kept.keep.reason]).toEqual([daysAgo(-200), null, 'approved', a.leader.fullName, 'Còn theo dõi việc thanh tra']);
    expect((await file(a.staff, near.id)).file.handOverState).toBe('due_soon');
    expect((await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', handOver: 'due' } })).map((f) => [f.notation, f.handOverDueDate])).toEqual([['02.GL', daysAgo(-10)]]);
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 1, overdue: 0 });
    // the old reminder is taken back, the leaders' request notices too, and the keeper hears the answer
    expect((await noticesOf(a.staff.id, far.id)).map((n) => [n.kind, n.message, !!n.readAt])).toEqual([
      ['hand_over_due', expect.stringContaining('(đã quá hạn)'), true],
      ['keep_decided', `${a.leader.fullName} đồng ý giữ lại hồ sơ 01.GL — Hồ sơ 01.GL đến ${vnDay(daysAgo(-200))}: Đồng ý`, false],
    ]);
    expect((await noticesOf(a.leader.id, far.id)).every((n) => n.readAt)).toBe(true);

    // the reminder tells again, of the new date, for the file now due within 30 days only
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    expect((await noticesOf(a.staff.id, near.id)).filter((n) => n.kind === 'hand_over_due' && !n.readAt).map((n) => n.message))
      .toEqual([`Hồ sơ đến hạn nộp lưu: 02.GL — Hồ sơ 02.GL: hạn nộp lưu ${vnDay(daysAgo(-10))}`]);
    expect((await noticesOf(a.staff.id, far.id)).filter((n) => n.kind === 'hand_over_due' && !n.readAt)).toEqual([]);
  });

  test('a refused keep changes nothing: the due date and the reminder stay; the keeper is told and may ask again', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '03.GL', closedDaysAgo: 400 });
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    const before = await t.db.selectFrom('recordsFile').select('handOverNotifiedAt').where('id', '=', f.id).executeTakeFirstOrThrow();
    await ask(a.staff, f.id, daysAgo(-100));
    await answer(a.leader, f.id, false, 'Đã quá hạn, đề nghị nộp lưu ngay');
    const refused = await file(a.staff, f.id);
    expect([refused.file.handOverDueDate, refused.file.handOverState, refused.keep.status, refused.keep.note]).toEqual([aYearOn(f.closedOn), 'overdue', 'refused', 'Đã quá hạn, đề nghị nộp lưu ngay']);
    expect(await t.db.selectFrom('recordsFile').select('handOverNotifiedAt').where('id', '=', f.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await noticesOf(a.staff.id, f.id)).map((n) => [n.kind, !!n.readAt])).toEqual([['hand_over_due', false], ['keep_decided', false]]);
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    expect((await noticesOf(a.staff.id, f.id)).filter((n) => n.kind === 'hand_over_due')).toHaveLength(1);
    expect(refused.can['records.file.keep']).toBe(true);
  });

  test('the day asked must be after the due date and at most 02 years after it', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '04.GL', closedDaysAgo: 300 });
    const due = aYearOn(f.closedOn);
    const { keep } = await file(a.staff, f.id);
    expect([keep.legalDueDate, keep.earliestUntil, keep.latestUntil]).toEqual([due, dayPlus(due, 1), yearsOn(due, 2)]);
    expect(await error(ask(a.staff, f.id, due))).toBe('records.keep_until_out_of_range');
    expect(await error(ask(a.staff, f.id, dayPlus(yearsOn(due, 2), 1)))).toBe('records.keep_until_out_of_range');
    await ask(a.staff, f.id, yearsOn(due, 2));
    expect(await error(ask(a.staff, f.id, yearsOn(due, 1)))).toBe('records.keep_pending');
    await answer(a.leader, f.id, true);
    expect(await error(ask(a.staff, f.id, yearsOn(due, 1)))).toBe('records.keep_already_approved');
    expect((await file(a.staff, f.id)).file.handOverDueDate).toBe(yearsOn(due, 2));
  });

  test('only the keeper or the head of its unit asks, only a leader of the agency answers; another agency gets 404; a short-kept or open file has nothing to keep', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '05.GL', closedDaysAgo: 400 });
    const until = daysAgo(-100);
    const otherHead = (await makeUser(t.db, { agencyId: a.agencyId, unitId: (await t.db.selectFrom('appUser').select('unitId').where('id', '=', a.otherStaff.id).executeTakeFirstOrThrow()).unitId, roles: ['unit_head'] })).actor;
    const head = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.unitId, roles: ['unit_head'] })).actor;
    const other = await makeRecordsAgency(t.db);
    for (const who of [a.colleague, a.clerk, a.archivist, a.leader]) expect(await error(ask(who, f.id, until))).toBe('forbidden');
    // the head of another unit, like another agency, does not see the file at all
    for (const who of [otherHead, other.leader]) expect(await error(ask(who, f.id, until))).toBe('records.file_not_found');
    expect(await error(answer(a.leader, f.id, true))).toBe('records.keep_not_requested');
    await ask(head, f.id, until);
    for (const who of [a.staff, head, a.clerk, a.archivist]) expect(await error(answer(who, f.id, true))).toBe('forbidden');
    expect(await error(answer(other.leader, f.id, true))).toBe('records.file_not_found');
    expect((await file(a.leader, f.id)).keep.status).toBe('requested');

    const short = await closedFile(a.staff, { notation: '06.GL', closedDaysAgo: 400, retention: '2' });
    expect(await error(ask(a.staff, short.id, until))).toBe('records.keep_not_due');
    await reopenRecordsFile({ db: t.db, actor: a.staff, id: short.id });
    expect(await error(ask(a.staff, short.id, until))).toBe('records.bad_status');
  });

  test('reopening the file clears its keep; closed again, it is due a year from then', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '07.GL', closedDaysAgo: 400 });
    await ask(a.staff, f.id, daysAgo(-100));
    await answer(a.leader, f.id, true);
    await reopenRecordsFile({ db: t.db, actor: a.staff, id: f.id });
    await closeRecordsFile({ db: t.db, actor: a.staff, id: f.id });
    const again = await file(a.staff, f.id);
    expect([again.keep.status, again.file.handOverDueDate]).toEqual([null, aYearOn(vietnamDay())]);
    expect(await listKeptFiles({ db: t.db, actor: a.leader })).toEqual([]);
  });

  test('the Danh mục hồ sơ giữ lại lists the kept files with the reason, the day and who agreed: the agency\'s for the archivist, clerks and leaders, a unit\'s for its head; not for staff nor another agency', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '08.GL', closedDaysAgo: 400 });
    const g = await closedFile(a.otherStaff, { notation: '09.GL', closedDaysAgo: 400 });
    const waiting = await closedFile(a.staff, { notation: '10.GL', closedDaysAgo: 400 });
    for (const x of [f, g]) {
      await ask(x === f ? a.staff : a.otherStaff, x.id, daysAgo(-100), 'Lý do giữ lại');
      await answer(a.leader, x.id, true, 'Đồng ý');
    }
    await ask(a.staff, waiting.id, daysAgo(-50));
    const head = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.unitId, roles: ['unit_head'] })).actor;
    const list = (actor: Actor, year?: number) => listKeptFiles({ db: t.db, actor, year });
    const [first] = await list(a.archivist);
    expect(first).toMatchObject({ notation: '08.GL', legalDueDate: aYearOn(f.closedOn), keepUntil: daysAgo(-100), reason: 'Lý do giữ lại', note: 'Đồng ý', decidedByName: a.leader.fullName, requestedByName: a.staff.fullName });
    for (const who of [a.archivist, a.clerk, a.leader]) expect((await list(who)).map((k) => k.notation)).toEqual(['08.GL', '09.GL']);
    expect((await list(head)).map((k) => k.notation)).toEqual(['08.GL']);
    expect(await list(a.leader, 2001)).toEqual([]);
    expect(await error(list(a.staff))).toBe('forbidden');
    expect(await list((await makeRecordsAgency(t.db)).leader)).toEqual([]);
  });

  test('the API: a keeper asks, a leader answers, the archivist reads the list; a day out of range answers 422', async () => {
    const app = createApp(await makeDeps(t.db));
    const keeper = await signedInClient(app, t.db, { roles: ['staff'] });
    const leader = await signedInClient(app, t.db, { roles: ['leader'], agencyId: keeper.actor.agencyId });
    const f = await closedFile(keeper.actor, { notation: '11.GL', closedDaysAgo: 400 });
    const far = await keeper.client.post(`/api/records/files/${f.id}/keep`, { until: yearsOn(daysAgo(0), 3), reason: 'x' });
    expect([far.status, far.body.error?.code]).toEqual([422, 'records.keep_until_out_of_range']);
    expect((await keeper.client.post(`/api/records/files/${f.id}/keep`, { until: daysAgo(-60), reason: 'Còn giải quyết khiếu nại' })).status).toBe(200);
    expect((await keeper.client.post(`/api/records/files/${f.id}/keep/decide`, { approve: true })).status).toBe(403);
    expect((await leader.client.post(`/api/records/files/${f.id}/keep/decide`, { approve: true, note: '' })).status).toBe(200);
    expect((await leader.client.get('/api/records/files/kept')).body.data).toMatchObject([{ id: f.id, keepUntil: daysAgo(-60), reason: 'Còn giải quyết khiếu nại' }]);
    expect((await keeper.client.get('/api/records/files/kept')).status).toBe(403);
  });
});

describe('extending a keep agreed (gia hạn, ND 30 Art. 31.3.d: still at most 02 years past the due date)', () => {
  const ask = (actor: Actor, id: string, until: string, reason = 'Còn theo dõi việc thanh tra') => requestKeepFile({ db: t.db, actor, id, body: { until, reason } });
  const extend = (actor: Actor, id: string, until: string, reason = 'Thanh tra bổ sung chưa kết luận') => requestKeepExtension({ db: t.db, actor, id, body: { until, reason } });
  const answer = (actor: Actor, id: string, approve: boolean, note = '') => decideKeepFile({ db: t.db, actor, id, body: { approve, note } });
  const file = (actor: Actor, id: string) => getRecordsFile({ db: t.db, actor, id });
  const error = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);
  const audited = async (id: string) => (await t.db.selectFrom('auditLog').select(['type', 'data']).where('entityId', '=', id).where('type', 'like', 'RECORDS_FILE_KEEP%').orderBy('id').execute())
    .map((r) => [r.type, (r.data as { until?: string }).until, (r.data as { previousUntil?: string }).previousUntil]);
  /** A file of `a.staff` closed 400 days ago (overdue), kept back by a leader until `until`. */
  async function keptFile(a: Awaited<ReturnType<typeof makeRecordsAgency>>, notation: string, until: string) {
    const f = await closedFile(a.staff, { notation, closedDaysAgo: 400 });
    await ask(a.staff, f.id, until, 'Còn theo dõi việc thanh tra');
    await answer(a.leader, f.id, true);
    return f;
  }

  test('the keeper asks to keep it longer, the leaders are told, a leader agrees: the due date moves, the reminder tells again before the new day, each step is audited and the history lists both', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await keptFile(a, '01.GH', daysAgo(-10));
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    expect((await file(a.staff, f.id)).can['records.file.keep.extend']).toBe(true);

    await extend(a.staff, f.id, daysAgo(-200));
    const waiting = await file(a.leader, f.id);
    // until a leader answers, the keep agreed stands
    expect([waiting.file.handOverDueDate, waiting.keep.status, waiting.keep.pending?.kind, waiting.keep.pending?.until, waiting.keep.pending?.previousUntil, waiting.can['records.file.keep.decide']])
      .toEqual([daysAgo(-10), 'approved', 'extend', daysAgo(-200), daysAgo(-10), true]);
    expect((await file(a.staff, f.id)).can['records.file.keep.extend']).toBe(false);
    expect((await t.db.selectFrom('incomingNotice').select('message').where('userId', '=', a.leader.id).where('recordsFileId', '=', f.id).where('readAt', 'is', null).execute()).map((n) => n.message))
      .toEqual([`Đề nghị gia hạn giữ lại hồ sơ: 01.GH — Hồ sơ 01.GH, từ ${vnDay(daysAgo(-10))} đến ${vnDay(daysAgo(-200))} — ${a.staff.fullName}: Thanh tra bổ sung chưa kết luận`]);

    await answer(a.leader, f.id, true, 'Đồng ý gia hạn');
    const extended = await file(a.staff, f.id);
    expect([extended.file.handOverDueDate, extended.file.handOverState, extended.keep.status, extended.keep.until, extended.keep.reason, extended.keep.note, extended.keep.pending])
      .toEqual([daysAgo(-200), null, 'approved', daysAgo(-200), 'Thanh tra bổ sung chưa kết luận', 'Đồng ý gia hạn', null]);
    expect(extended.keep.history.map((h) => [h.kind, h.status, h.until, h.previousUntil, h.requestedByName, h.decidedByName])).toEqual([
      ['keep', 'approved', daysAgo(-10), null, a.staff.fullName, a.leader.fullName],
      ['extend', 'approved', daysAgo(-200), daysAgo(-10), a.staff.fullName, a.leader.fullName],
    ]);
    // the reminder of the old day is taken back and will come again 30 days before the new one
    expect(await t.db.selectFrom('recordsFile').select('handOverNotifiedAt').where('id', '=', f.id).executeTakeFirstOrThrow()).toEqual({ handOverNotifiedAt: null });
    expect(await t.db.selectFrom('incomingNotice').select('kind').where('userId', '=', a.staff.id).where('recordsFileId', '=', f.id).where('readAt', 'is', null).execute())
      .toEqual([{ kind: 'keep_decided' }, { kind: 'keep_decided' }]);
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 0, overdue: 0 });
    expect((await listKeptFiles({ db: t.db, actor: a.archivist })).map((k) => [k.notation, k.keepUntil])).toEqual([['01.GH', daysAgo(-200)]]);
    expect(await audited(f.id)).toEqual([
      ['RECORDS_FILE_KEEP_REQUESTED', daysAgo(-10), undefined], ['RECORDS_FILE_KEEP_APPROVED', daysAgo(-10), undefined],
      ['RECORDS_FILE_KEEP_EXTENSION_REQUESTED', daysAgo(-200), daysAgo(-10)], ['RECORDS_FILE_KEEP_EXTENSION_APPROVED', daysAgo(-200), daysAgo(-10)],
    ]);
  });

  test('an extension refused leaves the keep agreed as it was; the keeper is told and may ask again', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await keptFile(a, '02.GH', daysAgo(-50));
    await extend(a.staff, f.id, daysAgo(-300));
    await answer(a.leader, f.id, false, 'Đề nghị nộp lưu đúng hạn');
    const refused = await file(a.staff, f.id);
    expect([refused.file.handOverDueDate, refused.keep.status, refused.keep.until, refused.keep.pending, refused.can['records.file.keep.extend']]).toEqual([daysAgo(-50), 'approved', daysAgo(-50), null, true]);
    expect(refused.keep.history.map((h) => [h.kind, h.status, h.note])).toEqual([['keep', 'approved', ''], ['extend', 'refused', 'Đề nghị nộp lưu đúng hạn']]);
    expect((await t.db.selectFrom('incomingNotice').select('message').where('userId', '=', a.staff.id).where('recordsFileId', '=', f.id).orderBy('id').execute()).map((n) => n.message).at(-1))
      .toBe(`${a.leader.fullName} không đồng ý gia hạn giữ lại hồ sơ 02.GH — Hồ sơ 02.GH: Đề nghị nộp lưu đúng hạn`);
    expect((await audited(f.id)).at(-1)).toEqual(['RECORDS_FILE_KEEP_EXTENSION_REFUSED', daysAgo(-300), daysAgo(-50)]);
    await extend(a.staff, f.id, daysAgo(-100));
    expect((await file(a.staff, f.id)).keep.pending?.until).toBe(daysAgo(-100));
  });

  test('the new day must be after the day agreed and at most 02 years after the legal due date; at that limit nothing more is extended; one request waits at a time', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '03.GH', closedDaysAgo: 300 });
    const due = aYearOn(f.closedOn);
    expect(await error(extend(a.staff, f.id, yearsOn(due, 1)))).toBe('records.keep_not_approved');
    await ask(a.staff, f.id, yearsOn(due, 1));
    expect(await error(extend(a.staff, f.id, yearsOn(due, 2)))).toBe('records.keep_not_approved');
    await answer(a.leader, f.id, true);
    expect((await file(a.staff, f.id)).keep.extendEarliest).toBe(dayPlus(yearsOn(due, 1), 1));
    expect(await error(extend(a.staff, f.id, yearsOn(due, 1)))).toBe('records.keep_extension_out_of_range');
    expect(await error(extend(a.staff, f.id, dayPlus(yearsOn(due, 2), 1)))).toBe('records.keep_extension_out_of_range');
    await extend(a.staff, f.id, yearsOn(due, 2));
    expect(await error(extend(a.staff, f.id, dayPlus(yearsOn(due, 1), 10)))).toBe('records.keep_pending');
    await answer(a.leader, f.id, true);
    expect((await file(a.staff, f.id)).file.handOverDueDate).toBe(yearsOn(due, 2));
    expect(await error(extend(a.staff, f.id, yearsOn(due, 2)))).toBe('records.keep_at_limit');
  });

  test('only the keeper or the head of its unit asks for an extension, only a leader of the agency answers it; another agency gets 404', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await keptFile(a, '04.GH', daysAgo(-30));
    const head = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.unitId, roles: ['unit_head'] })).actor;
    const other = await makeRecordsAgency(t.db);
    for (const who of [a.colleague, a.clerk, a.archivist, a.leader]) expect(await error(extend(who, f.id, daysAgo(-60))), who.fullName).toBe('forbidden');
    expect(await error(extend(other.leader, f.id, daysAgo(-60)))).toBe('records.file_not_found');
    await extend(head, f.id, daysAgo(-60));
    for (const who of [a.staff, head, a.clerk, a.archivist]) expect(await error(answer(who, f.id, true)), who.fullName).toBe('forbidden');
    expect(await error(answer(other.leader, f.id, true))).toBe('records.file_not_found');
    expect((await file(a.staff, f.id)).keep.pending?.requestedByName).toBe(head.fullName);
  });

  test('reopening the file clears its keeps and cancels an extension waiting; closed again, it starts afresh', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await keptFile(a, '05.GH', daysAgo(-30));
    await extend(a.staff, f.id, daysAgo(-90));
    await reopenRecordsFile({ db: t.db, actor: a.staff, id: f.id });
    await closeRecordsFile({ db: t.db, actor: a.staff, id: f.id });
    const again = await file(a.leader, f.id);
    expect([again.keep.status, again.keep.pending, again.can['records.file.keep.decide']]).toEqual([null, null, false]);
    expect(again.keep.history.map((h) => [h.kind, h.status, !!h.clearedAt])).toEqual([['keep', 'approved', true], ['extend', 'cancelled', true]]);
    expect(await error(answer(a.leader, f.id, true))).toBe('records.keep_not_requested');
  });

  test('the API: the keeper asks for an extension, a colleague is refused, the file page carries the history', async () => {
    const app = createApp(await makeDeps(t.db));
    const keeper = await signedInClient(app, t.db, { roles: ['staff'] });
    const leader = await signedInClient(app, t.db, { roles: ['leader'], agencyId: keeper.actor.agencyId });
    const colleague = await signedInClient(app, t.db, { roles: ['staff'], agencyId: keeper.actor.agencyId });
    const f = await closedFile(keeper.actor, { notation: '06.GH', closedDaysAgo: 400 });
    expect((await keeper.client.post(`/api/records/files/${f.id}/keep`, { until: daysAgo(-20), reason: 'Còn khiếu nại' })).status).toBe(200);
    expect((await leader.client.post(`/api/records/files/${f.id}/keep/decide`, { approve: true })).status).toBe(200);
    const denied = await colleague.client.post(`/api/records/files/${f.id}/keep/extend`, { until: daysAgo(-80), reason: 'x' });
    expect([denied.status, denied.body.error?.code]).toEqual([404, 'records.file_not_found']);
    const far = await keeper.client.post(`/api/records/files/${f.id}/keep/extend`, { until: daysAgo(-20), reason: 'x' });
    expect([far.status, far.body.error?.code]).toEqual([422, 'records.keep_extension_out_of_range']);
    expect((await keeper.client.post(`/api/records/files/${f.id}/keep/extend`, { until: daysAgo(-80), reason: 'Khiếu nại tiếp' })).status).toBe(200);
    const page = (await leader.client.get(`/api/records/files/${f.id}`)).body.data as { keep: { history: { kind: string; status: string }[] }; can: Record<string, boolean> };
    expect([page.keep.history.map((h) => `${h.kind}:${h.status}`), page.can['records.file.keep.decide']]).toEqual([['keep:approved', 'extend:requested'], true]);
  });
});

describe.skipIf(!needTool('pdftotext'))('the Danh mục hồ sơ, tài liệu giữ lại to download (ND 30 Art. 31.3.d: sent to the agency archive)', () => {
  test('the archivist downloads the kept files as PDF and XLSX, an extended keep with its new day; a unit head gets their unit\'s; staff get 403, another agency an empty list', async () => {
    const app = createApp(await makeDeps(t.db));
    const a = await makeRecordsAgency(t.db);
    const c = (actor: Actor) => ({ db: t.db, actor });
    for (const [keeper, notation, until] of [[a.staff, '01.LG', daysAgo(-40)], [a.otherStaff, '02.LG', daysAgo(-20)]] as const) {
      const f = await closedFile(keeper, { notation, closedDaysAgo: 400 });
      await requestKeepFile({ ...c(keeper), id: f.id, body: { until, reason: `Lý do ${notation}` } });
      await decideKeepFile({ ...c(a.leader), id: f.id, body: { approve: true, note: '' } });
      if (notation === '01.LG') {
        await requestKeepExtension({ ...c(keeper), id: f.id, body: { until: daysAgo(-150), reason: 'Thanh tra bổ sung' } });
        await decideKeepFile({ ...c(a.leader), id: f.id, body: { approve: true, note: 'Đồng ý gia hạn' } });
      }
    }
    const archivist = await signedInClient(app, t.db, { roles: ['archivist'], agencyId: a.agencyId });
    const get = (who: typeof archivist, url: string) => app.request(url, { headers: { cookie: who.client.cookie } });
    const pdf = await get(archivist, '/api/records/files/kept/export');
    expect([pdf.status, pdf.headers.get('content-type'), pdf.headers.get('content-disposition')]).toEqual([200, 'application/pdf', 'attachment; filename="danh-muc-ho-so-giu-lai.pdf"']);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-kept-')), 'kept.pdf');
    await writeFile(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('DANH MỤC HỒ SƠ, TÀI LIỆU GIỮ LẠI');
    // the soonest due first: 02.LG (kept to 20 days from now), then 01.LG (extended to 150 days)
    expect(text.indexOf('02.LG')).toBeLessThan(text.indexOf('01.LG'));
    expect(text).toMatch(new RegExp(`01\\.LG[^\\n]*${vnDay(daysAgo(-150)).replaceAll('/', '\\/')}[^\\n]*Thanh tra bổ sung`));

    const rowsOf = async (who: typeof archivist, url: string) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await (await get(who, url)).arrayBuffer()) as never);
      const rows: unknown[][] = [];
      book.worksheets[0]?.eachRow((row) => rows.push(Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).value)));
      return rows.filter((r) => typeof r[0] === 'number');
    };
    const thisYear = Number(daysAgo(400).slice(0, 4));
    expect((await get(archivist, `/api/records/files/kept/export?format=xlsx&year=${thisYear}`)).headers.get('content-disposition')).toBe(`attachment; filename="danh-muc-ho-so-giu-lai-${thisYear}.xlsx"`);
    const rows = await rowsOf(archivist, '/api/records/files/kept/export?format=xlsx');
    expect(rows.map((r) => [r[0], r[1], r[4], r[5], r[6], r[7]])).toEqual([
      [1, '02.LG', 10, vnDay(aYearOn(daysAgo(400))), vnDay(daysAgo(-20)), 'Lý do 02.LG'],
      [2, '01.LG', 10, vnDay(aYearOn(daysAgo(400))), vnDay(daysAgo(-150)), 'Thanh tra bổ sung'],
    ]);
    expect(String(rows[1]?.[8])).toBe(`${a.leader.fullName}, ngày ${vnDay(vietnamDay())}, Đồng ý gia hạn`);

    const head = await signedInClient(app, t.db, { roles: ['unit_head'], agencyId: a.agencyId, unitId: a.unitId });
    expect((await rowsOf(head, '/api/records/files/kept/export?format=xlsx')).map((r) => r[1])).toEqual(['01.LG']);
    const staff = await signedInClient(app, t.db, { roles: ['staff'], agencyId: a.agencyId, unitId: a.unitId });
    const denied = await staff.client.get('/api/records/files/kept/export?format=xlsx');
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'forbidden']);
    expect(await rowsOf(await signedInClient(app, t.db, { roles: ['archivist'] }), '/api/records/files/kept/export?format=xlsx')).toEqual([]);
  });
});

describe('construction files (ND 30 Art. 30.2.a: within 03 months of the works\' final settlement)', () => {
  const mark = (actor: Actor, id: string, settledOn: string | null, isConstruction = true) => setFileConstruction({ db: t.db, actor, id, body: { isConstruction, settledOn } });
  /** The day 03 months on, the 31st falling back to the month's last day as PostgreSQL counts it. */
  const threeMonthsOn = (day: string) => {
    const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)) + 2, Number(day.slice(8, 10))];
    return new Date(Date.UTC(y, m, Math.min(d, new Date(Date.UTC(y, m + 1, 0)).getUTCDate()))).toISOString().slice(0, 10);
  };
  const error = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

  test('a file closed yesterday whose works were settled 80 days ago is due 03 months after the settlement: listed, counted and told', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '01.XD', closedDaysAgo: 1 });
    const settled = daysAgo(80);
    await mark(a.staff, f.id, settled);
    const { file, construction } = await getRecordsFile({ db: t.db, actor: a.staff, id: f.id });
    expect([construction, file.handOverDueDate, file.handOverState]).toEqual([{ isConstruction: true, settledOn: settled }, threeMonthsOn(settled), 'due_soon']);
    expect((await listRecordsFiles({ db: t.db, actor: a.staff, query: { scope: 'mine', handOver: 'due' } })).map((x) => x.notation)).toEqual(['01.XD']);
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 1, overdue: 0 });
    await t.db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://x'));
    expect(await t.db.selectFrom('incomingNotice').select('message').where('recordsFileId', '=', f.id).execute())
      .toEqual([{ message: `Hồ sơ đến hạn nộp lưu: 01.XD — Hồ sơ 01.XD: hạn nộp lưu ${vnDay(threeMonthsOn(settled))}` }]);
    const email = (await t.db.selectFrom('appUser').select('email').where('id', '=', a.staff.id).executeTakeFirstOrThrow()).email ?? '';
    const [mail] = await mailsTo(email);
    expect(mail?.text).toContain('Điều 30 khoản 2 điểm a: hồ sơ xây dựng cơ bản, trong thời hạn 03 tháng kể từ ngày công trình được quyết toán');
    expect(mail?.text).not.toContain('01 năm');
  });

  test('a construction file not yet settled has no hand-over date; unmarked, it is due a year from closing again', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '02.XD', closedDaysAgo: 400 });
    await mark(a.staff, f.id, null);
    const due = async () => (await getRecordsFile({ db: t.db, actor: a.staff, id: f.id })).file.handOverDueDate;
    expect(await due()).toBeNull();
    expect(await countHandOverDue({ db: t.db, actor: a.staff })).toEqual({ due: 0, overdue: 0 });
    await mark(a.clerk, f.id, null, false);
    expect(await due()).toBe(aYearOn(f.closedOn));
  });

  test('only its keeper or the clerk marks it, with a settlement not in the future, until it is handed over or kept back', async () => {
    const a = await makeRecordsAgency(t.db);
    const f = await closedFile(a.staff, { notation: '03.XD', closedDaysAgo: 400 });
    for (const who of [a.colleague, a.leader, a.archivist]) expect(await error(mark(who, f.id, daysAgo(10)))).toBe('forbidden');
    expect(await error(mark((await makeRecordsAgency(t.db)).clerk, f.id, daysAgo(10)))).toBe('records.file_not_found');
    expect(await error(mark(a.staff, f.id, daysAgo(-1)))).toBe('records.construction_settled_future');
    await requestKeepFile({ db: t.db, actor: a.staff, id: f.id, body: { until: daysAgo(-30), reason: 'Chờ quyết toán' } });
    expect(await error(mark(a.staff, f.id, daysAgo(10)))).toBe('records.construction_kept');
    await t.db.updateTable('recordsFile').set({ status: 'handed_over' }).where('id', '=', f.id).execute();
    expect(await error(mark(a.staff, f.id, daysAgo(10)))).toBe('records.read_only');
  });
});
