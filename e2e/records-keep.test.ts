import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

/** Today in Vietnam, YYYY-MM-DD (the server counts hand-over dates in Asia/Ho_Chi_Minh). */
const vietnamToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
/** An ISO day moved by whole months (the day of month at most 28, so no month end rolls over). */
function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28))).toISOString().slice(0, 10);
}
/** YYYY-MM-DD → dd/MM/yyyy, as the pages write a day. */
const vn = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

describe.skipIf(!needTool('chromium'))('keeping a work file back past its hand-over date, and construction files', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('on a phone the keeper opens a file, files a document, closes it and asks to keep it back; the leader agrees on the file\'s page; the page says until when and the kept list holds it', async () => {
    const subject = 'V/v tổng kết công tác thi đua khen thưởng năm 2026';
    await issuedToDepartment(browser(), server(), subject);
    const title = 'Hồ sơ tổng kết thi đua khen thưởng năm 2026';
    const today = vietnamToday();
    // a file closed today is due for hand-over a year from today (ND 30 Art. 30.2.b)
    const due = addMonths(today, 12);
    const until = addMonths(due, 6);
    const reason = 'Còn dùng để xét khen thưởng đợt bổ sung';

    const keeper = await signIn('chuyenvien', PHONE);
    await keeper.goto('/records');
    await keeper.getByRole('button', { name: 'Lập hồ sơ' }).click();
    const opening = keeper.getByRole('dialog');
    await opening.getByText('Ngoài danh mục').click();
    await opening.getByLabel(/Số và ký hiệu hồ sơ/).fill('21.TH');
    await opening.getByLabel(/Tiêu đề hồ sơ/).fill(title);
    await opening.getByRole('button', { name: 'Lập hồ sơ' }).click();
    await expect.poll(() => keeper.getByTestId('records-status').innerText()).toBe('Đang mở');
    const fileId = new URL(keeper.url()).pathname.split('/').pop() ?? '';

    // an empty file cannot be closed: the keeper files the issued document first
    await keeper.getByTestId('records-add').click();
    const adding = keeper.getByRole('dialog');
    // the words typed are searched once they settle: wait for that answer, not the latest documents shown before it
    const found = keeper.waitForResponse((r) => r.url().includes('/document-choices?q='));
    await adding.getByLabel('Trích yếu, số/ký hiệu, nơi gửi…').fill('thi đua khen thưởng');
    await found;
    await expect.poll(() => adding.getByTestId('records-choices').innerText()).toContain(subject);
    await adding.getByRole('button', { name: 'Thêm', exact: true }).click();
    await adding.getByTestId('records-choice-added').waitFor();
    await adding.getByRole('button', { name: 'Xong' }).click();
    await expect.poll(() => keeper.getByTestId('records-documents').innerText()).toContain(subject);
    await keeper.getByTestId('records-close').click();
    await keeper.getByTestId('records-confirm').click();
    await expect.poll(() => keeper.getByTestId('records-status').innerText()).toBe('Đã kết thúc');
    expect(await keeper.getByTestId('records-due-note').innerText()).toBe(`Hạn nộp lưu ${vn(due)}.`);

    await keeper.getByTestId('records-keep-ask').click();
    const asking = keeper.getByRole('dialog');
    await asking.getByText(`Hồ sơ đến hạn nộp lưu ngày ${vn(due)}.`).waitFor();
    // from the day after the due date to two years after it (ND 30 Art. 31.3.d)
    const dayAfterDue = new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await asking.getByText(`Từ ${vn(dayAfterDue)} đến ${vn(addMonths(due, 24))}`).waitFor();
    await asking.getByLabel('Giữ lại đến ngày').fill(vn(until));
    await asking.getByLabel('Lý do giữ lại').fill(reason);
    await fitsPhone(keeper);
    await screenshot(keeper, 'records-keep-ask-390');
    await asking.getByTestId('records-keep-send').click();
    const requested = keeper.getByTestId('records-keep-requested');
    await expect.poll(() => requested.innerText()).toContain(`Đề nghị giữ lại đến ${vn(until)} — ${reason} — Hoàng Văn Nam đề nghị ngày ${vn(today)}.`);
    expect(await requested.innerText()).toContain('Đang chờ lãnh đạo cơ quan cho ý kiến.');
    expect(await keeper.getByTestId('records-keep-approve').count()).toBe(0);
    await screenshot(keeper, 'records-keep-requested-390');

    // the leader is told, and the notice opens the file, where the request waits for an answer
    const leader = await signIn('lanhdao', DESKTOP);
    await leader.goto('/incoming');
    const notice = leader.getByTestId('incoming-notice').filter({ hasText: `Đề nghị giữ lại hồ sơ đã đến hạn nộp lưu: 21.TH — ${title}, đến ${vn(until)} — Hoàng Văn Nam: ${reason}` });
    await notice.getByRole('link').click();
    await leader.waitForURL(`**/records/${fileId}`);
    await leader.getByTestId('records-keep-requested').getByText(`Đề nghị giữ lại đến ${vn(until)}`).waitFor();
    await screenshot(leader, 'records-keep-decide-1280');
    await leader.getByTestId('records-keep-approve').click();
    const approved = leader.getByTestId('records-keep-approved');
    await expect.poll(() => approved.innerText()).toBe(`Giữ lại đến ${vn(until)} — ${reason} — đồng ý: Trần Văn Minh, ngày ${vn(today)}`);
    // the file is now due on the day agreed
    await expect.poll(() => leader.getByTestId('records-due-note').innerText()).toBe(`Hạn nộp lưu ${vn(until)}.`);
    await screenshot(leader, 'records-keep-approved-1280');

    // «Hồ sơ giữ lại» on the files list: the Danh mục hồ sơ giữ lại
    await leader.goto('/records');
    await leader.getByTestId('records-kept-filter').click();
    const kept = leader.getByTestId('records-kept').getByRole('link', { name: title });
    await expect.poll(() => kept.innerText()).toContain(`Hạn nộp lưu ${vn(due)} · giữ lại đến ${vn(until)}`);
    expect(await kept.innerText()).toContain(reason);
    expect(await kept.innerText()).toContain(`Đồng ý: Trần Văn Minh, ngày ${vn(today)}`);
    await screenshot(leader, 'records-kept-list-1280');
    await kept.click();
    await leader.waitForURL(`**/records/${fileId}`);

    // the keeper reads the answer on their phone
    await keeper.reload();
    await keeper.getByTestId('records-keep-approved').waitFor();
    expect(await keeper.getByTestId('records-due-note').innerText()).toBe(`Hạn nộp lưu ${vn(until)}.`);
    await fitsPhone(keeper);
    await screenshot(keeper, 'records-keep-approved-390');
    await Promise.all([keeper.context().close(), leader.context().close()]);
  });

  test('the keeper marks a closed file as a construction file settled last month, and it is due three months after the settlement', async () => {
    const subject = 'V/v quyết toán công trình trụ sở Phòng Tổng hợp';
    const outgoingId = await issuedToDepartment(browser(), server(), subject);
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const file = await staff.post<{ id: string }>('/api/records/files', { notation: '22.TH', title: 'Hồ sơ xây dựng trụ sở Phòng Tổng hợp', retention: '20' });
    await staff.post(`/api/records/files/${file.id}/documents`, { ownerType: 'outgoing', ownerId: outgoingId });
    await staff.post(`/api/records/files/${file.id}/close`);
    await staff.close();
    const today = vietnamToday();
    const settledOn = addMonths(today, -1);
    const due = addMonths(settledOn, 3);

    const keeper = await signIn('chuyenvien', PHONE);
    await keeper.goto(`/records/${file.id}`);
    // closed today: due a year from now, until the file is said to be a construction file
    await expect.poll(() => keeper.getByTestId('records-due-note').innerText()).toBe(`Hạn nộp lưu ${vn(addMonths(today, 12))}.`);
    await keeper.getByRole('button', { name: 'Đánh dấu là hồ sơ xây dựng cơ bản' }).click();
    const dialog = keeper.getByRole('dialog');
    await dialog.getByText('nộp lưu trong thời hạn 03 tháng kể từ ngày công trình được quyết toán', { exact: false }).waitFor();
    expect(await dialog.getByLabel('Đây là hồ sơ xây dựng cơ bản').isChecked()).toBe(true);
    await dialog.getByLabel('Ngày công trình được quyết toán').fill(vn(settledOn));
    await fitsPhone(keeper);
    await screenshot(keeper, 'records-construction-mark-390');
    await dialog.getByTestId('records-construction-save').click();
    await expect.poll(() => keeper.getByTestId('records-construction').innerText()).toContain(`Hồ sơ xây dựng cơ bản — công trình quyết toán ngày ${vn(settledOn)}`);
    await expect.poll(() => keeper.getByTestId('records-due-note').innerText()).toBe(`Hạn nộp lưu ${vn(due)}.`);
    expect(await keeper.getByRole('button', { name: 'Sửa ngày quyết toán' }).count()).toBe(1);
    await fitsPhone(keeper);
    await screenshot(keeper, 'records-construction-settled-390');
    await keeper.context().close();
  });
});
