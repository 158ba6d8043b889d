import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { ensureWebBuilt, launchBrowser, PHONE, screenshot, startTestServer, type TestServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, pdfRendered, PIN, signIn, signInDialog, statusBadge, type Doc } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium', 'pdfsig', 'pdftotext'))('outgoing documents in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let lanhdaoId = '';

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    const probe = await apiAs(browser, server, 'lanhdao');
    lanhdaoId = probe.userId;
    await probe.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('draft with the sample file → review → signature → issue: the page shows the number; the issued PDF has two valid signatures and the number', async () => {
    const staff = await signIn(browser, server, 'chuyenvien');
    await staff.getByRole('navigation').getByRole('link', { name: 'Dự thảo của tôi', exact: true }).click();
    await staff.getByRole('link', { name: 'Soạn văn bản mới' }).click();
    await staff.getByLabel(/^Trích yếu nội dung/).fill('V/v thử nghiệm luồng văn bản đi trên trình duyệt');
    await staff.getByRole('combobox', { name: 'Người ký' }).click();
    await staff.getByRole('option', { name: /Trần Văn Minh/ }).click();
    await staff.getByTestId('recipient-directory').fill('000.00.99.G01');
    await staff.getByLabel('Tên cơ quan (nếu cần)').fill('Bộ Thử nghiệm');
    await staff.getByRole('button', { name: 'Thêm', exact: true }).click();
    await staff.getByTestId('external-recipient').waitFor();
    await staff.getByLabel(/^Nơi nhận \(in trên văn bản\)/).fill('- Bộ Thử nghiệm;\n- Lưu: VT, TH.');
    await staff.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await staff.waitForURL(/\/outgoing\/[0-9a-f-]{36}$/);
    const id = staff.url().split('/').pop() ?? '';
    await staff.getByTestId('no-file').waitFor();
    await staff.getByRole('button', { name: 'Tạo tệp mẫu' }).click();
    await pdfRendered(staff);
    await screenshot(staff, 'dev/outgoing-draft-desktop');
    await staff.getByRole('button', { name: 'Trình duyệt' }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Trình duyệt' }).click();
    await expect.poll(() => statusBadge(staff).innerText()).toBe('Đang trình duyệt');
    await staff.context().close();

    const head = await signIn(browser, server, 'truongphong');
    await head.getByRole('navigation').getByRole('link', { name: 'Chờ tôi duyệt', exact: true }).click();
    await head.getByRole('link', { name: /V\/v thử nghiệm luồng văn bản đi/ }).click();
    await head.getByRole('button', { name: 'Đồng ý' }).click();
    await head.getByRole('dialog').getByRole('button', { name: 'Đồng ý' }).click();
    await expect.poll(() => statusBadge(head).innerText()).toBe('Chờ ký');
    await head.context().close();

    const leader = await signIn(browser, server, 'lanhdao');
    await leader.getByRole('navigation').getByRole('link', { name: 'Chờ tôi ký', exact: true }).click();
    await leader.getByRole('link', { name: /V\/v thử nghiệm luồng văn bản đi/ }).click();
    await leader.getByRole('button', { name: 'Ký số' }).click();
    await signInDialog(leader);
    await leader.context().close();

    const clerk = await signIn(browser, server, 'vanthu');
    await clerk.getByRole('navigation').getByRole('link', { name: 'Chờ phát hành', exact: true }).click();
    await clerk.getByRole('link', { name: /V\/v thử nghiệm luồng văn bản đi/ }).click();
    await clerk.getByRole('button', { name: 'Phát hành' }).click();
    // Before the step that cannot be undone, the clerk sees the number it will take.
    await clerk.getByTestId('issue-preview').filter({ hasText: /Số, ký hiệu\s*01\/UBND-TH/ }).waitFor();
    const issueButton = clerk.getByRole('dialog').getByRole('button', { name: 'Phát hành' });
    await issueButton.click();
    await issueButton.click({ timeout: 2_000, force: true }).catch(() => undefined); // a double click must not issue twice
    const number = clerk.getByTestId('outgoing-number');
    await number.waitFor({ timeout: 60_000 });
    const numberText = (await number.innerText()).replace(/^Số:\s*/, '');
    expect(numberText).toMatch(/^01\/UBND-/);
    await expect.poll(() => statusBadge(clerk).innerText()).toBe('Đã phát hành');
    await pdfRendered(clerk);
    await screenshot(clerk, 'dev/outgoing-issued-desktop');

    const detail = (await (await clerk.request.get(`/api/outgoing/${id}`)).json()) as { data: Doc };
    expect(detail.data).toMatchObject({ status: 'issued', numberText });
    const issued = detail.data.files.find((f) => f.note === 'issued');
    expect(issued).toBeTruthy();
    const pdf = await clerk.request.get(`/api/outgoing/${id}/files/${issued?.id}?download=1`);
    expect(pdf.status()).toBe(200);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'og-e2e-')), 'issued.pdf');
    writeFileSync(file, await pdf.body());
    // pdfsig exits 0 even when a signature fails: read its report.
    const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(report.match(/Signature Validation: Signature is Valid/g)).toHaveLength(2);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toContain(numberText);
    await clerk.context().close();
  }, 240_000);

  test('a leader selects five documents waiting for signature and signs them all with one PIN entry', async () => {
    const drafter = await apiAs(browser, server, 'chuyenvien');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await documentAwaitingSignature(drafter, lanhdaoId, `V/v ký hàng loạt số ${i}`));
    const leader = await signIn(browser, server, 'lanhdao');
    await leader.getByRole('navigation').getByRole('link', { name: 'Chờ tôi ký', exact: true }).click();
    await expect.poll(() => leader.getByTestId('outgoing-row').count()).toBe(5);
    await leader.getByLabel('Chọn tất cả (5)').check();
    await leader.getByRole('button', { name: 'Ký 5 văn bản' }).click();
    const dialog = leader.getByRole('dialog');
    await dialog.getByLabel('Mã PIN chứng thư số').fill(PIN);
    await screenshot(leader, 'dev/outgoing-batch-desktop');
    await dialog.getByRole('button', { name: 'Ký 5 văn bản' }).click();
    await dialog.getByTestId('sign-summary').filter({ hasText: 'Đã ký 5/5 văn bản.' }).waitFor({ timeout: 120_000 });
    expect(await dialog.getByTestId('sign-outcome').filter({ hasText: 'Đã ký' }).count()).toBe(5);
    await screenshot(leader, 'dev/outgoing-batch-done-desktop');
    for (const id of ids) expect((await drafter.get<{ status: string }>(`/api/outgoing/${id}`)).status).toBe('signed');
    await dialog.getByRole('button', { name: 'Đóng' }).click();
    // the emptied list says what comes into it
    await expect.poll(() => leader.getByTestId('outgoing-empty').innerText()).toBe('Không có văn bản nào chờ bạn ký. Văn bản đã duyệt, trình bạn ký sẽ hiện ở đây.');
    await drafter.close();
    await leader.context().close();
  }, 240_000);

  test('on a 390×844 phone the leader opens a document waiting for signature and signs it, without horizontal scroll', async () => {
    const drafter = await apiAs(browser, server, 'chuyenvien');
    const id = await documentAwaitingSignature(drafter, lanhdaoId, 'V/v lãnh đạo ký trên điện thoại');
    const page = await signIn(browser, server, 'lanhdao', PHONE);
    await page.getByRole('button', { name: 'Mở menu điều hướng' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Chờ tôi ký', exact: true }).click();
    await page.getByRole('link', { name: 'V/v lãnh đạo ký trên điện thoại' }).click();
    await page.waitForURL(`**/outgoing/${id}`);
    await pdfRendered(page);
    const noHorizontalScroll = async () => page.evaluate(() => (document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY) <= window.innerWidth);
    expect(await noHorizontalScroll()).toBe(true);
    await screenshot(page, 'outgoing-sign-390x844');
    await page.getByRole('button', { name: 'Ký số' }).click();
    await signInDialog(page);
    expect(await noHorizontalScroll()).toBe(true);
    await pdfRendered(page);
    await screenshot(page, 'dev/outgoing-signed-phone');
    expect((await drafter.get<{ status: string }>(`/api/outgoing/${id}`)).status).toBe('signed');
    await drafter.close();
    await page.context().close();
  }, 180_000);

  test('a signed document without a recipient in the system: the issue dialog says to return it to the drafter, and «Phát hành» is off', async () => {
    const drafter = await apiAs(browser, server, 'chuyenvien');
    const doc = await drafter.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v văn bản chưa có nơi nhận', signerId: lanhdaoId,
      signerPosition: 'Chủ tịch', recipients: [], recipientsText: '- Lưu: VT, TH.' });
    await drafter.post(`/api/outgoing/${doc.id}/sample-file`);
    await drafter.post(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [] });
    const leader = await apiAs(browser, server, 'lanhdao');
    expect((await leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [doc.id], pin: PIN }))[0]?.ok).toBe(true);
    const page = await signIn(browser, server, 'vanthu', PHONE);
    await page.goto(`/outgoing/${doc.id}`);
    await page.getByRole('button', { name: 'Phát hành' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('issue-no-recipients').innerText()).toContain('Bấm «Trả lại» để người soạn thảo bổ sung nơi nhận');
    expect(await dialog.getByRole('button', { name: 'Phát hành' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    expect((await drafter.get<{ status: string }>(`/api/outgoing/${doc.id}`)).status).toBe('signed');
    await Promise.all([drafter.close(), leader.close(), page.context().close()]);
  }, 120_000);
});
