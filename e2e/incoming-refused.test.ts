import { describe, expect, test } from 'vitest';
import { connectorRepo } from '../src/domain/exchange/connector/connector.repository.ts';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn as signInAs } from './outgoing.helpers.ts';

const PROVINCE = '000.00.00.H99';
const FAR_AGENCY = { code: '000.00.05.H98', name: 'Sở Giao thông vận tải tỉnh Hòa Bình', mail: 'vanthu.sgtvt@hoabinh.example' };

describe.skipIf(!needTool('chromium'))("refused exchange packages, on the clerk's page", () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('the clerk finds them from the menu, sees sender, time, reason, attempts and what to do, and has one that could not be fetched fetched again', async () => {
    // What the connector records when it refuses packages (same repository call), for the demo Sở Nội vụ.
    const db = server().db;
    if (!db) throw new Error('the test server has no database handle');
    const snv = await db.selectFrom('agency').select('id').where('code', '=', '000.00.01.H99').executeTakeFirstOrThrow();
    await connectorRepo.upsertDirectory(db, [{ code: FAR_AGENCY.code, name: FAR_AGENCY.name, parentCode: null, mail: FAR_AGENCY.mail, isDeleted: false }]);
    const refuse = (axisDocId: string, senderCode: string, reason: string) =>
      connectorRepo.insertReceived(db, { agencyId: snv.id, axisDocId, messageType: 'edoc', packageKey: null, outcome: 'refused', reason, senderCode });
    await refuse('5f0c2a4e-0d7b-4a57-9c41-3c2f7d0c9a11', PROVINCE,
      '[exchange.package_refused] Chữ ký số của gói tin không hợp lệ (gói tin bị sửa đổi?): tệp đính kèm không khớp với chữ ký');
    await refuse('8b1e6f3a-52c4-4f0e-b7d2-9e4a1c6d2f70', FAR_AGENCY.code,
      '[exchange.package_unreadable] Không nhận được gói tin sau 8 lần thử: [axis.remote_error] Trục liên thông báo lỗi: Không tìm thấy tệp.');

    const phone = await signIn('snv.vanthu', PHONE);
    await phone.goto('/incoming/refused');
    const cards = phone.getByTestId('refused-package');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    const [unreadable, tampered] = [await cards.nth(0).innerText(), await cards.nth(1).innerText()];
    expect(unreadable).toContain('Không tải được từ trục');
    expect(unreadable).toContain(`${FAR_AGENCY.name} (${FAR_AGENCY.code})`);
    expect(unreadable).toMatch(/Số lần thử tải\s*8/);
    expect(unreadable).toContain('Không nhận được gói tin sau 8 lần thử');
    expect(tampered).toContain('Không qua được kiểm tra an toàn');
    expect(tampered).toContain(`Ủy ban nhân dân tỉnh Thái Hòa (${PROVINCE})`);
    expect(tampered).toContain('đề nghị gửi lại');
    expect(unreadable + tampered).not.toContain('[');
    expect(await cards.nth(1).getByRole('button', { name: 'Nhận lại' }).count()).toBe(0);
    expect(await cards.nth(0).getByRole('link', { name: 'Thư đề nghị gửi lại' }).getAttribute('href')).toMatch(/^mailto:vanthu\.sgtvt@hoabinh\.example\?subject=/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/incoming-refused-phone');

    const clerk = await signIn('snv.vanthu');
    await clerk.getByRole('link', { name: 'Gói tin bị từ chối' }).click();
    await clerk.waitForURL('**/incoming/refused');
    await clerk.getByTestId('refused-package').first().waitFor();
    await screenshot(clerk, 'dev/incoming-refused-desktop');
    clerk.once('dialog', (dialog) => void dialog.accept());
    await clerk.getByTestId('refused-package').first().getByRole('button', { name: 'Nhận lại' }).click();
    await clerk.getByText('Đã yêu cầu nhận lại').waitFor();
    await expect.poll(() => clerk.getByTestId('refused-package').count()).toBe(1);
    await screenshot(clerk, 'dev/incoming-refused-after-refetch-desktop');

    // A leader sees the list but cannot fetch again; staff have no such menu item.
    const leader = await signIn('snv.giamdoc');
    await leader.goto('/incoming/refused');
    await leader.getByTestId('refused-package').first().waitFor();
    expect(await leader.getByRole('button', { name: 'Nhận lại' }).count()).toBe(0);
    const staff = await signIn('snv.chuyenvien');
    expect(await staff.getByRole('link', { name: 'Gói tin bị từ chối' }).count()).toBe(0);
  });
});
