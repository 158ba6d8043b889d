import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import type { Page } from 'playwright-core';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { makeBasePdf } from '../src/domain/signing/appearance/appearance.test-pdf.ts';
import { apiAs, signIn, statusBadge } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('a draft returned by its reviewer, on the drafter\'s phone', () => {
  const { server, browser } = useBrowserAndServer();

  /** A draft by chuyenvien (sample file, lanhdao to sign) waiting for truongphong's review. */
  async function draftInReview(subject: string): Promise<{ id: string }> {
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const head = await apiAs(browser(), server(), 'truongphong');
    const leader = await apiAs(browser(), server(), 'lanhdao');
    const doc = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject, signerId: leader.userId, signerPosition: 'Chủ tịch', recipientsText: '- Lưu: VT, TH.' });
    await staff.post(`/api/outgoing/${doc.id}/sample-file`);
    await staff.post(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [head.userId] });
    await Promise.all([staff.close(), head.close(), leader.close()]);
    return doc;
  }

  /** A draft by chuyenvien (sample file, lanhdao to sign), not yet submitted. */
  async function draftWithSampleFile(subject: string): Promise<{ id: string }> {
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const leader = await apiAs(browser(), server(), 'lanhdao');
    const doc = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject, signerId: leader.userId, signerPosition: 'Chủ tịch', recipientsText: '- Lưu: VT, TH.' });
    await staff.post(`/api/outgoing/${doc.id}/sample-file`);
    await Promise.all([staff.close(), leader.close()]);
    return doc;
  }

  test('the drafter sees who returned it, when and why on the first screen, above the PDF, and the page asked about opens', async () => {
    const doc = await draftInReview('V/v thử trả lại dự thảo');
    const head = await apiAs(browser(), server(), 'truongphong');
    await head.post(`/api/outgoing/${doc.id}/review`, { action: 'return', comment: 'Đề nghị bổ sung nơi nhận Sở Nội vụ.', page: 1 });
    await head.close();

    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await page.goto(`/outgoing/${doc.id}`);
    const notice = page.getByTestId('returned-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/Phạm Quốc Huy đã trả lại dự thảo lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}[\s\S]*Đề nghị bổ sung nơi nhận Sở Nội vụ\./);
    const box = await notice.boundingBox();
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThan(PHONE.height);
    await notice.getByRole('button', { name: '(trang 1)' }).click();
    await page.context().close();
  }, 120_000);

  test('the reviewer returning with a blank comment, or forwarding to nobody, is told what is missing in Vietnamese, and nothing is sent', async () => {
    const doc = await draftInReview('V/v thử ý kiến bắt buộc');

    const page = await signIn(browser(), server(), 'truongphong', PHONE);
    await page.goto(`/outgoing/${doc.id}`);
    await page.getByRole('button', { name: 'Trả lại' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Ý kiến/).fill('   ');
    await dialog.getByRole('button', { name: 'Trả lại' }).click();
    await dialog.getByText('Vui lòng nhập thông tin này.').waitFor();
    await dialog.getByRole('button', { name: 'Hủy' }).click();

    await page.getByRole('button', { name: 'Chuyển tiếp' }).click();
    await dialog.getByRole('button', { name: 'Chuyển tiếp' }).click();
    await dialog.getByText('Vui lòng nhập thông tin này.').waitFor();
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    expect(await statusBadge(page).innerText()).toBe('Đang trình duyệt');
    await page.context().close();
  }, 120_000);

  test('submitting a draft for review closes the dialog without asking the server for its chain again (which answered 409 and flashed an error)', async () => {
    const doc = await draftWithSampleFile('V/v thử trình duyệt');

    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    const refused: string[] = [];
    page.on('response', (r) => { if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    await page.goto(`/outgoing/${doc.id}`);
    await page.getByRole('button', { name: 'Trình duyệt' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('submit-chain').waitFor();
    await dialog.getByRole('button', { name: 'Trình duyệt' }).click();
    await expect.poll(() => statusBadge(page).innerText()).toBe('Đang trình duyệt');
    await dialog.waitFor({ state: 'detached' });
    expect(refused).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('each step says on the phone what it did and where the draft went: submit, return with a comment, submit again, approve to the signer', async () => {
    const doc = await draftWithSampleFile('V/v thử thông báo sau mỗi bước');
    const toast = (page: Page, text: string) => page.locator('.mantine-Notification-root').filter({ hasText: text }).waitFor();

    const drafter = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await drafter.goto(`/outgoing/${doc.id}`);
    await drafter.getByRole('button', { name: 'Trình duyệt' }).click();
    await drafter.getByRole('dialog').getByTestId('submit-chain').waitFor();
    await drafter.getByRole('dialog').getByRole('button', { name: 'Trình duyệt' }).click();
    await toast(drafter, 'Đã trình dự thảo: văn bản chuyển đến người duyệt đầu tiên (mục «Chờ tôi duyệt» của người đó).');

    const reviewer = await signIn(browser(), server(), 'truongphong', PHONE);
    await reviewer.goto(`/outgoing/${doc.id}`);
    await reviewer.getByRole('button', { name: 'Trả lại' }).click();
    await reviewer.getByRole('dialog').getByLabel(/^Ý kiến/).fill('Bổ sung nơi nhận.');
    await reviewer.getByRole('dialog').getByRole('button', { name: 'Trả lại' }).click();
    await toast(reviewer, 'Đã trả lại dự thảo cho người soạn thảo kèm ý kiến.');
    await screenshot(reviewer, 'dev/outgoing-returned-toast-phone');

    await drafter.reload();
    await drafter.getByTestId('returned-notice').waitFor();
    await drafter.getByRole('button', { name: 'Trình duyệt' }).click();
    await drafter.getByRole('dialog').getByTestId('submit-chain').waitFor();
    await drafter.getByRole('dialog').getByRole('button', { name: 'Trình duyệt' }).click();
    await toast(drafter, 'Đã trình dự thảo');

    await reviewer.reload();
    await reviewer.getByRole('button', { name: 'Đồng ý' }).click();
    await reviewer.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
    await toast(reviewer, 'Đã đồng ý: dự thảo chuyển đến người ký.');
    expect(await statusBadge(reviewer).innerText()).toBe('Chờ ký');
    await Promise.all([drafter.context().close(), reviewer.context().close()]);
  }, 180_000);

  test('a draft without a file or a signer: the submit dialog says so before the press, with «Trình duyệt» off, and «Sửa dự thảo» leads to the form', async () => {
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const doc = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử trình khi thiếu tệp và người ký' });
    await staff.close();

    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await page.goto(`/outgoing/${doc.id}`);
    await page.getByRole('button', { name: 'Trình duyệt' }).click();
    const dialog = page.getByRole('dialog');
    const missing = dialog.getByTestId('submit-missing');
    await missing.waitFor();
    expect((await missing.innerText()).replace(/\s+/g, ' ')).toBe('Dự thảo chưa có tệp văn bản chính (PDF hoặc DOCX). Dự thảo chưa chọn người ký. '
      + 'Bấm «Sửa dự thảo» để bổ sung, lưu lại rồi trình duyệt. Sửa dự thảo');
    expect(await dialog.getByRole('button', { name: 'Trình duyệt' }).isDisabled()).toBe(true);
    await screenshot(page, 'dev/outgoing-submit-missing-phone');
    await missing.getByRole('link', { name: 'Sửa dự thảo' }).click();
    await page.waitForURL(`**/outgoing/${doc.id}/edit`);
    await page.getByRole('combobox', { name: 'Người ký' }).waitFor();
    await page.context().close();
  }, 120_000);

  test('a draft PDF without a «Số:» line or the motto warns its reviewer, then its signer — the ones who send it back — without telling them to upload the file', async () => {
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const head = await apiAs(browser(), server(), 'truongphong');
    const leader = await apiAs(browser(), server(), 'lanhdao');
    const doc = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử tệp không có dòng số', signerId: leader.userId, signerPosition: 'Chủ tịch', recipientsText: '- Lưu: VT, TH.' });
    const { data: { csrfToken } } = (await (await staff.request.get('/api/auth/session')).json()) as { data: { csrfToken: string } };
    const pdf = Buffer.from(await makeBasePdf([{ text: 'Báo cáo tình hình', x: 72, y: 770 }]));
    const uploaded = await staff.request.post(`/api/outgoing/${doc.id}/files`, { multipart: { main: { name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: pdf } }, headers: { 'X-CSRF-Token': csrfToken } });
    expect(uploaded.status(), await uploaded.text()).toBe(200);
    await staff.post(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [head.userId] });

    const warningFor = async (login: string) => {
      const page = await signIn(browser(), server(), login, PHONE);
      await page.goto(`/outgoing/${doc.id}`);
      const warning = page.getByTestId('number-line-missing');
      await warning.waitFor();
      const text = await warning.innerText();
      await page.context().close();
      return text;
    };
    const reviewer = await warningFor('truongphong');
    expect(reviewer).toContain('Tệp dự thảo chưa có dòng «Số:» hoặc tiêu ngữ');
    // issuing needs both: the number goes on the «Số:» line and the date under the motto (a «Số:» line alone was called missing)
    expect(reviewer).toContain('tiêu ngữ «Độc lập - Tự do - Hạnh phúc»');
    expect(reviewer).toContain('có thể trả lại dự thảo để sửa');
    expect(reviewer).not.toContain('tải lên lại');

    await head.post(`/api/outgoing/${doc.id}/review`, { action: 'approve' });
    expect(await warningFor('lanhdao')).toContain('Người soạn thảo cần sửa tệp theo thể thức');
    await Promise.all([staff.close(), head.close(), leader.close()]);
  }, 120_000);
});
