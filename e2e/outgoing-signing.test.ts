import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, signIn, signInDialog } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('the leader signing on a phone', () => {
  const { server, browser } = useBrowserAndServer();

  test('a wrong PIN is called a wrong PIN (not "the PKCS#12 file\'s password"), and the right one then signs', async () => {
    const leader = await apiAs(browser(), server(), 'lanhdao');
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const id = await documentAwaitingSignature(staff, leader.userId, 'V/v thử nhập sai mã PIN');
    await Promise.all([staff.close(), leader.close()]);

    const page = await signIn(browser(), server(), 'lanhdao', PHONE);
    await page.goto(`/outgoing/${id}`);
    await page.getByRole('button', { name: 'Ký số' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Mã PIN chứng thư số').fill('000000');
    await dialog.getByRole('button', { name: 'Ký số' }).click();
    await dialog.getByText('Mã PIN không đúng. Vui lòng nhập lại.').waitFor();
    expect(await dialog.innerText()).not.toContain('PKCS#12');
    await signInDialog(page);
    await page.context().close();
  }, 120_000);

  test('«Chờ tôi ký» with nothing chosen offers «Ký văn bản đã chọn», disabled — not «Ký 0 văn bản» — and counts what is chosen', async () => {
    const leader = await apiAs(browser(), server(), 'lanhdao');
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const subject = 'V/v thử nút ký nhiều văn bản';
    await documentAwaitingSignature(staff, leader.userId, subject);
    await Promise.all([staff.close(), leader.close()]);

    const page = await signIn(browser(), server(), 'lanhdao', PHONE);
    await page.goto('/outgoing/signature');
    const button = page.getByTestId('batch-sign');
    await expect.poll(() => button.innerText()).toBe('Ký văn bản đã chọn');
    expect(await button.isDisabled()).toBe(true);
    await screenshot(page, 'batch-sign-none-390');
    await page.getByLabel(`Chọn: ${subject}`).check();
    await expect.poll(() => button.innerText()).toBe('Ký 1 văn bản');
    expect(await button.isEnabled()).toBe(true);
    await page.context().close();
  });
});
