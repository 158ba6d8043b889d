import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { issuedToDepartment, PROVINCE_CODE, signIn as signInAs, SNV_SENDER } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium', 'pdftotext'))('the words of an electronic incoming document', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('a document the Sở Nội vụ issues to the province has its text read for search: its page says so, and the search finds it by a phrase of its body', async () => {
    const subject = 'V/v rà soát vị trí việc làm công chức năm 2026';
    await issuedToDepartment(browser(), server(), subject, PROVINCE_CODE, SNV_SENDER);

    const clerk = await signIn('vanthu', PHONE);
    await clerk.goto('/incoming?box=intake');
    await clerk.getByTestId('incoming-list').getByText(subject).click();
    await clerk.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
    const incomingUrl = new URL(clerk.url()).pathname;
    // the page follows the text job (it asks again while the job is pending) until the words are read
    await expect.poll(() => clerk.getByTestId('ocr-status').innerText(), { timeout: 60_000 }).toBe('Đã lấy nội dung để tìm kiếm');
    await clerk.getByText('Nội dung để tìm kiếm:').waitFor();
    await clerk.getByText('Nội dung đọc từ tệp').click();
    expect(await clerk.getByTestId('ocr-text').innerText()).toContain('Nội dung văn bản mẫu do hệ thống tạo để thử nghiệm.');
    expect(await clerk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await clerk.evaluate(() => window.scrollTo(0, 0));
    await screenshot(clerk, 'incoming-content-read-390');
    await clerk.context().close();

    // a phrase of the body, which no field of the document holds
    const desk = await signIn('vanthu', DESKTOP);
    await desk.goto('/search?q=văn bản mẫu do hệ thống tạo để thử nghiệm');
    const found = desk.getByTestId('search-incoming');
    await expect.poll(() => found.innerText()).toContain(subject);
    await screenshot(desk, 'incoming-content-search-1280');
    await found.getByRole('link', { name: new RegExp(subject.replace('/', '\\/')) }).first().click();
    await desk.waitForURL(`**${incomingUrl}`);
    await desk.context().close();
  });
});
