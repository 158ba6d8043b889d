import { beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { recordsReport, recordsReportFiles, type RecordsCounts } from './reports-records.service.ts';
import { recordsReportSheets } from './reports-records.export.ts';
import { makeRecordsReportAgency, makeReportFile, THIS_YEAR } from './reports-records.testing.ts';
import { makeReportAgency } from './reports.testing.ts';
import { makeUser } from '../../test/factories.ts';

const t = useTestDb();
let a: Awaited<ReturnType<typeof makeRecordsReportAgency>>;

beforeAll(async () => {
  a = await makeRecordsReportAgency(t.db);
});

const counts = (o: Partial<RecordsCounts>): RecordsCounts => ({
  files: 0, open: 0, closed: 0, handedOver: 0, handOverDue: 0, handOverOverdue: 0, permanent: 0, limited: 0, adHoc: 0, documents: 0, pages: 0, ...o,
});
const ECONOMY = counts({ files: 3, open: 1, closed: 2, handOverDue: 2, handOverOverdue: 1, permanent: 1, limited: 2, adHoc: 2, documents: 5, pages: 14 });

describe('the work files report (thống kê hồ sơ, ND 30 Phụ lục VI III.4.đ, III.6.a)', () => {
  test("counts every number of the agency's files of the year, per unit and per person who keeps them, without last year's or another agency's files", async () => {
    const r = await recordsReport({ db: t.db, actor: a.clerk, query: { year: THIS_YEAR } });
    expect(r.year).toBe(THIS_YEAR);
    expect(r.total).toEqual(counts({ files: 5, open: 2, closed: 2, handedOver: 1, handOverDue: 2, handOverOverdue: 1, permanent: 2, limited: 3, adHoc: 4, documents: 6, pages: 21 }));
    expect(r.byUnit.map((u) => [u.name, u.counts])).toEqual([
      ['Phòng Kinh tế', ECONOMY],
      ['Văn phòng', counts({ files: 2, open: 1, handedOver: 1, permanent: 1, limited: 1, adHoc: 2, documents: 1, pages: 7 })],
    ]);
    const people = Object.fromEntries(r.byUnit[0]?.people.map((p) => [p.id, p.counts]) ?? []);
    expect(people).toEqual({
      [a.staff.id]: counts({ files: 2, open: 1, closed: 1, handOverDue: 1, handOverOverdue: 1, permanent: 1, limited: 1, adHoc: 1, documents: 3, pages: 8 }),
      [a.head.id]: counts({ files: 1, closed: 1, handOverDue: 1, limited: 1, adHoc: 1, documents: 2, pages: 6 }),
    });
    expect(r.scope).toMatchObject({ agencyName: 'UBND xã Thử Nghiệm' });
  });

  test('lists the people of a unit in Vietnamese name order, by tên first (An, Hùng, Lan), and so do its XLSX and PDF table', async () => {
    const p = await makeReportAgency(t.db);
    for (const [i, fullName] of ['Vũ Thị Lan', 'Đỗ Văn Hùng', 'Nguyễn Văn An'].entries()) {
      const keeper = (await makeUser(t.db, { agencyId: p.agencyId, unitId: p.economy, fullName })).actor;
      await makeReportFile(t.db, p.clerk, keeper, { notation: `KT.0${i + 1}` });
    }
    const r = await recordsReport({ db: t.db, actor: p.clerk, query: { year: THIS_YEAR } });
    expect(r.byUnit[0]?.people.map((person) => person.name)).toEqual(['Nguyễn Văn An', 'Đỗ Văn Hùng', 'Vũ Thị Lan']);
    expect(recordsReportSheets(r)[0]?.rows.map((row) => row[0])).toEqual(['Phòng Kinh tế', '   — Nguyễn Văn An', '   — Đỗ Văn Hùng', '   — Vũ Thị Lan', 'Tổng cộng']);
  });

  test("last year's report counts last year's planned file only", async () => {
    const r = await recordsReport({ db: t.db, actor: a.leader, query: { year: THIS_YEAR - 1 } });
    expect(r.total).toEqual(counts({ files: 1, open: 1, limited: 1, documents: 1, pages: 9 }));
  });

  test('the archivist reads the whole agency; a unit head reads their unit by default', async () => {
    expect((await recordsReport({ db: t.db, actor: a.archivist, query: {} })).total.files).toBe(5);
    const head = await recordsReport({ db: t.db, actor: a.head, query: {} });
    expect([head.scope.unitName, head.total, head.byUnit.map((u) => u.name)]).toEqual(['Phòng Kinh tế', ECONOMY, ['Phòng Kinh tế']]);
  });

  test('lists the files one account opened in the year, with their documents, pages and hand-over state (III.4.đ)', async () => {
    const r = await recordsReportFiles({ db: t.db, actor: a.leader, query: { userId: a.staff.id } });
    expect(r.user.name).toBe(a.staff.fullName);
    expect(r.files.map((f) => [f.notation, f.status, f.isAdHoc, f.documents, f.pages, f.handOverState])).toEqual([
      ['KT.01', 'open', true, 2, 3, null], ['KT.02', 'closed', false, 1, 5, 'overdue'],
    ]);
    expect(r.total).toMatchObject({ files: 2, documents: 3, pages: 8 });
  });

  test("staff and admins are refused the report and the list; a unit head another unit's; another agency's unit is not found", async () => {
    for (const actor of [a.staff, a.admin]) {
      await expect(recordsReport({ db: t.db, actor, query: {} })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(recordsReport({ db: t.db, actor, query: { unitId: actor.unitId ?? a.economy } })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(recordsReportFiles({ db: t.db, actor, query: { userId: a.staff.id } })).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(recordsReport({ db: t.db, actor: a.head, query: { unitId: a.office } })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(recordsReport({ db: t.db, actor: a.stranger.leader, query: { unitId: a.economy } })).rejects.toMatchObject({ code: 'reports.not_found' });
    await expect(recordsReportFiles({ db: t.db, actor: a.stranger.leader, query: { userId: a.staff.id } })).rejects.toMatchObject({ code: 'reports.not_found' });
  });

  test("a unit head's list of a person holds only the files of their unit", async () => {
    const r = await recordsReportFiles({ db: t.db, actor: a.head, query: { userId: a.officeStaff.id } });
    expect(r.files).toEqual([]);
  });
});
