import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('the agency admin\'s home page: «Chuẩn bị đưa vào sử dụng»', () => {
  const { server, browser } = useBrowserAndServer();

  test('a department admin sees what is left to do on a phone, opens the screen of a step from it, does it, and finds it ticked; a clerk sees no such card', async () => {
    const admin = await signIn(browser(), server(), 'snv.quantri', PHONE);
    const card = admin.getByTestId('setup-checklist');
    await card.waitFor();
    const info = card.getByTestId('setup-agency_info');
    expect(await info.getAttribute('data-done')).toBe('false');
    expect(await info.innerText()).toMatch(/Kiểm tra địa danh và cơ quan chủ quản[\s\S]*Chưa xong[\s\S]*Địa danh: Thái Hòa/);
    expect(await card.getByTestId('setup-units').getAttribute('data-done')).toBe('true');
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(admin, 'setup-checklist-390');

    await info.getByRole('link', { name: 'Mở «Đơn vị»' }).click();
    await admin.waitForURL((u) => u.pathname === '/admin/units');
    await admin.getByRole('button', { name: 'Thông tin cơ quan' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.goto(`${server().url}/`);
    await admin.getByRole('heading', { level: 2 }).waitFor();
    // ticked, or the whole card gone when that was the last step
    await expect.poll(async () => (await card.count()) === 0 || (await info.getAttribute('data-done')) === 'true').toBe(true);
    await admin.context().close();

    const clerk = await signIn(browser(), server(), 'snv.vanthu', PHONE);
    await clerk.getByRole('heading', { level: 2 }).waitFor();
    await clerk.waitForLoadState('networkidle');
    expect(await clerk.getByTestId('setup-checklist').count()).toBe(0);
    await clerk.context().close();
  }, 90_000);
});
