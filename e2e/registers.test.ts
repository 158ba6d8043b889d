import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('«Sổ văn bản»: the agency admin keeps the register books', () => {
  const { server, browser } = useBrowserAndServer();

  test('the admin sees the default registers and their series, adds one for Quyết định, and is told on the field when a rename clashes', async () => {
    const page = await signIn(browser(), server(), 'quantri', PHONE);
    await page.goto(`${server().url}/admin/registers`);
    const outgoing = page.getByTestId('registers-outgoing');
    await expect.poll(() => outgoing.innerText()).toMatch(/Sổ đăng ký văn bản đi\s+Đang dùng\s+Mọi loại văn bản\s+(Số cuối năm \d{4}: \d{2}|Chưa có văn bản năm \d{4})/);
    await expect.poll(() => outgoing.innerText()).toMatch(/Sổ đăng ký văn bản đi \(Mật\)\s+Mật\s+Đang dùng/);

    await page.getByRole('button', { name: 'Thêm sổ' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Tên sổ').fill('Sổ đăng ký Quyết định');
    await dialog.getByLabel('Loại văn bản vào sổ này').fill('Quyết định');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'detached' });
    const created = outgoing.getByTestId('register-row').filter({ hasText: 'Sổ đăng ký Quyết định' });
    await expect.poll(() => created.innerText()).toMatch(/Đang dùng\s+Quyết định\s+Chưa có văn bản năm \d{4}/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'registers-390');

    await created.getByRole('button', { name: 'Sửa sổ: Sổ đăng ký Quyết định' }).click();
    await dialog.getByLabel('Tên sổ').fill('Sổ đăng ký văn bản đi');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.getByText('Đã có sổ cùng tên.').waitFor();
    await page.context().close();
  });
});
