import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn as signInAs } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))("the agency admin's exchange axis connection page", () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('the admin connects the agency to an axis (the secret is never shown back), is told what is wrong with a bad address or a short secret, and can turn it off; a clerk has no such page', async () => {
    const admin = await signIn('quantri');
    await admin.getByRole('link', { name: 'Kết nối trục liên thông' }).click();
    await admin.waitForURL('**/admin/exchange');
    await admin.getByText('Cơ quan chưa kết nối trục liên thông').waitFor();

    await admin.getByLabel('Địa chỉ trục').fill('ftp://truc.example');
    await admin.getByLabel('Mã hệ thống trên trục').fill('000.00.00.H99');
    await admin.getByLabel('Khóa bí mật').fill('ngan');
    await admin.getByRole('button', { name: 'Lưu kết nối' }).click();
    await admin.getByText('Địa chỉ phải bắt đầu bằng http:// hoặc https://.').waitFor();
    await admin.getByText('Khóa bí mật có ít nhất 8 ký tự.').waitFor();

    await admin.getByLabel('Địa chỉ trục').fill('http://127.0.0.1:9/vxp/');
    await admin.getByLabel('Khóa bí mật').fill('khoa-bi-mat-cua-truc');
    await admin.getByRole('button', { name: 'Lưu kết nối' }).click();
    await admin.getByText('Đã lưu kết nối trục liên thông').waitFor();
    const current = admin.getByTestId('exchange-connection');
    await expect.poll(() => current.innerText()).toContain('http://127.0.0.1:9/vxp');
    expect(await current.innerText()).toMatch(/đang bật/i);
    expect(await admin.getByLabel('Khóa bí mật').inputValue()).toBe('');
    expect(await admin.content()).not.toContain('khoa-bi-mat-cua-truc');
    await screenshot(admin, 'dev/exchange-connection-desktop');

    // Turned off: saved with the secret entered again.
    await admin.getByLabel('Bật gửi, nhận qua trục').uncheck();
    await admin.getByLabel('Khóa bí mật').fill('khoa-bi-mat-cua-truc');
    await admin.getByRole('button', { name: 'Lưu kết nối' }).click();
    await expect.poll(() => current.innerText()).toMatch(/đang tắt/i);

    const phone = await signIn('quantri', PHONE);
    await phone.goto('/admin/exchange');
    await phone.getByTestId('exchange-connection').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/exchange-connection-phone');

    const clerk = await signIn('vanthu');
    await clerk.getByRole('link', { name: 'Gửi qua trục liên thông' }).waitFor();
    expect(await clerk.getByRole('link', { name: 'Kết nối trục liên thông' }).count()).toBe(0);
  });
});
