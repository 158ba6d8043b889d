import { beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import type { Role } from '../../policies/actor.ts';
import { incomingReport, outgoingReport } from './reports.service.ts';
import { chaseOverdue } from './reports-chase.service.ts';
import { resolvePeriod } from './reports.period.ts';
import { addRecipient, makeReportAgency, makeReportIncoming, makeReportOutgoing } from './reports.testing.ts';

const t = useTestDb();
let a: Awaited<ReturnType<typeof makeReportAgency>>;
const ids: Record<string, string> = {};
const NOVEMBER = { period: 'month' as const };
const TODAY = '2026-11-20'; // the report is read on 20/11: November's open work is judged as of that day

beforeAll(async () => {
  const db = t.db;
  a = await makeReportAgency(db);
  const common = { agencyId: a.agencyId, by: a.leader };
  // done on 09/11, deadline 10/11: on time; the unit gave it to its staff member
  ids.onTime = await makeReportIncoming(db, { ...common, arrivalNumber: 1, status: 'done', arrivedAt: '2026-11-02T02:00:00Z', closedAt: '2026-11-09T03:00:00Z', deadline: '2026-11-10', lead: { unitId: a.economy, innerUserId: a.staff.id } });
  // arrived 01:00 on 01/11 in Vietnam (still 31/10 in UTC); closed 00:30 on 06/11 in Vietnam (05/11 in UTC), deadline 05/11: late
  ids.late = await makeReportIncoming(db, { ...common, arrivalNumber: 2, source: 'external', status: 'done', arrivedAt: '2026-10-31T18:00:00Z', registeredAt: '2026-10-31T18:30:00Z', closedAt: '2026-11-05T17:30:00Z', deadline: '2026-11-05', lead: { userId: a.officeStaff.id } });
  ids.overdue = await makeReportIncoming(db, { ...common, arrivalNumber: 3, status: 'in_progress', arrivedAt: '2026-11-03T02:00:00Z', deadline: '2026-11-15', lead: { unitId: a.economy } });
  ids.noDeadline = await makeReportIncoming(db, { ...common, arrivalNumber: 4, source: 'internal', status: 'assigned', arrivedAt: '2026-11-04T02:00:00Z', lead: { userId: a.staff.id } });
  ids.notYetDue = await makeReportIncoming(db, { ...common, arrivalNumber: 5, status: 'assigned', arrivedAt: '2026-11-05T02:00:00Z', deadline: '2026-11-25', lead: { unitId: a.office } });
  // arrived in October, still open and overdue: carried over into November
  ids.carried = await makeReportIncoming(db, { ...common, arrivalNumber: 90, status: 'in_progress', arrivedAt: '2026-10-10T02:00:00Z', deadline: '2026-10-20', lead: { unitId: a.economy }, secrecy: 'mat' });
  // closed in October: not November's work
  await makeReportIncoming(db, { ...common, arrivalNumber: 80, status: 'done', arrivedAt: '2026-10-01T02:00:00Z', closedAt: '2026-10-15T02:00:00Z', deadline: '2026-10-20', lead: { unitId: a.economy } });
  await makeReportIncoming(db, { ...common, source: 'external', status: 'refused', registeredAt: null, arrivedAt: '2026-11-06T02:00:00Z' });
  await makeReportIncoming(db, { ...common, status: 'received', registeredAt: null, arrivedAt: '2026-11-07T02:00:00Z' });
  await makeReportIncoming(db, { ...common, arrivalNumber: 6, status: 'recalled', arrivedAt: '2026-11-08T02:00:00Z', deadline: '2026-11-09', lead: { unitId: a.economy } });
  // another agency's overdue document: never counted here
  const stranger = (await makeUser(db, { roles: ['leader'] })).actor;
  await makeReportIncoming(db, { agencyId: stranger.agencyId, by: stranger, arrivalNumber: 1, status: 'in_progress', arrivedAt: '2026-11-02T02:00:00Z', deadline: '2026-11-03', lead: { userId: stranger.id } });
});

describe('the incoming report (báo cáo tình hình giải quyết văn bản đến)', () => {
  test("counts every number of the agency's November as of 20/11, by Vietnam days, without the other agency's document", async () => {
    const r = await incomingReport({ db: t.db, actor: a.leader, query: NOVEMBER, today: TODAY });
    expect(r.period).toEqual({ from: '2026-11-01', to: '2026-11-30', asOf: '2026-11-20' });
    expect(r.total).toEqual({
      received: 8, electronic: 3, paper: 5, registered: 6, refused: 1, carriedOver: 1, toHandle: 6, handling: 4, done: 2,
      doneOnTime: 1, doneLate: 1, overdue: 2, notYetDue: 1, noDeadline: 1, avgDays: 6,
    });
    expect(r.scope).toMatchObject({ agencyName: 'UBND xã Thử Nghiệm' });
  });

  test('groups the work by the unit in charge (a person in charge counts for their unit) and by the person in charge', async () => {
    const r = await incomingReport({ db: t.db, actor: a.clerk, query: NOVEMBER, today: TODAY });
    expect(r.byUnit.map((g) => [g.name, g.counts.received, g.counts.toHandle, g.counts.overdue, g.counts.done])).toEqual([
      ['Phòng Kinh tế', 4, 4, 2, 1], ['Văn phòng', 2, 2, 0, 1], ['Chưa giao đơn vị chủ trì', 2, 0, 0, 0],
    ]);
    const person = (id: string) => r.byPerson.find((g) => g.id === id)?.counts;
    expect(person(a.staff.id)).toMatchObject({ toHandle: 2, doneOnTime: 1, noDeadline: 1 });
    expect(person(a.officeStaff.id)).toMatchObject({ toHandle: 1, doneLate: 1 });
  });

  test('lists the people in charge in Vietnamese name order, by tên first (An, Hùng, Lan), the documents without one last', async () => {
    const p = await makeReportAgency(t.db);
    for (const fullName of ['Vũ Thị Lan', 'Đỗ Văn Hùng', 'Nguyễn Văn An']) {
      const person = (await makeUser(t.db, { agencyId: p.agencyId, unitId: p.economy, fullName })).actor;
      await makeReportIncoming(t.db, { agencyId: p.agencyId, by: p.leader, arrivalNumber: 1, status: 'assigned', arrivedAt: '2026-11-03T02:00:00Z', lead: { userId: person.id } });
    }
    await makeReportIncoming(t.db, { agencyId: p.agencyId, by: p.leader, arrivalNumber: 2, status: 'assigned', arrivedAt: '2026-11-04T02:00:00Z', lead: { unitId: p.office } });
    const r = await incomingReport({ db: t.db, actor: p.leader, query: NOVEMBER, today: TODAY });
    expect(r.byPerson.map((g) => g.name)).toEqual(['Nguyễn Văn An', 'Đỗ Văn Hùng', 'Vũ Thị Lan', 'Chưa giao người chủ trì']);
  });

  test('lists the people in charge in the agency\'s order, the Chủ tịch and the Trưởng phòng before the staff, a disabled account still named', async () => {
    const p = await makeReportAgency(t.db);
    const people: [string, string, Role[]][] = [['An Văn Chuyên', 'Chuyên viên', ['staff']], ['Vũ Văn Chủ', 'Chủ tịch', ['leader']], ['Yên Văn Trưởng', 'Trưởng phòng', ['unit_head']], ['Bạch Đã Nghỉ', 'Chuyên viên', ['staff']]];
    for (const [fullName, position, roles] of people) {
      const person = (await makeUser(t.db, { agencyId: p.agencyId, unitId: p.economy, fullName, position, roles })).actor;
      await makeReportIncoming(t.db, { agencyId: p.agencyId, by: p.leader, arrivalNumber: 1, status: 'assigned', arrivedAt: '2026-11-03T02:00:00Z', lead: { userId: person.id } });
      if (fullName === 'Bạch Đã Nghỉ') await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', person.id).execute();
    }
    const r = await incomingReport({ db: t.db, actor: p.leader, query: NOVEMBER, today: TODAY });
    expect(r.byPerson.map((g) => g.name)).toEqual(['Vũ Văn Chủ', 'Yên Văn Trưởng', 'An Văn Chuyên', 'Bạch Đã Nghỉ']);
  });

  test('lists the overdue documents for chasing, most overdue first, the Mật one without its subject', async () => {
    const r = await incomingReport({ db: t.db, actor: a.leader, query: NOVEMBER, today: TODAY });
    expect(r.overdue.map((o) => [o.id, o.arrivalNumber, o.unitName, o.deadline, o.daysOverdue])).toEqual([
      [ids.carried, 90, 'Phòng Kinh tế', '2026-10-20', 31], [ids.overdue, 3, 'Phòng Kinh tế', '2026-11-15', 5],
    ]);
    expect(r.overdue[0]).toMatchObject({ isSecret: true, label: '' });
    expect(r.overdue[0]?.subject).not.toContain('giải ngân');
    expect(r.overdue[1]?.label).toBe('15/UBND-KT — UBND huyện Thử');
    expect(r.overdue[1]?.subject).toBe('Về việc báo cáo tiến độ giải ngân');
  });

  test('a past range is judged as of its last day: what was done later was still open then', async () => {
    const r = await incomingReport({ db: t.db, actor: a.leader, query: { period: 'range', from: '2026-11-01', to: '2026-11-05' }, today: TODAY });
    expect(r.total).toMatchObject({ received: 5, toHandle: 6, done: 0, handling: 6, overdue: 1, notYetDue: 4, noDeadline: 1, avgDays: null });
    expect(r.overdue.map((o) => o.id)).toEqual([ids.carried]);
  });

  test("a unit head gets their unit's numbers, staff their own, and neither may ask for more", async () => {
    const unit = await incomingReport({ db: t.db, actor: a.head, query: NOVEMBER, today: TODAY });
    // the recalled document was received for the unit but is no longer work
    expect(unit.total).toMatchObject({ received: 4, registered: 4, toHandle: 4, overdue: 2 });
    expect(unit.scope).toMatchObject({ unitId: a.economy, unitName: 'Phòng Kinh tế' });
    const own = await incomingReport({ db: t.db, actor: a.staff, query: NOVEMBER, today: TODAY });
    expect(own.total).toMatchObject({ toHandle: 2, done: 1, overdue: 0 });
    expect(own.overdue).toEqual([]);
    await expect(incomingReport({ db: t.db, actor: a.head, query: { ...NOVEMBER, unitId: a.office }, today: TODAY })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(incomingReport({ db: t.db, actor: a.staff, query: { ...NOVEMBER, unitId: a.economy }, today: TODAY })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(incomingReport({ db: t.db, actor: a.staff, query: { ...NOVEMBER, userId: a.officeStaff.id }, today: TODAY })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test("the other agency's leader sees only their own agency", async () => {
    const stranger = (await makeUser(t.db, { roles: ['leader'] })).actor;
    const r = await incomingReport({ db: t.db, actor: stranger, query: NOVEMBER, today: TODAY });
    expect(r.total.received).toBe(0);
    await expect(incomingReport({ db: t.db, actor: stranger, query: { ...NOVEMBER, unitId: a.economy }, today: TODAY })).rejects.toMatchObject({ code: 'reports.not_found' });
  });
});

describe('the outgoing report (báo cáo tình hình giải quyết văn bản đi)', () => {
  test('counts drafts, signatures, issues by type, recalls and how external recipients handle them', async () => {
    const db = t.db;
    const o = { by: a.staff, unitId: a.economy };
    await makeReportOutgoing(db, { ...o, status: 'draft', createdAt: '2026-11-02T02:00:00Z' });
    await makeReportOutgoing(db, { ...o, status: 'in_review', createdAt: '2026-11-03T02:00:00Z' });
    const decision = await makeReportOutgoing(db, { by: a.officeStaff, unitId: a.office, status: 'issued', typeCode: 'quyet_dinh', createdAt: '2026-10-20T02:00:00Z', approvedAt: '2026-11-04T02:00:00Z', issuedAt: '2026-11-05T02:00:00Z' });
    const recalled = await makeReportOutgoing(db, { ...o, status: 'recalled', createdAt: '2026-11-01T02:00:00Z', approvedAt: '2026-11-06T02:00:00Z', issuedAt: '2026-11-06T03:00:00Z' });
    await makeReportOutgoing(db, { ...o, status: 'signed', createdAt: '2026-11-07T02:00:00Z', approvedAt: '2026-11-08T02:00:00Z' });
    await makeReportOutgoing(db, { ...o, status: 'cancelled', createdAt: '2026-11-09T02:00:00Z' });
    for (const [kind, code] of [['external', '06'], ['agency', '01'], ['external', null], ['unit', '03']] as const) await addRecipient(db, decision, kind, code);
    await addRecipient(db, recalled, 'external', '02');
    const stranger = (await makeUser(db, { roles: ['staff'] })).actor;
    await makeReportOutgoing(db, { by: stranger, status: 'issued', createdAt: '2026-11-02T02:00:00Z', approvedAt: '2026-11-03T02:00:00Z', issuedAt: '2026-11-05T02:00:00Z' });

    const r = await outgoingReport({ db, actor: a.leader, query: NOVEMBER, today: TODAY });
    expect(r.total).toEqual({ drafted: 5, drafting: 1, inReview: 1, cancelled: 1, signed: 3, issued: 2, recalled: 1, replaced: 0 });
    expect(r.issuedByType).toEqual(expect.arrayContaining([{ code: 'quyet_dinh', name: 'Quyết định', count: 1 }, { code: 'cong_van', name: 'Công văn', count: 1 }]));
    expect(r.recipients).toEqual({ total: 4, pending: 1, received: 1, registered: 0, handling: 0, done: 1, refused: 1, recall: 0 });
    expect(r.byUnit.map((g) => [g.name, g.counts.drafted, g.counts.issued])).toEqual([['Phòng Kinh tế', 5, 1], ['Văn phòng', 0, 1]]);
    const head = await outgoingReport({ db, actor: a.head, query: NOVEMBER, today: TODAY });
    expect(head.total).toMatchObject({ drafted: 5, issued: 1 });
  });
});

describe('report periods', () => {
  test('this month, this quarter and this year are Vietnam calendar periods; a range must be whole and forwards', () => {
    expect(resolvePeriod({ period: 'month' }, '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28', asOf: '2026-02-10' });
    expect(resolvePeriod({ period: 'quarter' }, '2026-11-20')).toEqual({ from: '2026-10-01', to: '2026-12-31', asOf: '2026-11-20' });
    expect(resolvePeriod({ period: 'year' }, '2026-11-20')).toMatchObject({ from: '2026-01-01', to: '2026-12-31' });
    expect(() => resolvePeriod({ period: 'range', from: '2026-11-05' }, '2026-11-20')).toThrow(expect.objectContaining({ code: 'reports.period_invalid' }));
    expect(() => resolvePeriod({ period: 'range', from: '2026-11-05', to: '2026-11-01' }, '2026-11-20')).toThrow(expect.objectContaining({ code: 'reports.period_invalid' }));
  });
});

describe('chasing an overdue document (đôn đốc)', () => {
  const notices = (incomingId: string) => t.db.selectFrom('incomingNotice').select(['userId', 'kind', 'message']).where('incomingId', '=', incomingId).execute();
  const audits = (incomingId: string) => t.db.selectFrom('auditLog').select(['type', 'actorId']).where('entityId', '=', incomingId).where('type', '=', 'REPORTS_CHASE_SENT').execute();

  test('a leader chases the person in charge: an in-app notice with the days overdue, and an audit row', async () => {
    const id = await makeReportIncoming(t.db, { agencyId: a.agencyId, by: a.leader, arrivalNumber: 201, status: 'in_progress', arrivedAt: '2026-11-02T02:00:00Z', deadline: '2026-11-12', lead: { unitId: a.economy, innerUserId: a.staff.id } });
    const sent = await chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: id, note: 'Đề nghị hoàn thành trong tuần.' }, today: TODAY });
    expect(sent).toEqual({ notified: [a.staff.fullName], daysOverdue: 8 });
    const [notice] = await notices(id);
    expect(notice).toMatchObject({ userId: a.staff.id, kind: 'overdue' });
    expect(notice?.message).toContain('quá hạn 8 ngày (hạn 12/11/2026)');
    expect(notice?.message).toContain('Đề nghị hoàn thành trong tuần.');
    expect(await audits(id)).toEqual([{ type: 'REPORTS_CHASE_SENT', actorId: a.leader.id }]);
  });

  test('the notice writes a số đến below 10 as every paper and list does, with its leading 0 («số đến 07»)', async () => {
    const id = await makeReportIncoming(t.db, { agencyId: a.agencyId, by: a.leader, arrivalNumber: 7, status: 'in_progress', arrivedAt: '2026-11-02T02:00:00Z', deadline: '2026-11-12', lead: { unitId: a.economy, innerUserId: a.staff.id } });
    await chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: id, note: '' }, today: TODAY });
    expect((await notices(id))[0]?.message).toContain('số đến 07 — 15/UBND-KT');
  });

  test('a unit without a person in charge: its head is chased; the Mật subject stays out of the notice', async () => {
    await chaseOverdue({ db: t.db, actor: a.clerk, body: { incomingId: ids.carried ?? '', note: '' }, today: TODAY });
    const list = await notices(ids.carried ?? '');
    expect(list.map((n) => n.userId)).toEqual([a.head.id]);
    expect(list[0]?.message).not.toContain('giải ngân');
    expect(list[0]?.message).not.toContain('UBND-KT');
    expect(list[0]?.message).toContain('số đến 90');
  });

  test('nobody chases a document that is not overdue, staff chase nothing, another unit head and another agency are refused', async () => {
    await expect(chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: ids.notYetDue ?? '', note: '' }, today: TODAY })).rejects.toMatchObject({ code: 'reports.not_overdue' });
    await expect(chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: ids.onTime ?? '', note: '' }, today: TODAY })).rejects.toMatchObject({ code: 'reports.not_overdue' });
    await expect(chaseOverdue({ db: t.db, actor: a.staff, body: { incomingId: ids.overdue ?? '', note: '' }, today: TODAY })).rejects.toMatchObject({ code: 'forbidden' });
    const otherHead = (await makeUser(t.db, { roles: ['unit_head'], agencyId: a.agencyId, unitId: a.office })).actor;
    await expect(chaseOverdue({ db: t.db, actor: otherHead, body: { incomingId: ids.overdue ?? '', note: '' }, today: TODAY })).rejects.toMatchObject({ code: 'forbidden' });
    const stranger = (await makeUser(t.db, { roles: ['leader'] })).actor;
    await expect(chaseOverdue({ db: t.db, actor: stranger, body: { incomingId: ids.overdue ?? '', note: '' }, today: TODAY })).rejects.toMatchObject({ code: 'reports.not_found' });
    expect(await notices(ids.overdue ?? '')).toEqual([]);
  });
});
