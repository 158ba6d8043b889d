import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { makeIncomingFor } from '../src/domain/records/records.testing.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

type User = { id: string; username: string; roles: string[] };

describe.skipIf(!needTool('chromium'))('changes of access and print copies, as the agency\'s people meet them', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string) => signInAs(browser(), server(), login, PHONE);

  test('the administrator makes a chuyên viên a clerk; the leader is warned on the home page and confirms it, and the warning goes (ND 30 Phụ lục VI III.3.c)', async () => {
    const admin = await apiAs(browser(), server(), 'quantri');
    const [staff] = await admin.get<User[]>('/api/users?search=chuyenvien');
    await admin.patch(`/api/users/${staff!.id}`, { roles: ['staff', 'clerk'] });
    await admin.close();

    const leader = await signIn('lanhdao');
    const tile = leader.getByTestId('access-changes-count');
    await expect.poll(() => tile.innerText()).toMatch(/^Thay đổi quyền chờ xác nhận\s+1$/);
    await screenshot(leader, 'access-changes-home-390');
    await tile.click();
    await leader.waitForURL('**/admin/access-changes');
    const card = leader.getByTestId('access-change');
    await expect.poll(() => card.innerText()).toMatch(/Trước: Chuyên viên · .+ · Được đăng nhập\s+Sau: Văn thư, Chuyên viên/);
    expect(await leader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(leader, 'access-changes-page-390');
    await card.getByRole('button', { name: 'Xác nhận' }).click();
    await leader.getByText('Không có thay đổi quyền nào chờ xác nhận.').waitFor();
    await leader.getByRole('tab', { name: 'Gần đây' }).click();
    await expect.poll(() => card.innerText()).toMatch(/Trần Văn Minh đã xác nhận lúc \d\d\/\d\d\/\d{4}/);
    await leader.goto(`${server().url}/`);
    await leader.getByRole('heading', { level: 2 }).waitFor();
    await leader.waitForLoadState('networkidle');
    expect(await tile.count()).toBe(0);
    await leader.context().close();
  });

  test('on the first day the administrator creates accounts; the leader confirms them all at once with «Xác nhận tất cả (N)», after a dialog naming them, and the warning goes', async () => {
    const admin = await apiAs(browser(), server(), 'quantri');
    const names = ['Nguyễn Thị Hạnh', 'Lê Văn Đức', 'Phạm Thị Thúy'];
    for (const [i, fullName] of names.entries()) {
      await admin.post('/api/users', { username: `ngaydau.${i}`, fullName, roles: ['staff'], password: 'BanDau@2026' });
    }
    await admin.close();

    const leader = await signIn('lanhdao');
    const tile = leader.getByTestId('access-changes-count');
    await expect.poll(() => tile.innerText()).toMatch(/^Thay đổi quyền chờ xác nhận\s+\d+$/);
    const count = Number((await tile.innerText()).match(/(\d+)$/)![1]);
    expect(count).toBeGreaterThanOrEqual(3);
    await tile.click();
    await leader.waitForURL('**/admin/access-changes');
    await expect.poll(() => leader.getByTestId('access-change').count()).toBe(count);
    const confirmAll = leader.getByTestId('confirm-all');
    expect(await confirmAll.innerText()).toBe(`Xác nhận tất cả (${count})`);
    expect(await leader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(leader, 'access-changes-confirm-all-390');

    await confirmAll.click();
    const dialog = leader.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').innerText()).toBe(`Xác nhận ${count} thay đổi quyền truy cập`);
    const list = await dialog.getByTestId('confirm-all-list').innerText();
    for (const name of names) expect(list).toMatch(new RegExp(`${name}\\s+Tài khoản mới: Chuyên viên · \\(không thuộc đơn vị\\) · Được đăng nhập`));
    await screenshot(leader, 'access-changes-confirm-all-dialog-390');
    await dialog.getByRole('button', { name: `Xác nhận tất cả (${count})` }).click();
    await leader.getByText(`Đã xác nhận ${count} thay đổi quyền.`).waitFor();
    await leader.getByText('Không có thay đổi quyền nào chờ xác nhận.').waitFor();
    expect(await confirmAll.count()).toBe(0);

    await leader.goto(`${server().url}/`);
    await leader.getByRole('heading', { level: 2 }).waitFor();
    await leader.waitForLoadState('networkidle');
    expect(await tile.count()).toBe(0);
    await leader.context().close();
  });

  test('«In» on an issued document gives a copy marked with who printed it and when, and its access history counts it', async () => {
    const id = await issuedToDepartment(browser(), server(), 'V/v in văn bản từ hệ thống');
    const page = await signIn('vanthu');
    await page.goto(`${server().url}/outgoing/${id}`);
    const print = page.getByRole('link', { name: 'In (bản in ghi người in và thời gian)' });
    const href = await print.getAttribute('href');
    expect(href).toMatch(/\/files\/[0-9a-f-]+\?print=1$/);
    const copy = await page.request.get(href!);
    expect([copy.status(), copy.headers()['content-type']]).toEqual([200, 'application/pdf']);
    await page.reload();
    await expect.poll(() => page.getByTestId('access-counts').innerText()).toMatch(/· 1 lượt in$/);
    await page.getByTestId('access-history').scrollIntoViewIfNeeded();
    await screenshot(page, 'access-history-print-390');
    await page.context().close();
  });

  test('the head of unit handling an incoming document does not ask for its access history (no 403 in the console); the leader sees it', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    // not the chuyên viên: the first test made them a clerk, who may see it
    const u = await db.selectFrom('appUser').selectAll().where('username', '=', 'truongphong').executeTakeFirstOrThrow();
    const handler: Actor = { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] };
    const id = await makeIncomingFor(db, handler, { subject: 'Về việc ai xem được lịch sử truy cập' });

    const page = await signIn('truongphong');
    const asked: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/access/')) asked.push(r.url()); });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server().url}/incoming/${id}`);
    await page.getByText('Về việc ai xem được lịch sử truy cập').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect([asked, errors, await page.getByTestId('access-history').count()]).toEqual([[], [], 0]);
    await page.context().close();

    const leader = await signIn('lanhdao');
    await leader.goto(`${server().url}/incoming/${id}`);
    await expect.poll(() => leader.getByTestId('access-counts').innerText()).toMatch(/^Đã xem \d+ lượt/);
    await leader.context().close();
  });
});
