import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

const SUBJECT = 'V/v tổ chức hội nghị cán bộ công chức năm 2027';

describe.skipIf(!needTool('chromium'))('recall of a document sent to an agency on the same install', () => {
  const { server, browser } = useBrowserAndServer();

  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('the province clerk recalls; the Sở Nội vụ clerk agrees on the document page; the sender sees 15', async () => {
    const id = await issuedToDepartment(browser(), server(), SUBJECT);
    const clerk = await signIn('vanthu');
    await clerk.goto(`/outgoing/${id}`);
    await clerk.getByRole('button', { name: 'Thu hồi' }).click();
    const dialog = clerk.getByRole('dialog');
    await dialog.getByLabel(/Lý do thu hồi/).fill('Thay đổi thời gian tổ chức hội nghị');
    await dialog.getByRole('button', { name: 'Thu hồi' }).click();
    await expect.poll(() => clerk.getByTestId('recipient-recall').innerText()).toBe('13 · Đã yêu cầu thu hồi');

    // The recipient clerk finds the request on a phone too (390 px).
    const phone = await signIn('snv.vanthu', PHONE);
    await phone.goto('/incoming');
    // every list shows at 390 px (wrapped), the requests one with its count
    await expect.poll(() => phone.getByTestId('pending-requests-count').innerText()).toBe('1');
    const requestsTab = await phone.getByRole('tab', { name: /Đề nghị thu hồi\/cập nhật/ }).boundingBox();
    expect(!!requestsTab && requestsTab.x >= 0 && requestsTab.x + requestsTab.width <= PHONE.width).toBe(true);
    await phone.getByRole('tab', { name: /Đề nghị thu hồi\/cập nhật/ }).click();
    await phone.getByTestId('pending-requests').getByRole('link', { name: new RegExp(SUBJECT) }).waitFor();
    await screenshot(phone, 'dev/recall-requests-phone');
    await phone.getByTestId('pending-requests').getByRole('link', { name: new RegExp(SUBJECT) }).click();
    await phone.getByTestId('pending-request').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/recall-request-phone');

    const snv = await signIn('snv.vanthu');
    await snv.goto('/incoming');
    await expect.poll(() => snv.getByTestId('pending-requests-count').innerText()).toBe('1');
    await snv.getByRole('tab', { name: /Đề nghị thu hồi\/cập nhật/ }).click();
    await snv.getByTestId('pending-requests').getByRole('link', { name: new RegExp(SUBJECT) }).click();
    const banner = snv.getByTestId('pending-request');
    await expect.poll(() => banner.innerText()).toContain('Ủy ban nhân dân tỉnh Thái Hòa đề nghị thu hồi văn bản này');
    expect(await banner.innerText()).toContain('Thay đổi thời gian tổ chức hội nghị');
    await screenshot(snv, 'dev/recall-request-desktop');
    await banner.getByLabel('Ghi chú gửi cơ quan gửi').fill('Đã hủy lịch họp của Sở');
    await banner.getByRole('button', { name: 'Đồng ý thu hồi' }).click();
    await snv.getByTestId('answered-request').waitFor();
    expect(await snv.getByTestId('answered-request').innerText()).toContain('15 · Đã đồng ý thu hồi');
    await expect.poll(() => snv.getByText('Đã thu hồi', { exact: true }).first().isVisible()).toBe(true);
    await screenshot(snv, 'dev/recall-answered-desktop');
    // Out of the clerk's intake, still found (with its history) among all documents.
    await snv.goto('/incoming');
    await snv.getByRole('tab', { name: 'Chờ vào sổ' }).click();
    const list = snv.getByTestId('incoming-list');
    await list.or(snv.getByText('Không có văn bản nào')).waitFor();
    expect(await list.getByRole('link', { name: new RegExp(SUBJECT) }).count()).toBe(0);
    await snv.getByRole('tab', { name: 'Tất cả' }).click();
    await list.getByRole('link', { name: new RegExp(SUBJECT) }).waitFor();

    await clerk.reload();
    await expect.poll(() => clerk.getByTestId('recipient-recall').innerText()).toBe('15 · Đồng ý thu hồi');
    expect(await clerk.getByTestId('outgoing-recipients').innerText()).toContain('Đồng ý thu hồi: Đã hủy lịch họp của Sở');
    await screenshot(clerk, 'dev/recall-sender-desktop');
    const sender = await signIn('vanthu', PHONE);
    await sender.goto(`/outgoing/${id}`);
    await sender.getByTestId('recipient-recall').waitFor();
    await screenshot(sender, 'dev/recall-sender-phone');
  });
});
