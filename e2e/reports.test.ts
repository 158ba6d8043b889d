import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { vietnamDay } from '../src/platform/dates.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { makeReportIncoming } from '../src/domain/reports/reports.testing.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn as signInAs } from './outgoing.helpers.ts';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe.skipIf(!needTool('chromium'))('báo cáo thống kê', () => {
  const { server, browser } = useBrowserAndServer();

  test('a leader opens the report from the menu on a phone, finds the overdue document and chases its handler, who gets the notice', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server has no database handle');
    const user = async (username: string): Promise<Actor> => {
      const u = await db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      return { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username, fullName: u.fullName, roles: u.roles as Role[] };
    };
    const [leader, staff] = [await user('lanhdao'), await user('chuyenvien')];
    // given to Phòng Tổng hợp, passed on to its staff member, due two days ago and still open
    const id = await makeReportIncoming(db, {
      agencyId: leader.agencyId, by: leader, arrivalNumber: 321, status: 'in_progress', arrivedAt: daysAgo(5).toISOString(),
      deadline: vietnamDay(daysAgo(2)), lead: { unitId: staff.unitId ?? undefined, innerUserId: staff.id },
    });
    await db.updateTable('incomingDocument').set({ subject: 'Về việc báo cáo tiến độ chuyển đổi số quý IV' }).where('id', '=', id).execute();

    const phone = await signInAs(browser(), server(), 'lanhdao', PHONE);
    await phone.getByRole('button', { name: 'Mở menu điều hướng' }).click();
    await phone.getByRole('link', { name: 'Báo cáo thống kê' }).click();
    await phone.waitForURL('**/reports');
    const overdue = phone.getByTestId('overdue-list');
    await overdue.getByText('Về việc báo cáo tiến độ chuyển đổi số quý IV').waitFor();
    expect(await overdue.innerText()).toContain('Quá 2 ngày');
    // done late reads «trễ hạn» as its column does, not «quá hạn», the word of the open overdue ones; no abbreviation a clerk must guess
    expect(await phone.getByText(/\d+ đúng hạn · \d+ trễ hạn/).count()).toBe(1);
    expect(await phone.getByRole('columnheader', { name: 'Số ngày bình quân' }).count()).toBe(2);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/reports-phone');
    // the per-unit table scrolls sideways; the unit's name stays at its left edge beside the numbers
    const name = phone.getByTestId('reports-row-name').first();
    const before = await name.boundingBox();
    const scrolled = await name.evaluate((td) => {
      let box: HTMLElement | null = td.closest('table');
      while (box && !(box.scrollWidth > box.clientWidth && /auto|scroll/.test(getComputedStyle(box).overflowX))) box = box.parentElement;
      if (!box) return 0;
      box.scrollLeft = 400;
      return box.scrollLeft;
    });
    expect(scrolled).toBeGreaterThan(100);
    await expect.poll(async () => Math.abs(((await name.boundingBox())?.x ?? 999) - (before?.x ?? 0))).toBeLessThan(2);
    await screenshot(phone, 'dev/reports-table-scrolled-phone');

    await overdue.getByRole('button', { name: 'Đôn đốc' }).first().click();
    await phone.getByLabel('Lời nhắc (không bắt buộc)').fill('Đề nghị hoàn thành trong ngày mai.');
    await phone.getByRole('button', { name: 'Gửi đôn đốc' }).click();
    await phone.getByText(`Đã gửi đôn đốc tới: ${staff.fullName}`).waitFor();
    const notice = await db.selectFrom('incomingNotice').select(['kind', 'message']).where('incomingId', '=', id).where('userId', '=', staff.id).executeTakeFirstOrThrow();
    expect(notice.kind).toBe('overdue');
    expect(notice.message).toContain('Đề nghị hoàn thành trong ngày mai.');

    const download = await phone.request.get(`${server().url}/api/reports/incoming/export?period=month&format=pdf`);
    expect([download.status(), download.headers()['content-type']]).toEqual([200, 'application/pdf']);
  });

  test('on a phone, «Khoảng ngày» says to choose both days (and when they are backwards) instead of a blank page; a chuyên viên reads their overdue documents without «cần đôn đốc» or its button', async () => {
    const phone = await signInAs(browser(), server(), 'lanhdao', PHONE);
    await phone.goto('/reports');
    await phone.getByTestId('overdue-list').waitFor();
    await phone.getByText('Khoảng ngày').click();
    const hint = phone.getByTestId('reports-range-hint');
    expect(await hint.innerText()).toBe('Chọn «Từ ngày» và «Đến ngày» để xem báo cáo.');
    expect(await phone.getByRole('link', { name: 'Tải Excel' }).count()).toBe(0);
    await phone.getByLabel('Từ ngày').fill('15/11/2026');
    await phone.getByLabel('Đến ngày').fill('01/11/2026');
    expect(await hint.innerText()).toBe('«Đến ngày» phải cùng ngày hoặc sau «Từ ngày».');
    await screenshot(phone, 'dev/reports-range-backwards-phone');
    await phone.getByLabel('Đến ngày').fill('30/11/2026');
    await phone.getByTestId('overdue-list').waitFor();
    expect(await phone.getByText('Từ 15/11/2026 đến 30/11/2026', { exact: false }).count()).toBe(1);
    expect(await phone.getByRole('link', { name: 'Tải Excel' }).getAttribute('href')).toContain('from=2026-11-15&to=2026-11-30');
    await phone.context().close();

    // the demo's chuyên viên has an overdue task: it is theirs to finish, not to chase
    const staff = await signInAs(browser(), server(), 'chuyenvien', PHONE);
    await staff.goto('/reports');
    const own = staff.getByTestId('overdue-list');
    await expect.poll(() => own.innerText()).toMatch(/^Văn bản quá hạn chưa giải quyết \(\d+\)/);
    expect(await own.innerText()).not.toContain('đôn đốc');
    expect(await own.getByRole('button', { name: 'Đôn đốc' }).count()).toBe(0);
    expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await staff.context().close();
  });
});
