import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, PIN, PROVINCE_CODE, signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))("the agency's địa danh, on the date line of every document it issues", () => {
  const { server, browser } = useBrowserAndServer();

  test('without a địa danh the clerk is warned before issuing; the agency admin enters it under Đơn vị › Thông tin cơ quan, and the date line then carries it', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    await db.updateTable('agency').set({ placeName: '' }).where('code', '=', PROVINCE_CODE).execute();
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const people = await staff.get<{ users: { id: string; fullName: string }[] }>('/api/incoming/directory');
    const id = await documentAwaitingSignature(staff, people.users.find((u) => u.fullName === 'Trần Văn Minh')?.id ?? '', 'V/v khai báo địa danh của cơ quan');
    await staff.close();
    const leader = await apiAs(browser(), server(), 'lanhdao');
    expect((await leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [id], pin: PIN }))[0]?.ok).toBe(true);
    await leader.close();

    const clerk = await signIn(browser(), server(), 'vanthu', PHONE);
    const openIssue = async () => {
      await clerk.goto(`${server().url}/outgoing/${id}`);
      await clerk.getByRole('button', { name: 'Phát hành', exact: true }).click();
      return clerk.getByTestId('issue-preview');
    };
    let preview = await openIssue();
    await clerk.getByTestId('issue-no-place-name').waitFor();
    expect(await preview.innerText()).toMatch(/Ủy ban nhân dân tỉnh Thái Hòa, ngày/);
    await screenshot(clerk, 'issue-no-place-name-390');

    const admin = await signIn(browser(), server(), 'quantri', PHONE);
    await admin.goto(`${server().url}/admin/units`);
    await admin.getByRole('button', { name: 'Thông tin cơ quan' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Địa danh').fill('Thái Hòa');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.context().close();

    preview = await openIssue();
    await expect.poll(() => preview.innerText()).toMatch(/Thái Hòa, ngày \d\d tháng \d{1,2} năm \d{4}/);
    expect(await preview.innerText()).not.toMatch(/Ủy ban nhân dân tỉnh Thái Hòa, ngày/);
    expect(await clerk.getByTestId('issue-no-place-name').count()).toBe(0);
    await clerk.context().close();
  });
});
