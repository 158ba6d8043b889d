import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { notify } from '../src/domain/notices/notices.service.ts';
import { makeIncomingFor } from '../src/domain/records/records.testing.ts';
import path from 'node:path';
import { DESKTOP, PHONE, ARTIFACTS, screenshot, useBrowserAndServer, type TestServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

/** The server's database (the harness exposes it). */
function dbOf(server: TestServer) {
  if (!server.db) throw new Error('the test server exposes its database');
  return server.db;
}
const userId = async (server: TestServer, username: string) =>
  (await dbOf(server).selectFrom('appUser').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const unreadOf = async (server: TestServer, username: string) =>
  Number((await dbOf(server).selectFrom('incomingNotice').select((eb) => eb.fn.countAll().as('n'))
    .where('userId', '=', await userId(server, username)).where('readAt', 'is', null).executeTakeFirstOrThrow()).n);
/** What the incoming flow tells a user it gave documents to (the harness's demo has no documents yet): one notice per document, the newest last. */
async function assignDocuments(server: TestServer, username: string, subjects: readonly string[]) {
  const db = dbOf(server);
  const u = await db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  const actor: Actor = { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] };
  for (const [i, subject] of subjects.entries()) {
    const incomingId = await makeIncomingFor(db, actor, { subject, number: String(300 + i) });
    await notify(db, [{ userId: u.id, incomingId, kind: i === 0 ? 'overdue' : 'assigned', message: `Được giao xử lý văn bản: ${300 + i}/UBND-VP — “${subject}”` }]);
  }
}
/** The open sheet or popover as the user sees it (the viewport: a full-page shot would stretch the fixed sheet), once Mantine's 200 ms transition has ended. */
async function shootOpen(page: Page, name: string) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
const bell = (page: Page) => page.getByTestId('notice-bell');
const bellLabel = (page: Page) => bell(page).getAttribute('aria-label');

describe.skipIf(!needTool('chromium'))('the «Thông báo» bell in the header', () => {
  const { server, browser } = useBrowserAndServer();

  test('at 390 px a staff member sees their unread count on the bell, opens the notices in a sheet that fits, and one click marks a notice read and opens its document: the badge drops, and the incoming page’s card agrees', async () => {
    await assignDocuments(server(), 'chuyenvien', ['Báo cáo tình hình thực hiện dự toán ngân sách', 'Kế hoạch chuyển đổi số năm 2027', 'Lịch tiếp công dân tháng 12']);
    const unread = await unreadOf(server(), 'chuyenvien');
    expect(unread).toBe(3);

    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await expect.poll(() => bellLabel(page)).toBe(`Thông báo, ${unread} chưa đọc`);
    expect(await page.getByTestId('notice-bell').locator('..').innerText()).toContain(String(unread));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.getByText(/^Chào buổi/).waitFor();
    await screenshot(page, 'dev/notices-bell-390-closed');

    await bell(page).click();
    const panel = page.getByTestId('notices-panel');
    const items = panel.getByTestId('notice-item');
    await items.first().waitFor();
    expect(await panel.locator('[data-testid="notice-item"][data-unread]').count()).toBe(unread);
    expect(await items.first().innerText()).toMatch(/\d\d:\d\d \d\d\/\d\d\/\d{4}/);
    const box = await panel.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shootOpen(page, 'dev/notices-bell-390-open');

    const first = panel.locator('[data-testid="notice-item"][data-unread]').first();
    const message = (await first.innerText()).split('\n')[0] ?? '';
    await first.click();
    await page.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
    await expect.poll(() => bellLabel(page)).toBe(`Thông báo, ${unread - 1} chưa đọc`);
    expect(await unreadOf(server(), 'chuyenvien')).toBe(unread - 1);

    // the card on «Văn bản đến» reads the same notices: marking read there clears the bell without a reload
    await page.goto('/incoming');
    const card = page.getByTestId('incoming-notices');
    await expect.poll(() => card.locator('.mantine-Badge-root').first().textContent()).toBe(String(unread - 1));
    expect(await card.innerText()).not.toContain(message);
    await card.getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
    await expect.poll(() => bellLabel(page)).toBe('Thông báo, 0 chưa đọc');
    expect(await card.count()).toBe(0);
    await bell(page).click();
    await page.getByTestId('notices-empty').filter({ hasText: 'Không có thông báo mới' }).waitFor();
    expect(await panel.locator('[data-testid="notice-item"][data-unread]').count()).toBe(0);
    await page.context().close();
  });

  test('on a desktop the bell opens a popover; a new notice shows when the window comes back; «Đánh dấu tất cả đã đọc» clears the badge; past 99 the badge says 99+; a backup warning opens «Sao lưu dữ liệu»', async () => {
    await assignDocuments(server(), 'lanhdao', ['Đề nghị thẩm định dự án đê điều', 'Kết luận của Chủ tịch tại cuộc họp giao ban']);
    const page = await signIn(browser(), server(), 'lanhdao', DESKTOP);
    const unread = await unreadOf(server(), 'lanhdao');
    await expect.poll(() => bellLabel(page)).toBe(`Thông báo, ${unread} chưa đọc`);
    await page.getByText(/^Chào buổi/).waitFor();
    await screenshot(page, 'dev/notices-bell-desktop-closed');

    // a notice written while the page is open: the badge asks again when the user comes back to the window
    const incomingId = (await dbOf(server()).selectFrom('incomingNotice').select('incomingId').where('userId', '=', await userId(server(), 'lanhdao'))
      .where('incomingId', 'is not', null).executeTakeFirstOrThrow()).incomingId;
    await notify(dbOf(server()), [{ userId: await userId(server(), 'lanhdao'), incomingId, kind: 'reminder', message: 'Nhắc việc: văn bản sắp đến hạn xử lý' }]);
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => bellLabel(page)).toBe(`Thông báo, ${unread + 1} chưa đọc`);

    await bell(page).click();
    const panel = page.getByTestId('notices-panel');
    await panel.getByText('Nhắc việc: văn bản sắp đến hạn xử lý').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(1);
    await shootOpen(page, 'dev/notices-bell-desktop-open');
    await panel.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }).click();
    await expect.poll(() => bellLabel(page)).toBe('Thông báo, 0 chưa đọc');
    await panel.getByText('Không có thông báo mới').waitFor();
    expect(await unreadOf(server(), 'lanhdao')).toBe(0);
    await page.context().close();

    const admin = await userId(server(), 'quantri');
    await notify(dbOf(server()), Array.from({ length: 120 }, (_, i) => ({ userId: admin, kind: 'backup_failed', message: `Sao lưu dữ liệu thất bại lần ${i + 1}` })));
    const phone = await signIn(browser(), server(), 'quantri', PHONE);
    await expect.poll(() => bellLabel(phone)).toBe('Thông báo, 120 chưa đọc');
    expect(await bell(phone).locator('..').innerText()).toContain('99+');
    await phone.getByText(/^Chào buổi/).waitFor();
    await screenshot(phone, 'dev/notices-bell-390-99plus');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await bell(phone).click();
    await phone.getByTestId('notices-panel').getByText('Sao lưu dữ liệu thất bại lần 120').click();
    await phone.waitForURL(/\/admin\/backups$/);
    await expect.poll(() => bellLabel(phone)).toBe('Thông báo, 119 chưa đọc');
    await phone.context().close();
  });
});
