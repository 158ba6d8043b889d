import { describe, expect, test } from 'vitest';
import { connectorRepo } from '../src/domain/exchange/connector/connector.repository.ts';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

const FAR_AGENCY = { code: '000.00.05.H98', name: 'Sở Giao thông vận tải tỉnh Hòa Bình' };

describe.skipIf(!needTool('chromium'))("packages sent through the exchange axis, on the clerk's page", () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('the clerk is told on the home page and finds from the menu a package that could not be sent, reads which document, to whom and why, and sends it again; a leader only reads', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server has no database handle');
    await connectorRepo.upsertDirectory(db, [{ code: FAR_AGENCY.code, name: FAR_AGENCY.name, parentCode: null, mail: '', isDeleted: false }]);
    const subject = 'V/v phối hợp kiểm tra an toàn giao thông cuối năm';
    const docId = await issuedToDepartment(browser(), server(), subject, FAR_AGENCY.code);
    // What the connector records after its last attempt (connector.send.ts), here without an axis to fail against.
    await db.updateTable('exchangeOutbox').set({ status: 'failed', attempts: 8, lastError: `[axis.remote_error] Trục liên thông báo lỗi: Không tìm thấy cơ quan nhận ${FAR_AGENCY.code}` })
      .where('outgoingId', '=', docId).execute();

    // The clerk's home page says it first, with the incoming work to do, and leads to the page.
    const phone = await signIn('vanthu', PHONE);
    await phone.getByTestId('exchange-alerts').waitFor();
    await phone.getByTestId('incoming-count-intake').waitFor();
    expect(await phone.getByTestId('incoming-count-direct').count()).toBe(0);
    await screenshot(phone, 'dev/dashboard-clerk-exchange-alert-phone');
    await phone.getByRole('link', { name: '1 gói tin gửi qua trục bị lỗi' }).click();
    await phone.waitForURL('**/outgoing/sending');
    const card = phone.getByTestId('sending-package');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    const text = await card.first().innerText();
    expect(text).toContain('Gửi lỗi');
    expect(text).toContain('Văn bản');
    expect(text).toContain(subject);
    expect(text).toContain(`${FAR_AGENCY.name} (${FAR_AGENCY.code})`);
    expect(text).toMatch(/Số lần gửi\s*8/);
    expect(text).toContain(`Trục liên thông báo lỗi: Không tìm thấy cơ quan nhận ${FAR_AGENCY.code}`);
    expect(text).toContain('Đã hết số lần tự động gửi lại');
    expect(text).not.toContain('[');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/outgoing-sending-phone');

    // The document's page says it at the recipient, in words, and leads to where it is sent again.
    const clerk = await signIn('vanthu');
    await clerk.getByRole('link', { name: 'Gửi qua trục liên thông' }).waitFor();
    await clerk.goto(`/outgoing/${docId}`);
    await clerk.getByTestId('recipient-sending').waitFor();
    expect(await clerk.getByTestId('recipient-sending').innerText()).toMatch(/gửi lỗi/i);
    expect(await clerk.getByTestId('recipient-sending-error').innerText()).toContain(`Không tìm thấy cơ quan nhận ${FAR_AGENCY.code}`);
    await screenshot(clerk, 'dev/outgoing-sending-document-desktop');
    await clerk.getByRole('link', { name: 'Xem và gửi lại' }).click();
    await clerk.waitForURL('**/outgoing/sending');
    await clerk.getByTestId('sending-package').first().waitFor();
    await screenshot(clerk, 'dev/outgoing-sending-desktop');
    clerk.once('dialog', (dialog) => void dialog.accept());
    await clerk.getByRole('button', { name: 'Gửi lại' }).click();
    await clerk.getByText('Đã đưa gói tin vào hàng đợi gửi.').waitFor();
    await clerk.getByText('Không có gói tin nào gửi lỗi').waitFor();
    await clerk.getByText('Đang chờ gửi').first().click();
    await expect.poll(async () => (await clerk.getByTestId('sending-package').first().innerText()).includes('Đang chờ gửi')).toBe(true);
    await clerk.getByTestId('sending-package').getByRole('link', { name: new RegExp(subject) }).click();
    await clerk.waitForURL(`**/outgoing/${docId}`);
    await expect.poll(() => clerk.getByTestId('recipient-sending').innerText()).toMatch(/đang chờ gửi qua trục/i);

    const leader = await signIn('lanhdao');
    await leader.goto('/outgoing/sending');
    await leader.getByText('Tất cả').click();
    await leader.getByTestId('sending-package').first().waitFor();
    expect(await leader.getByRole('button', { name: 'Gửi lại' }).count()).toBe(0);
    const staff = await signIn('chuyenvien');
    await staff.getByTestId('incoming-count-mine').waitFor();
    expect(await staff.getByRole('link', { name: 'Gửi qua trục liên thông' }).count()).toBe(0);
    expect(await staff.getByTestId('exchange-alerts').count()).toBe(0);
    expect(await staff.getByTestId('incoming-count-intake').count()).toBe(0);
    await staff.getByTestId('incoming-count-mine').click();
    await staff.waitForURL('**/incoming?box=mine');
    expect(await staff.getByRole('tab', { name: 'Việc của tôi' }).getAttribute('aria-selected')).toBe('true');
  });
});
