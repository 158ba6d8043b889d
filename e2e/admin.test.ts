import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { DEMO_PASSWORD, DESKTOP, openPage, PHONE, screenshot, submitLogin, useBrowserAndServer } from './harness.ts';
import { apiAs, signIn } from './outgoing.helpers.ts';
import { ZAuditEvent } from '../src/platform/audit/events.ts';
import { vi } from '../web/src/i18n/vi.ts';
import { featuresVi } from '../web/src/i18n/features.ts';

test('the audit log names every kind of event in Vietnamese, never by its code (CERTIFICATE_CREATED, ARCHIVE_TIMESTAMP_ADDED…)', () => {
  const types = ZAuditEvent.options.flatMap((o) => ('options' in o.shape.type ? o.shape.type.options : [...o.shape.type.values]));
  expect(types.length).toBeGreaterThan(60);
  const names: Record<string, string> = { ...vi, ...featuresVi };
  expect(types.filter((type) => !names[`auditEvent.${type}`])).toEqual([]);
});


describe.skipIf(!needTool('chromium'))('administration and the phone layout in the browser', () => {
  const running = useBrowserAndServer();

  test('an admin creates a unit and a user in it, and that user then logs in and is asked to change the initial password', async () => {
    const admin = await openPage(running.browser(), running.server());
    const page = admin.page;
    await submitLogin(page, 'quantri', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Đơn vị', exact: true }).click();
    await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
    const unitDialog = page.getByRole('dialog');
    await unitDialog.getByLabel(/^Tên đơn vị/).fill('Phòng Cải cách hành chính');
    await unitDialog.getByLabel(/^Chữ viết tắt/).fill('CCHC');
    await unitDialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByTestId('unit-row').filter({ hasText: 'Phòng Cải cách hành chính' }).waitFor();

    await page.getByRole('link', { name: 'Người dùng', exact: true }).click();
    await page.getByRole('button', { name: 'Thêm người dùng' }).click();
    const userDialog = page.getByRole('dialog');
    await userDialog.getByLabel(/^Tên đăng nhập/).fill('cchc.chuyenvien');
    await userDialog.getByLabel(/^Họ và tên/).fill('Lương Thị Bích');
    await userDialog.getByLabel(/^Chức vụ/).fill('Chuyên viên');
    await userDialog.getByLabel(/^Đơn vị/).click();
    await page.getByRole('option', { name: 'Phòng Cải cách hành chính' }).click();
    await userDialog.getByRole('checkbox', { name: 'Chuyên viên' }).check();
    await userDialog.getByLabel(/^Mật khẩu ban đầu/).fill('BanDau.2026');
    await userDialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByTestId('user-row').filter({ hasText: 'Lương Thị Bích' }).waitFor();
    expect(await page.getByTestId('user-row').filter({ hasText: 'Lương Thị Bích' }).innerText()).toContain('Phòng Cải cách hành chính');
    await admin.context.close();

    const { context, page: newcomer } = await openPage(running.browser(), running.server());
    await submitLogin(newcomer, 'cchc.chuyenvien', 'BanDau.2026');
    await newcomer.getByRole('heading', { name: 'Đổi mật khẩu trước khi tiếp tục' }).waitFor();
    await newcomer.getByLabel(/^Mật khẩu hiện tại/).fill('BanDau.2026');
    await newcomer.getByLabel(/^Mật khẩu mới/).fill('Bich.Rieng-2026');
    await newcomer.getByLabel(/^Nhập lại mật khẩu mới/).fill('Bich.Rieng-2026');
    await newcomer.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await newcomer.getByRole('heading', { name: /Lương Thị Bích/ }).waitFor();
    expect(await newcomer.getByText('Phòng Cải cách hành chính').first().isVisible()).toBe(true);
    await context.close();
  });

  test('a leader who belongs to no unit reads «Chủ tịch» in the users list, on a phone and on a wide screen, not «— · Chủ tịch»', async () => {
    const admin = await apiAs(running.browser(), running.server(), 'quantri');
    await admin.post('/api/users', { username: 'ct.khongdonvi', fullName: 'Đinh Văn Hải', email: '', position: 'Chủ tịch', unitId: null, roles: ['leader'], password: 'BanDau.2026', mustChangePassword: true });
    await admin.close();
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await signIn(running.browser(), running.server(), 'quantri', viewport);
      await page.goto(`${running.server().url}/admin/users`);
      await page.getByPlaceholder('Tìm theo họ tên, tên đăng nhập, email').fill('ct.khongdonvi');
      const place = viewport === PHONE ? page.getByText(/Chủ tịch$/).filter({ visible: true }).first() : page.getByTestId('user-row').filter({ hasText: 'Đinh Văn Hải' }).locator('td').nth(1);
      await expect.poll(() => place.innerText()).toBe('Chủ tịch');
      await page.context().close();
    }
  });

  test('deleting a unit that still has users shows the server refusal and keeps the unit', async () => {
    const { context, page } = await openPage(running.browser(), running.server());
    await submitLogin(page, 'quantri', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Đơn vị', exact: true }).click();
    await page.getByRole('button', { name: 'Thao tác: Phòng Tổng hợp' }).click();
    await page.getByRole('menuitem', { name: 'Xóa' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Xóa' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Không xóa được đơn vị còn người dùng hoặc đơn vị con.' }).waitFor();
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    expect(await page.getByTestId('unit-row').filter({ hasText: 'Phòng Tổng hợp' }).count()).toBe(1);
    await context.close();
  });

  test('the dashboard fits a 390×844 phone without horizontal scroll, and the burger opens the navigation', async () => {
    const { context, page } = await openPage(running.browser(), running.server(), PHONE);
    await submitLogin(page, 'quantri', DEMO_PASSWORD);
    await page.getByRole('heading', { name: /Vũ Đức Anh/ }).waitFor();
    await page.getByTestId('stat-users').waitFor();
    await screenshot(page, 'dashboard-390x844');
    const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
    expect(scrollWidth).toBeLessThanOrEqual(390);

    const usersLink = page.getByRole('link', { name: 'Người dùng', exact: true });
    const leftEdge = async () => (await usersLink.boundingBox())?.x ?? -1;
    expect(await leftEdge()).toBeLessThan(0); // the navbar is off-screen until the burger opens it
    await page.getByRole('button', { name: 'Mở menu điều hướng' }).click();
    await expect.poll(leftEdge, { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
    await usersLink.click();
    await page.getByRole('heading', { name: 'Người dùng' }).waitFor();
    await expect.poll(leftEdge, { timeout: 5_000 }).toBeLessThan(0); // navigating closes the drawer again (it slides out)

    // The audit log on a phone: one card per event, its kind in words, no table to scroll sideways.
    await page.getByRole('button', { name: 'Mở menu điều hướng' }).click();
    await page.getByRole('link', { name: 'Nhật ký hệ thống' }).click();
    const signIn = page.getByTestId('audit-event').filter({ hasText: 'Đăng nhập' }).first();
    await signIn.waitFor();
    expect(await signIn.innerText()).toContain('Tài khoản');
    expect(await page.getByRole('table').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(390);
    await screenshot(page, 'audit-390x844');

    // Beyond the many sign-ins: only what was done to units, then only what one person did.
    await page.getByRole('combobox', { name: 'Mọi loại đối tượng' }).click();
    await page.getByRole('option', { name: 'Đơn vị' }).click();
    await expect.poll(async () => (await page.getByTestId('audit-event').allInnerTexts()).every((text) => text.includes('Đơn vị'))).toBe(true);
    await page.reload();
    await page.getByLabel('Người thực hiện (tên đăng nhập)').fill('khong-co-ai');
    await page.getByText('Không có sự kiện nào khớp với bộ lọc.').waitFor();
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
