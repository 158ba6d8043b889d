import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, signIn as signInAs } from './outgoing.helpers.ts';

/** The columns of the «Hồ sơ» table, in order (reports-records.tsx). */
const COLUMNS = ['files', 'open', 'closed', 'handedOver', 'handOverDue', 'handOverOverdue', 'permanent', 'limited', 'adHoc', 'documents', 'pages'] as const;
type Counts = Record<(typeof COLUMNS)[number], number>;
type Report = { year: number; total: Counts; byUnit: { id: string | null; name: string; counts: Counts; people: { id: string; name: string; counts: Counts }[] }[] };

const row = (name: string, c: Counts) => [name, ...COLUMNS.map((k) => String(c[k]))];
/** The report's table as the page shows it: one array of cell texts a row. */
const tableOf = (page: Page) => page.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent?.trim() ?? '')));
const personOf = (r: Report, unit: string, name: string) => r.byUnit.find((u) => u.name === unit)?.people.find((p) => p.name === name)?.counts.files ?? 0;

describe.skipIf(!needTool('chromium'))('the «Hồ sơ» tab of Báo cáo thống kê', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));

  test('the clerk sees this year\'s files per unit and person with the total, opens a person\'s files and one of them, and downloads the table as XLSX; staff are not offered it', async () => {
    const clerkApi = await apiAs(browser(), server(), 'vanthu');
    const before = await clerkApi.get<Report>(`/api/reports/records?year=${year}`);
    // two files opened in two units: the staff member's in Phòng Tổng hợp, the leader's in Văn phòng
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const staffFile = await staff.post<{ id: string }>('/api/records/files', { notation: '31.TH', title: 'Hồ sơ theo dõi thực hiện Đề án 06 năm 2026', retention: 'permanent' });
    const leader = await apiAs(browser(), server(), 'lanhdao');
    await leader.post('/api/records/files', { notation: '05.VP', title: 'Hồ sơ chỉ đạo điều hành của Chủ tịch năm 2026', retention: '10' });
    const after = await clerkApi.get<Report>(`/api/reports/records?year=${year}`);
    await Promise.all([staff.close(), leader.close(), clerkApi.close()]);
    expect(after.total.files).toBe(before.total.files + 2);
    expect(after.total.adHoc).toBe(before.total.adHoc + 2);
    expect(personOf(after, 'Phòng Tổng hợp', 'Hoàng Văn Nam')).toBe(personOf(before, 'Phòng Tổng hợp', 'Hoàng Văn Nam') + 1);
    expect(personOf(after, 'Văn phòng', 'Trần Văn Minh')).toBe(personOf(before, 'Văn phòng', 'Trần Văn Minh') + 1);

    const clerk = await signIn('vanthu', DESKTOP);
    await clerk.goto('/reports?tab=records');
    expect(await clerk.getByRole('tab', { name: 'Hồ sơ' }).getAttribute('aria-selected')).toBe('true');
    await clerk.getByText(`Hồ sơ năm ${year} · `).waitFor();
    // every unit, then each of its people, then «Tổng cộng», with the counts the server gives
    const expected = [...after.byUnit.flatMap((u) => [row(u.name, u.counts), ...u.people.map((p) => row(p.name, p.counts))]), row('Tổng cộng', after.total)];
    await expect.poll(() => tableOf(clerk)).toEqual(expected);
    expect(expected.map((r) => r[0])).toEqual(expect.arrayContaining(['Phòng Tổng hợp', 'Hoàng Văn Nam', 'Văn phòng', 'Trần Văn Minh']));
    await screenshot(clerk, 'reports-records-1280');

    await clerk.getByRole('button', { name: 'Hoàng Văn Nam' }).click();
    const dialog = clerk.getByRole('dialog', { name: `Hồ sơ do Hoàng Văn Nam lập năm ${year}` });
    const link = dialog.getByRole('link', { name: '31.TH — Hồ sơ theo dõi thực hiện Đề án 06 năm 2026' });
    expect(await link.getAttribute('href')).toBe(`/records/${staffFile.id}`);
    // each file of the person opens its own page
    const hrefs = await dialog.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toHaveLength(personOf(after, 'Phòng Tổng hợp', 'Hoàng Văn Nam'));
    for (const href of hrefs) expect(href).toMatch(/^\/records\/[0-9a-f-]{36}$/);
    await screenshot(clerk, 'reports-records-person-1280');
    await link.click();
    await clerk.waitForURL(`**/records/${staffFile.id}`);
    await expect.poll(() => clerk.getByRole('heading', { level: 2 }).innerText()).toBe('31.TH — Hồ sơ theo dõi thực hiện Đề án 06 năm 2026');

    // «Tải Excel» answers the spreadsheet
    await clerk.goto('/reports?tab=records');
    const xlsxHref = await clerk.getByRole('link', { name: 'Tải Excel' }).getAttribute('href');
    expect(xlsxHref).toBe(`/api/reports/records/export?year=${year}&format=xlsx`);
    const xlsx = await clerk.request.get(xlsxHref ?? '');
    expect([xlsx.status(), xlsx.headers()['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    await clerk.context().close();

    // on a phone the table scrolls inside its card, not the page
    const phone = await signIn('vanthu', PHONE);
    await phone.goto('/reports?tab=records');
    await expect.poll(() => tableOf(phone)).toEqual(expected);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'reports-records-390');
    await phone.context().close();

    // a staff member counts no one's files: no «Hồ sơ» tab, and the API refuses
    const staffPage = await signIn('chuyenvien', PHONE);
    await staffPage.goto('/reports?tab=records');
    await expect.poll(() => staffPage.getByRole('tab', { selected: true }).innerText()).toBe('Văn bản đến');
    expect(await staffPage.getByRole('tab', { name: 'Hồ sơ' }).count()).toBe(0);
    await screenshot(staffPage, 'reports-records-staff-390');
    for (const url of [`/api/reports/records?year=${year}`, `/api/reports/records/export?year=${year}&format=xlsx`]) {
      const refused = await staffPage.request.get(url);
      expect(refused.status(), url).toBe(403);
    }
    await staffPage.context().close();
  });
});
