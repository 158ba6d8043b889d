/**
 * The outgoing flow's settings and follow-ups in the browser, as the demo users: a leader delegates the
 * approval signature and the deputy signs on their behalf (KT.); the agency admin sets the review chain
 * and a drafter adjusts it for one document; a drafter writes a replacement of an issued document.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, PIN, signIn, signInDialog, statusBadge } from './outgoing.helpers.ts';

type Detail = { id: string; status: string; numberText: string | null; steps: { reviewerName: string; seq: number }[]; replaces: { id: string; status: string } | null; replacedBy: { id: string }[] };

/** A date `days` from today in Vietnam, as typed in the forms (dd/MM/yyyy). */
function vnDay(days: number): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + days * 86_400_000)).split('-');
  return `${d}/${m}/${y}`;
}

/** A demo user's id, read from the agency directory. */
async function userIdOf(api: Awaited<ReturnType<typeof apiAs>>, username: string): Promise<string> {
  const user = (await api.get<{ id: string; username: string }[]>('/api/users?limit=500')).find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.id;
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => (document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY) <= window.innerWidth);

describe.skipIf(!needTool('chromium'))('outgoing settings in the browser', () => {
  const { server, browser } = useBrowserAndServer();

  test('lanhdao delegates to the Phó Chủ tịch, who sees the document waiting for lanhdao and signs it as KT.; revoking ends it', async () => {
    const leader = await signIn(browser(), server(), 'lanhdao');
    await leader.getByRole('navigation').getByRole('link', { name: 'Ủy quyền ký', exact: true }).click();
    await leader.getByText('Chưa có ủy quyền nào còn hiệu lực.').waitFor();
    await leader.getByRole('combobox', { name: /Người được ủy quyền/ }).click();
    await leader.getByRole('option', { name: /Lê Thị Thu/ }).click();
    await leader.getByLabel(/^Đến ngày/).fill(vnDay(-1));
    await leader.getByText('Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.').waitFor();
    expect(await leader.getByRole('button', { name: 'Ủy quyền', exact: true }).isDisabled()).toBe(true);
    await leader.getByLabel(/^Đến ngày/).fill(vnDay(3));
    await leader.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    await leader.getByTestId('delegation-row').filter({ hasText: `Lê Thị Thu ký thay từ ${vnDay(0)} đến ${vnDay(3)}` }).waitFor();
    await screenshot(leader, 'dev/outgoing-delegations-desktop');
    const leaderPhone = await signIn(browser(), server(), 'lanhdao', PHONE);
    await leaderPhone.goto('/outgoing/delegations');
    await leaderPhone.getByTestId('delegation-row').waitFor();
    expect(await noHorizontalScroll(leaderPhone)).toBe(true);
    await screenshot(leaderPhone, 'dev/outgoing-delegations-phone');
    await leaderPhone.context().close();

    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const lanhdaoId = await userIdOf(staff, 'lanhdao');
    const id = await documentAwaitingSignature(staff, lanhdaoId, 'V/v ký thay khi Chủ tịch đi công tác');
    const deputy = await signIn(browser(), server(), 'phochutich', PHONE);
    await deputy.getByRole('button', { name: 'Mở menu điều hướng' }).click();
    await deputy.getByRole('navigation').getByRole('link', { name: 'Chờ tôi ký', exact: true }).click();
    await deputy.getByRole('link', { name: 'V/v ký thay khi Chủ tịch đi công tác' }).click();
    await deputy.waitForURL(`**/outgoing/${id}`);
    await deputy.getByTestId('on-behalf-notice').filter({ hasText: 'ký thay (KT.) Chủ tịch Trần Văn Minh' }).waitFor();
    expect(await deputy.getByTestId('on-behalf-notice').innerText()).toContain(`đến hết ngày ${vnDay(3)}`);
    expect(await noHorizontalScroll(deputy)).toBe(true);
    await screenshot(deputy, 'dev/outgoing-on-behalf-phone');
    await deputy.getByRole('button', { name: 'Ký số' }).click();
    await signInDialog(deputy);
    await deputy.getByText('KT. Chủ tịch — Phó Chủ tịch Lê Thị Thu ký thay Trần Văn Minh').waitFor();

    await leader.getByTestId('delegation-row').getByRole('button', { name: 'Thu hồi' }).click();
    await leader.getByText('Chưa có ủy quyền nào còn hiệu lực.').waitFor();
    const later = await documentAwaitingSignature(staff, lanhdaoId, 'V/v sau khi thu hồi ủy quyền');
    const deputyApi = await apiAs(browser(), server(), 'phochutich');
    expect((await deputyApi.get<{ id: string }[]>('/api/outgoing?box=signature')).map((d) => d.id)).not.toContain(later);
    await Promise.all([staff.close(), deputyApi.close(), leader.context().close(), deputy.context().close()]);
  }, 180_000);

  test('quantri sets the review chain; chuyenvien sees it proposed when submitting and puts the Văn thư before the Trưởng phòng for this document', async () => {
    const admin = await signIn(browser(), server(), 'quantri');
    await admin.getByRole('navigation').getByRole('link', { name: 'Chuỗi trình duyệt', exact: true }).click();
    await admin.getByTestId('chain-step').filter({ hasText: 'Trưởng đơn vị soạn thảo' }).waitFor();
    await admin.getByRole('combobox', { name: 'Loại bước' }).click();
    await admin.getByRole('option', { name: 'Một người cụ thể' }).click();
    await admin.getByRole('combobox', { name: 'Người duyệt' }).click();
    await admin.getByRole('option', { name: /Nguyễn Thị Hoa/ }).click();
    await admin.getByRole('button', { name: 'Thêm bước' }).click();
    await admin.getByTestId('chain-step').nth(1).filter({ hasText: 'Nguyễn Thị Hoa' }).waitFor();
    await admin.getByRole('button', { name: 'Lưu chuỗi trình duyệt' }).click();
    await admin.getByText('Đã lưu chuỗi trình duyệt.').waitFor();
    // A Quyết định gets its own chain: the general one without the Văn thư step.
    await admin.getByRole('combobox', { name: 'Áp dụng cho' }).click();
    await admin.getByRole('option', { name: 'Quyết định', exact: true }).click();
    await admin.getByText('Quyết định đang dùng chuỗi chung').waitFor();
    await admin.getByTestId('chain-step').nth(1).getByRole('button', { name: 'Bỏ bước' }).click();
    await admin.getByRole('button', { name: 'Lưu chuỗi riêng cho loại văn bản này' }).click();
    await admin.getByRole('button', { name: 'Bỏ chuỗi riêng, dùng chuỗi chung' }).waitFor();
    await expect.poll(() => admin.getByTestId('chain-step').count()).toBe(1);
    await screenshot(admin, 'dev/outgoing-chain-desktop');
    await admin.context().close();
    const adminPhone = await signIn(browser(), server(), 'quantri', PHONE);
    await adminPhone.goto('/outgoing/chain');
    await adminPhone.getByTestId('chain-step').nth(1).waitFor();
    expect(await noHorizontalScroll(adminPhone)).toBe(true);
    await screenshot(adminPhone, 'dev/outgoing-chain-phone');
    await adminPhone.context().close();

    const staffApi = await apiAs(browser(), server(), 'chuyenvien');
    const doc = await staffApi.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v trình theo chuỗi đã điều chỉnh', signerId: await userIdOf(staffApi, 'lanhdao'),
      recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }] });
    await staffApi.post(`/api/outgoing/${doc.id}/sample-file`);
    const staff = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await staff.goto(`/outgoing/${doc.id}`);
    await staff.getByRole('button', { name: 'Trình duyệt' }).click();
    const dialog = staff.getByRole('dialog');
    const rows = dialog.getByTestId('chain-step');
    await expect.poll(() => rows.allInnerTexts()).toEqual([expect.stringContaining('Phạm Quốc Huy'), expect.stringContaining('Nguyễn Thị Hoa')]);
    await rows.nth(1).getByRole('button', { name: 'Lên trên' }).click();
    await dialog.getByText('Đã điều chỉnh cho văn bản này').waitFor();
    expect(await noHorizontalScroll(staff)).toBe(true);
    await screenshot(staff, 'dev/outgoing-submit-chain-phone');
    await dialog.getByRole('button', { name: 'Trình duyệt' }).click();
    await expect.poll(() => statusBadge(staff).innerText()).toBe('Đang trình duyệt');
    const detail = await staffApi.get<Detail>(`/api/outgoing/${doc.id}`);
    expect(detail.steps.map((s) => s.reviewerName)).toEqual(['Nguyễn Thị Hoa', 'Phạm Quốc Huy']);
    await staffApi.close();
    await staff.context().close();
  }, 120_000);

  test('chuyenvien drafts a replacement of an issued document; once issued the old one shows "Đã bị thay thế" and links to it; the history names people in full', async () => {
    const staffApi = await apiAs(browser(), server(), 'chuyenvien');
    const lanhdaoId = await userIdOf(staffApi, 'lanhdao');
    const leaderApi = await apiAs(browser(), server(), 'lanhdao');
    const clerkApi = await apiAs(browser(), server(), 'vanthu');
    const issue = async (id: string) => {
      expect((await leaderApi.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [id], pin: PIN }))[0]?.ok).toBe(true);
      return clerkApi.post<{ numberText: string }>(`/api/outgoing/${id}/issue`);
    };
    const oldId = await documentAwaitingSignature(staffApi, lanhdaoId, 'V/v tổ chức hội nghị (có sai sót ngày họp)');
    const old = await issue(oldId);

    const staff = await signIn(browser(), server(), 'chuyenvien');
    await staff.getByRole('navigation').getByRole('link', { name: 'Đã phát hành', exact: true }).click();
    const row = staff.getByTestId('outgoing-row').filter({ hasText: 'có sai sót ngày họp' });
    await row.getByTestId('received-count').filter({ hasText: 'Đã nhận 0/1' }).waitFor();
    await screenshot(staff, 'dev/outgoing-issued-list-desktop');
    await row.getByRole('link').click();
    await staff.getByRole('button', { name: 'Soạn văn bản thay thế' }).click();
    await staff.getByTestId('replaces-notice').filter({ hasText: old.numberText }).waitFor();
    const subject = staff.getByLabel(/^Trích yếu nội dung/);
    expect(await subject.inputValue()).toBe('V/v tổ chức hội nghị (có sai sót ngày họp)');
    await subject.fill('V/v tổ chức hội nghị (thay thế, sửa ngày họp)');
    await screenshot(staff, 'dev/outgoing-replacement-form-desktop');
    await staff.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await staff.waitForURL(/\/outgoing\/[0-9a-f-]{36}$/);
    const newId = staff.url().split('/').pop() ?? '';
    expect(newId).not.toBe(oldId);
    await staff.getByTestId('replaces-link').filter({ hasText: old.numberText }).waitFor();

    await staffApi.post(`/api/outgoing/${newId}/sample-file`);
    await staffApi.post(`/api/outgoing/${newId}/submit`, { reviewerIds: [] });
    const replacement = await issue(newId);
    await staff.goto(`/outgoing/${oldId}`);
    await expect.poll(() => statusBadge(staff).innerText()).toBe('Đã bị thay thế');
    await staff.getByTestId('replaced-by-link').filter({ hasText: replacement.numberText }).waitFor();
    expect(await staff.getByRole('button', { name: 'Soạn văn bản thay thế' }).count()).toBe(0);
    await staff.getByTestId('outgoing-history').getByText('Hoàng Văn Nam (Chuyên viên, Phòng Tổng hợp)').first().waitFor();
    await screenshot(staff, 'dev/outgoing-replaced-desktop');
    expect((await staffApi.get<Detail>(`/api/outgoing/${newId}`)).replaces).toMatchObject({ id: oldId, status: 'replaced' });

    const phone = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await phone.goto(`/outgoing/${oldId}`);
    await phone.getByTestId('replaced-by-link').waitFor();
    expect(await noHorizontalScroll(phone)).toBe(true);
    await screenshot(phone, 'dev/outgoing-replaced-phone');
    await Promise.all([staffApi.close(), leaderApi.close(), clerkApi.close(), staff.context().close(), phone.context().close()]);
  }, 180_000);
});
