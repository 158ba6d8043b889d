import { describe, expect, test } from 'vitest';
import type { Dialog, Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { makeTextPdf } from '../src/domain/incoming/incoming.testing.ts';
import { vietnamDay } from '../src/platform/dates.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn as signInAs } from './outgoing.helpers.ts';

const vn = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const dayFromToday = (days: number) => new Date(Date.parse(`${vietnamDay()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The commune clerk takes in a paper document on the phone: the upload dialog, then the document's page. */
async function receivePaper(page: Page, name: string): Promise<string> {
  await page.goto('/incoming');
  await page.getByRole('button', { name: 'Tiếp nhận văn bản giấy' }).click();
  await page.getByRole('dialog').locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(await makeTextPdf(['Trang 1'])) });
  await page.getByRole('dialog').getByRole('button', { name: 'Tiếp nhận' }).click();
  await page.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
  return page.url();
}

/** Types the register entry of the Phòng Tài nguyên và Môi trường's letter, as printed on the paper. */
async function typeEntry(page: Page) {
  await page.getByRole('textbox', { name: 'Nơi gửi (tác giả)' }).fill('Phòng Tài nguyên và Môi trường huyện Bình Sơn');
  await page.getByRole('textbox', { name: 'Số', exact: true }).fill('245');
  await page.getByRole('textbox', { name: 'Ký hiệu' }).fill('TNMT-ĐĐ');
  await page.getByRole('textbox', { name: 'Ngày văn bản' }).fill('02/12/2026');
  await page.getByRole('textbox', { name: 'Trích yếu' }).fill('V/v rà soát hiện trạng sử dụng đất công ích trên địa bàn xã');
}

const registerCalls = (page: Page) => {
  const calls: string[] = [];
  // what each register request asked: a plain registration, or one the clerk confirmed as a second copy
  page.on('request', (r) => { if (r.method() === 'POST' && /\/register$/.test(r.url())) calls.push((r.postDataJSON() as { confirmDuplicate?: boolean }).confirmDuplicate ? 'confirmed' : 'plain'); });
  return calls;
};

describe.skipIf(!needTool('chromium'))('a commune clerk and chairman on their phones', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string) => signInAs(browser(), server(), login, PHONE);

  test('the clerk is told the số đến taken, is asked before registering the same letter twice, and a date typed wrong is not sent; registered anyway, the page opens the earlier one', async () => {
    const clerk = await signIn('xa.vanthu');
    await receivePaper(clerk, 'cv-245-tnmt.pdf');
    await typeEntry(clerk);
    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    const done = clerk.getByText(/^Đã vào sổ, số đến \d{2}\/2026$/);
    await done.waitFor();
    const first = (await done.innerText()).replace('Đã vào sổ, số đến ', '');
    await screenshot(clerk, 'dev/incoming-commune-registered-phone');

    // the same letter scanned again a week later: asked, and nothing is taken while the clerk says no
    await receivePaper(clerk, 'cv-245-tnmt-lan-2.pdf');
    const calls = registerCalls(clerk);
    await typeEntry(clerk);
    let asked = '';
    clerk.once('dialog', (d) => { asked = d.message(); void d.dismiss(); });
    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    await expect.poll(() => asked).toContain(`số đến ${first}`);
    expect(asked).toContain('245/TNMT-ĐĐ — 02/12/2026 — Phòng Tài nguyên và Môi trường huyện Bình Sơn');
    // the server asked (409 incoming.possible_duplicate, no số taken); nothing confirmed
    expect(calls).toEqual(['plain']);
    expect(await clerk.getByText('Chờ vào sổ', { exact: true }).count()).toBeGreaterThan(0);

    // a deadline that is no date (30 days in November) shows its error and stops the entry, focused, instead of sending the last valid one
    await clerk.getByRole('textbox', { name: 'Hạn giải quyết' }).fill('31/11/2026');
    const unexpected = (d: Dialog) => { asked = `unexpected: ${d.message()}`; void d.dismiss(); };
    clerk.once('dialog', unexpected);
    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    await expect.poll(() => clerk.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await clerk.getByText('Nhập ngày theo dạng ngày/tháng/năm').waitFor();
    expect(calls).toEqual(['plain']);
    expect(asked).not.toContain('unexpected');
    clerk.off('dialog', unexpected);
    await screenshot(clerk, 'dev/incoming-commune-bad-date-phone');

    // registered anyway (the clerk says yes): the page names the earlier one and opens it
    const firstUrl = clerk.url();
    await clerk.getByRole('textbox', { name: 'Hạn giải quyết' }).fill('');
    clerk.once('dialog', (d) => void d.accept());
    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    const twinAlert = clerk.getByTestId('incoming-duplicate');
    await twinAlert.waitFor();
    expect(await twinAlert.innerText()).toContain(`Có thể trùng với văn bản số đến ${first}`);
    await twinAlert.getByRole('link', { name: 'Mở văn bản đó' }).click();
    await clerk.getByText(`Số đến ${first} ·`).waitFor();
    expect(clerk.url()).not.toBe(firstUrl);
  });

  test('the chairman is told in Vietnamese what is missing, cannot give a deadline already past, is told the direction went out, and a part left open reads so once the document is closed', async () => {
    const clerk = await signIn('xa.vanthu');
    const url = await receivePaper(clerk, 'cv-310-tc.pdf');
    await clerk.getByRole('textbox', { name: 'Nơi gửi (tác giả)' }).fill('Phòng Tài chính - Kế hoạch huyện Bình Sơn');
    await clerk.getByRole('textbox', { name: 'Ký hiệu' }).fill('TCKH');
    await clerk.getByRole('textbox', { name: 'Ngày văn bản' }).fill(vn(dayFromToday(-3)));
    await clerk.getByRole('textbox', { name: 'Trích yếu' }).fill('V/v báo cáo tình hình giải ngân vốn đầu tư công');
    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    await clerk.getByText(/^Đã vào sổ, số đến/).waitFor();
    await clerk.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await clerk.getByText('Đã trình Trịnh Văn Sơn.').waitFor();

    const chairman = await signIn('xa.chutich');
    await chairman.goto(url.replace(/^.*\/incoming\//, '/incoming/'));
    await chairman.getByRole('textbox', { name: 'Ý kiến chỉ đạo' }).fill('Giao đồng chí Yến tổng hợp, báo cáo.');
    // no lead chosen: said in Vietnamese under the form, nothing sent
    await chairman.getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).click();
    expect(await chairman.getByTestId('action-missing').innerText()).toBe('Hãy chọn «Chủ trì».');
    await chairman.getByRole('combobox', { name: 'Chủ trì' }).click();
    await chairman.getByRole('option', { name: /Cao Thị Yến/ }).click();
    const direct = chairman.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/direct'), { timeout: 1500 }).then(() => true, () => false);
    await chairman.getByRole('textbox', { name: 'Thời hạn giải quyết' }).fill(vn(dayFromToday(-1)));
    await chairman.getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).click();
    await chairman.getByText('Thời hạn đã qua: chọn một ngày từ hôm nay trở đi.').waitFor();
    expect(await direct).toBe(false);
    await screenshot(chairman, 'dev/incoming-commune-past-deadline-phone');

    await chairman.getByRole('textbox', { name: 'Thời hạn giải quyết' }).fill(vn(dayFromToday(7)));
    await chairman.getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).click();
    await chairman.getByText('Đã cho ý kiến chỉ đạo và giao việc.', { exact: true }).waitFor();
    await chairman.getByRole('row', { name: `Hạn giải quyết ${vn(dayFromToday(7))}` }).waitFor();
    await screenshot(chairman, 'dev/incoming-commune-directed-phone');

    // closed before the handler marked her part done: her part no longer reads «Chưa xử lý» beside «Đã xong»
    const part = chairman.getByTestId('incoming-participants');
    expect(await part.innerText()).toContain(`Cao Thị Yến — Chủ trì · hạn\u00a0${vn(dayFromToday(7))}`);
    chairman.once('dialog', (d) => void d.accept());
    await chairman.getByRole('button', { name: 'Kết thúc xử lý' }).click();
    await chairman.getByText('Đã kết thúc xử lý: văn bản chuyển sang «Đã xong».', { exact: true }).waitFor();
    await part.getByText('Chưa báo hoàn thành').waitFor();
    expect(await part.getByText('Chưa xử lý').count()).toBe(0);

    // reopening asks for its reason in Vietnamese (not the browser's «Please fill out this field.»), and spaces are no reason
    const reopened = chairman.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/reopen'), { timeout: 1500 }).then(() => true, () => false);
    await chairman.getByRole('textbox', { name: 'Lý do mở lại' }).fill('   ');
    await chairman.getByRole('button', { name: 'Mở lại' }).click();
    expect(await chairman.getByTestId('action-missing').innerText()).toBe('Hãy nhập «Lý do mở lại».');
    expect(await reopened).toBe(false);
    expect(await chairman.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName)).toBe('TEXTAREA');
  });

  test('the search hint of the incoming list is read whole on the phone', async () => {
    const clerk = await signIn('xa.vanthu');
    await clerk.goto('/incoming');
    const box = clerk.getByRole('textbox', { name: 'Tìm kiếm' });
    await box.waitFor();
    // the placeholder's width in the input's own font, against the room the input leaves for text
    const fit = await box.evaluate((el: HTMLInputElement) => {
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d');
      if (!context) throw new Error('no canvas');
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      return { text: el.placeholder, needed: context.measureText(el.placeholder).width, room: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
    });
    expect(fit.text).toBe('Trích yếu, ký hiệu, nội dung…');
    expect(fit.needed).toBeLessThanOrEqual(fit.room);
  });

  test('the commune chairman, the only leader, is told there is nobody to delegate direction to instead of an empty list', async () => {
    const chairman = await signIn('xa.chutich');
    await chairman.goto('/incoming');
    await chairman.getByTestId('delegation-no-deputy').waitFor();
    expect(await chairman.getByTestId('delegation-no-deputy').innerText()).toBe('Cơ quan chưa có lãnh đạo nào khác để ủy quyền cho ý kiến chỉ đạo.');
    expect(await chairman.getByRole('combobox', { name: 'Lãnh đạo được ủy quyền' }).count()).toBe(0);
  });
});
