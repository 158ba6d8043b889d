import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn as signInAs, SNV_CODE } from './outgoing.helpers.ts';

const SUBJECT = 'V/v báo cáo số liệu cán bộ quý IV năm 2026';
/** The demo commune (Ủy ban nhân dân xã Tân Lập), on the same install. */
const COMMUNE_CODE = '000.00.31.H99';
const NEW_SUBJECT = 'V/v báo cáo số liệu cán bộ, công chức quý IV năm 2026';

describe.skipIf(!needTool('chromium'))('update (cập nhật) of an issued document sent to an agency on the same install', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  const issued = (subject: string) => issuedToDepartment(browser(), server(), subject);

  test('the province clerk sends a new trích yếu; the Sở Nội vụ clerk agrees; the sender sees 15 · Đồng ý cập nhật', async () => {
    const id = await issued(SUBJECT);
    const clerk = await signIn('vanthu');
    await clerk.goto(`/outgoing/${id}`);
    await clerk.getByRole('button', { name: 'Cập nhật thông tin văn bản' }).click();
    const dialog = clerk.getByRole('dialog');
    await dialog.getByLabel(/Lý do cập nhật/).fill('Bổ sung đối tượng công chức');
    // Nothing changed yet: the dialog says so instead of sending an empty update.
    await dialog.getByRole('button', { name: 'Gửi cập nhật' }).click();
    await dialog.getByText('Hãy sửa trích yếu hoặc hạn xử lý').waitFor();
    await dialog.getByLabel(/Trích yếu mới/).fill(NEW_SUBJECT);
    await dialog.getByLabel(/Hạn xử lý mới/).fill('15/01/2027');
    await screenshot(clerk, 'dev/outgoing-update-dialog-desktop');
    await dialog.getByRole('button', { name: 'Gửi cập nhật' }).click();
    await clerk.getByText('Đã gửi đề nghị cập nhật tới 1 nơi nhận').waitFor();

    const snv = await signIn('snv.vanthu');
    await snv.goto('/incoming');
    await snv.getByRole('tab', { name: /Đề nghị thu hồi\/cập nhật/ }).click();
    await snv.getByTestId('pending-requests').getByRole('link', { name: new RegExp(SUBJECT) }).click();
    const banner = snv.getByTestId('pending-request');
    await expect.poll(() => banner.innerText()).toContain('Ủy ban nhân dân tỉnh Thái Hòa đề nghị cập nhật văn bản này');
    expect(await banner.innerText()).toContain('Bổ sung đối tượng công chức');
    await banner.getByLabel('Ghi chú gửi cơ quan gửi').fill('Đã cập nhật trích yếu');
    await banner.getByRole('button', { name: 'Đồng ý cập nhật' }).click();
    await snv.getByTestId('answered-request').waitFor();

    await clerk.reload();
    await expect.poll(() => clerk.getByTestId('recipient-recall').innerText(), { timeout: 20_000 }).toBe('15 · Đồng ý cập nhật');
    expect(await clerk.getByTestId('outgoing-recipients').innerText()).toContain('Đồng ý cập nhật: Đã cập nhật trích yếu');
    expect(await clerk.getByTestId('outgoing-history').innerText()).toContain('Gửi cập nhật thông tin văn bản');
    await screenshot(clerk, 'dev/outgoing-update-sender-desktop');
    const phone = await signIn('vanthu', PHONE);
    await phone.goto(`/outgoing/${id}`);
    await phone.getByTestId('recipient-recall').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-update-sender-phone');
    await phone.getByRole('button', { name: 'Cập nhật thông tin văn bản' }).click();
    await phone.getByRole('dialog').getByLabel(/Lý do cập nhật/).waitFor();
    await screenshot(phone, 'dev/outgoing-update-dialog-phone');
    // the issued list says it too, next to who received it
    await phone.goto('/outgoing/issued');
    const card = phone.getByTestId('outgoing-row').filter({ hasText: SUBJECT });
    await expect.poll(() => card.getByTestId('recipient-answers').innerText()).toBe('Đồng ý cập nhật 1/1');
    expect(await card.getByTestId('received-count').innerText()).toBe('Đã nhận 1/1');
  });

  test('an update to the Sở Nội vụ and the commune: the Sở agrees, the commune does not answer — the list and the page say «Đồng ý cập nhật 1/2 · chưa trả lời 1», the commune\'s row since when', async () => {
    const subject = 'V/v cập nhật hạn báo cáo gửi Sở và xã';
    const id = await issuedToDepartment(browser(), server(), subject, [SNV_CODE, COMMUNE_CODE]);
    const clerk = await apiAs(browser(), server(), 'vanthu');
    await expect.poll(async () => (await clerk.get<{ recipientCounts: { delivered: number } }>(`/api/outgoing/${id}`)).recipientCounts.delivered, { timeout: 20_000 }).toBe(2);
    expect(await clerk.post(`/api/outgoing/${id}/update`, { reason: 'Lùi hạn báo cáo', dueDate: '2027-01-15' })).toEqual({ recipients: 2 });
    await clerk.close();
    const snv = await apiAs(browser(), server(), 'snv.vanthu');
    const request = (await snv.get<{ id: string; document: { subject: string } }[]>('/api/incoming/requests?status=pending')).find((r) => r.document.subject === subject);
    await snv.post(`/api/incoming/requests/${request?.id}/answer`, { agree: true, note: 'Đã lùi hạn' });
    await snv.close();

    const phone = await signIn('vanthu', PHONE);
    await phone.goto('/outgoing/issued');
    const card = phone.getByTestId('outgoing-row').filter({ hasText: subject });
    await expect.poll(() => card.getByTestId('recipient-answers').innerText()).toBe('Đồng ý cập nhật 1/2 · chưa trả lời 1');
    expect(await card.getByTestId('received-count').innerText()).toBe('Đã nhận 2/2');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-update-awaiting-list-phone');
    const desk = await signIn('vanthu');
    await desk.goto(`/outgoing/${id}`);
    await expect.poll(() => desk.getByTestId('recipients-answers').innerText()).toBe('Đồng ý cập nhật 1/2 · chưa trả lời 1');
    const commune = desk.getByTestId('recipient-row').filter({ hasText: 'xã Tân Lập' });
    expect(await commune.getByTestId('recipient-recall').innerText()).toBe('13 · Đã đề nghị cập nhật');
    expect(await commune.getByTestId('recipient-awaiting').innerText()).toMatch(/^Chưa trả lời từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    const department = desk.getByTestId('recipient-row').filter({ hasText: 'Sở Nội vụ' });
    expect(await department.getByTestId('recipient-recall').innerText()).toBe('15 · Đồng ý cập nhật');
    expect(await department.getByTestId('recipient-awaiting').count()).toBe(0);
    await screenshot(desk, 'dev/outgoing-update-awaiting-page-desktop');
    await phone.goto(`/outgoing/${id}`);
    await phone.getByTestId('recipient-awaiting').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-update-awaiting-page-phone');
  });

  test('once recalled, the issued list says from how many recipients it was taken back, «Đồng ý thu hồi 0/1», then 1/1 once the recipient agrees — not «Đã nhận 1/1»; the page says the same', async () => {
    const subject = 'V/v tổ chức tọa đàm chuyển đổi số bị thu hồi';
    const id = await issued(subject);
    const clerk = await apiAs(browser(), server(), 'vanthu');
    await expect.poll(async () => (await clerk.get<{ recipientCounts: { delivered: number } }>(`/api/outgoing/${id}`)).recipientCounts.delivered, { timeout: 20_000 }).toBe(1);
    await clerk.post(`/api/outgoing/${id}/recall`, { reason: 'Thay đổi thời gian tổ chức' });
    await clerk.close();

    const phone = await signIn('vanthu', PHONE);
    await phone.goto('/outgoing/issued');
    const card = phone.getByTestId('outgoing-row').filter({ hasText: subject });
    await expect.poll(() => card.getByTestId('recipient-answers').innerText()).toBe('Đồng ý thu hồi 0/1');
    expect(await card.getByTestId('received-count').count()).toBe(0);
    await screenshot(phone, 'dev/outgoing-recalled-list-waiting-phone');

    const snv = await apiAs(browser(), server(), 'snv.vanthu');
    const request = (await snv.get<{ id: string; kind: string; document: { subject: string } }[]>('/api/incoming/requests?status=pending')).find((r) => r.document.subject === subject);
    await snv.post(`/api/incoming/requests/${request?.id}/answer`, { agree: true, note: 'Đã thu hồi' });
    await snv.close();
    await phone.reload();
    await expect.poll(() => card.getByTestId('recipient-answers').innerText()).toBe('Đồng ý thu hồi 1/1');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-recalled-list-phone');
    await phone.goto(`/outgoing/${id}`);
    await expect.poll(() => phone.getByTestId('recipients-answers').innerText()).toBe('Đồng ý thu hồi 1/1');
    expect(await phone.getByTestId('recipient-recall').innerText()).toBe('15 · Đồng ý thu hồi');
  });

  test('the Sở Nội vụ refused the document before the recall: its row says it needs no recall, not "13 · Đã yêu cầu thu hồi"', async () => {
    const subject = 'V/v mời dự tập huấn gửi nhầm Sở Nội vụ';
    const id = await issued(subject);
    const snv = await apiAs(browser(), server(), 'snv.vanthu');
    const find = async () => (await snv.get<{ id: string; subject: string }[]>(`/api/incoming?q=${encodeURIComponent('tập huấn gửi nhầm')}`)).find((d) => d.subject === subject);
    await expect.poll(async () => (await find())?.id, { timeout: 20_000 }).toBeTruthy();
    await snv.post(`/api/incoming/${(await find())?.id}/refuse`, { reason: 'Không thuộc thẩm quyền của Sở' });
    await snv.close();

    const clerk = await signIn('vanthu');
    await clerk.goto(`/outgoing/${id}`);
    await expect.poll(() => clerk.getByTestId('recipient-row').innerText(), { timeout: 20_000 }).toContain('02 · Từ chối tiếp nhận');
    await clerk.getByRole('button', { name: 'Thu hồi' }).click();
    await clerk.getByRole('dialog').getByLabel(/Lý do thu hồi/).fill('Gửi nhầm nơi nhận');
    await clerk.getByRole('dialog').getByRole('button', { name: 'Thu hồi' }).click();
    await expect.poll(() => clerk.getByTestId('recipient-recall').innerText()).toBe('Đã từ chối nhận — không cần thu hồi');
    await screenshot(clerk, 'dev/outgoing-recall-refused-desktop');
    const phone = await signIn('vanthu', PHONE);
    await phone.goto(`/outgoing/${id}`);
    await phone.getByTestId('recipient-recall').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-recall-refused-phone');
  });
});
