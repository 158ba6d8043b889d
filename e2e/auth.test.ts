import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { DEMO_PASSWORD, openPage, submitLogin, useBrowserAndServer } from './harness.ts';

describe.skipIf(!needTool('chromium'))('signing in and out in the browser', () => {
  const running = useBrowserAndServer();

  test('the demo clerk logs in, changes the password, logs out, and can log in with the new password but not the old one', async () => {
    const { context, page } = await openPage(running.browser(), running.server());
    await submitLogin(page, 'vanthu', DEMO_PASSWORD);
    await page.getByRole('heading', { name: /Nguyễn Thị Hoa/ }).waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Hồ sơ cá nhân' }).click();
    await page.getByLabel(/^Mật khẩu hiện tại/).fill(DEMO_PASSWORD);
    await page.getByLabel(/^Mật khẩu mới/).fill('Hoa.Moi-2026');
    await page.getByLabel(/^Nhập lại mật khẩu mới/).fill('Hoa.Moi-2026');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByText('Đã đổi mật khẩu.').waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/login');

    await submitLogin(page, 'vanthu', DEMO_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await submitLogin(page, 'vanthu', 'Hoa.Moi-2026');
    await page.getByRole('heading', { name: /Nguyễn Thị Hoa/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  test('a wrong password shows the Vietnamese error, and an unknown route inside the app shows a not-found page', async () => {
    const { context, page } = await openPage(running.browser(), running.server());
    await submitLogin(page, 'chuyenvien', 'sai-mat-khau');
    const alert = page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
    await alert.waitFor();
    expect(await page.getByLabel('Tên đăng nhập hoặc email').inputValue()).toBe('chuyenvien');

    await submitLogin(page, 'chuyenvien', DEMO_PASSWORD);
    await page.getByRole('heading', { name: /Hoàng Văn Nam/ }).waitFor();
    await page.goto('/ho-so/khong-ton-tai');
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    expect(await page.getByRole('link', { name: 'Về trang tổng quan' }).isVisible()).toBe(true);
    // still inside the app shell, with the agency in the header
    expect(await page.getByText('Ủy ban nhân dân tỉnh Thái Hòa').first().isVisible()).toBe(true);
    await context.close();
  });
});
