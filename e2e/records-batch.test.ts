import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { ARTIFACTS, DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

/** Today in Vietnam as the biên bản dates it: «ngày 07 tháng 12 năm 2026», months 1 and 2 with a leading zero (ND 30 Phụ lục I). */
function vietnamLongDay(): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).split('-') as [string, string, string];
  return `ngày ${d} tháng ${Number(m) < 3 ? m : String(Number(m))} năm ${y}`;
}
const vietnamYear = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

/** Clicks a link that answers with an attachment, keeps the file under artifacts/ (and its first page as PNG), and returns its text. */
async function download(page: Page, name: string, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  const saved = path.join(ARTIFACTS, name);
  await file.saveAs(saved);
  execFileSync('pdftoppm', ['-png', '-r', '70', saved, saved.replace(/\.pdf$/, '')]);
  return execFileSync('pdftotext', ['-layout', saved, '-']).toString();
}

/** A POST from the signed-in page itself (its session and CSRF token), answering the status and the error code. */
const postFromPage = (page: Page, url: string, body: unknown = {}) => page.evaluate(async ([u, b]) => {
  const session = (await (await fetch('/api/auth/session')).json()) as { data: { csrfToken: string } };
  const res = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.data.csrfToken }, body: JSON.stringify(b) });
  return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code ?? null] as const;
}, [url, body] as const);

describe.skipIf(!needTool('chromium', 'pdftotext', 'pdftoppm'))('handing closed files over as one batch (đợt nộp lưu) in Chromium', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('on a phone the clerk hands two closed files of the Phòng Tổng hợp over together and downloads the mục lục and the numbered biên bản; a chuyên viên cannot receive it; the archivist receives it and the biên bản names her', async () => {
    const subject = 'V/v báo cáo công tác văn thư, lưu trữ năm 2026';
    const outgoingId = await issuedToDepartment(browser(), server(), subject);
    // two files of chuyenvien (Phòng Tổng hợp) and one of the clerk (Văn phòng), all closed through the API
    const files: Record<string, string> = {};
    for (const [login, notation, title] of [['chuyenvien', '31.TH', 'Hồ sơ báo cáo văn thư, lưu trữ năm 2026'], ['chuyenvien', '32.TH', 'Hồ sơ kiểm tra công tác lưu trữ năm 2026'],
      ['vanthu', '33.VP', 'Hồ sơ sổ đăng ký văn bản đi năm 2026']] as const) {
      const keeper = await apiAs(browser(), server(), login);
      const file = await keeper.post<{ id: string }>('/api/records/files', { notation, title, retention: '10' });
      await keeper.post(`/api/records/files/${file.id}/documents`, { ownerType: 'outgoing', ownerId: outgoingId });
      await keeper.post(`/api/records/files/${file.id}/close`);
      await keeper.close();
      files[notation] = file.id;
    }

    const clerk = await signIn('vanthu', PHONE);
    await clerk.goto('/records/hand-over');
    const closed = clerk.getByTestId('records-hand-over-files');
    await closed.getByRole('checkbox', { name: '31.TH — Hồ sơ báo cáo văn thư, lưu trữ năm 2026' }).check();
    await closed.getByRole('checkbox', { name: '32.TH — Hồ sơ kiểm tra công tác lưu trữ năm 2026' }).check();
    // one unit per batch: the Văn phòng's file cannot join the Phòng Tổng hợp's
    expect(await closed.getByRole('checkbox', { name: '33.VP — Hồ sơ sổ đăng ký văn bản đi năm 2026' }).isDisabled()).toBe(true);
    await fitsPhone(clerk);
    await screenshot(clerk, 'records-batch-chosen-390');
    await clerk.getByTestId('records-batch-submit').click();
    const confirm = clerk.getByRole('dialog');
    await confirm.getByText('Nộp lưu 2 hồ sơ đã chọn trong một đợt.', { exact: false }).waitFor();
    await confirm.getByLabel('Ghi chú của đợt nộp lưu').fill('Nộp lưu hồ sơ năm 2026 của Phòng Tổng hợp');
    await confirm.getByRole('button', { name: 'Nộp lưu', exact: true }).click();
    await clerk.getByText('Đã nộp lưu 2 hồ sơ. Đợt nộp lưu chờ Lưu trữ cơ quan tiếp nhận.').waitFor();

    // the notice takes her to the batch it made
    await clerk.getByTestId('records-batch-done').getByRole('button', { name: 'Xem đợt chờ tiếp nhận' }).click();
    expect(await clerk.getByRole('tab', { name: 'Chờ tiếp nhận' }).getAttribute('aria-selected')).toBe('true');
    const batch = clerk.getByTestId('records-batches-waiting');
    await expect.poll(() => batch.innerText()).toContain('Phòng Tổng hợp: 2 hồ sơ');
    const number = `01/BB-UBND`;
    expect(await batch.innerText()).toContain(`Biên bản số ${number} · Nộp lưu: Nguyễn Thị Hoa`);
    expect(await batch.innerText()).toContain('Nộp lưu hồ sơ năm 2026 của Phòng Tổng hợp');
    expect(await batch.getByTestId('records-batch-receive').count()).toBe(0);
    await fitsPhone(clerk);
    await screenshot(clerk, 'records-batch-waiting-390');

    const catalog = await download(clerk, 'records-batch-muc-luc.pdf', () => batch.getByRole('link', { name: 'Mục lục hồ sơ nộp lưu (PDF)' }).click());
    // ND 30 Phụ lục V mục III: the unit that hands over under the agency, the mục lục of the files kept for a term
    expect(catalog.replace(/\s+/g, ' ')).toContain('PHÒNG TỔNG HỢP Độc lập - Tự do - Hạnh phúc MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU Bảo quản có thời hạn');
    expect(catalog).toMatch(/1\s+31\.TH\s+Hồ sơ báo cáo văn thư,[\s\S]*2\s+32\.TH/);
    expect(catalog).not.toContain('33.VP');
    const minutes = await download(clerk, 'records-batch-bien-ban.pdf', () => batch.getByRole('link', { name: 'Biên bản giao nhận (PDF)' }).click());
    expect(minutes).toMatch(new RegExp(`Số: ${number}\\s+Thái Hòa, ${vietnamLongDay()}\\n`));
    expect(minutes.replace(/\s+/g, ' ')).toContain('BÊN GIAO: Phòng Tổng hợp Ông (bà): Nguyễn Thị Hoa Chức vụ công tác: Văn thư');
    expect(minutes.replace(/\s+/g, ' ')).toMatch(/BÊN NHẬN: Lưu trữ cơ quan Ông \(bà\): …/);
    expect(minutes).toContain('- Tổng số hồ sơ: 2 (');
    await clerk.context().close();

    // the chuyên viên sees the batch of their unit, with its papers, but has no «Tiếp nhận», and the server refuses them
    const staff = await signIn('chuyenvien', PHONE);
    await staff.goto('/records/hand-over');
    await staff.getByRole('tab', { name: 'Chờ tiếp nhận' }).click();
    await expect.poll(() => staff.getByTestId('records-batches-waiting').innerText()).toContain(`Biên bản số ${number}`);
    expect(await staff.getByTestId('records-batch-receive').count()).toBe(0);
    const [batchId] = (await staff.evaluate(async () => ((await (await fetch('/api/records/hand-over-batches?status=waiting')).json()) as { data: { id: string }[] }).data.map((b) => b.id)));
    expect(await postFromPage(staff, `/api/records/hand-over-batches/${batchId}/receive`)).toEqual([403, 'forbidden']);
    // nor may they hand over the clerk's file, which they do not see
    expect(await postFromPage(staff, '/api/records/hand-over-batches', { fileIds: [files['33.VP']] })).toEqual([404, 'records.file_not_found']);
    await staff.getByRole('tab', { name: 'Hồ sơ chờ nộp lưu' }).click();
    await staff.getByText('Không có hồ sơ đã kết thúc nào chờ nộp lưu').waitFor();
    await staff.context().close();

    // the archivist's home page counts the batch waiting for her, and its tile opens «Chờ tiếp nhận», where she takes it in
    const archivist = await signIn('luutru', DESKTOP);
    const tile = archivist.getByTestId('records-count-batches-waiting');
    await expect.poll(() => tile.innerText()).toMatch(/Đợt nộp lưu chờ tiếp nhận\s+1/);
    await tile.click();
    await archivist.waitForURL('**/records/hand-over');
    const waiting = archivist.getByTestId('records-batches-waiting');
    await expect.poll(() => waiting.innerText()).toContain('Phòng Tổng hợp: 2 hồ sơ');
    // «Tiếp nhận» asks first, naming the batch; cancelled, nothing changes
    await waiting.getByTestId('records-batch-receive').click();
    const ask = archivist.getByRole('dialog');
    expect(await ask.innerText()).toContain(`Tiếp nhận 2 hồ sơ của Phòng Tổng hợp vào Lưu trữ cơ quan (biên bản số ${number})?`);
    await ask.getByRole('button', { name: 'Hủy' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await waiting.innerText()).toContain('Phòng Tổng hợp: 2 hồ sơ');
    await waiting.getByTestId('records-batch-receive').click();
    await archivist.getByTestId('records-batch-receive-confirm').click();
    // the waiting list is now empty, and the page still says what was done
    await archivist.getByText('Không có đợt nộp lưu nào chờ tiếp nhận').waitFor();
    expect(await archivist.getByTestId('records-batch-done').innerText()).toContain(`Đã tiếp nhận 2 hồ sơ vào Lưu trữ cơ quan (biên bản số ${number}).`);
    await archivist.getByTestId('records-batch-done').getByRole('button', { name: 'Xem đợt đã tiếp nhận' }).click();
    const received = archivist.getByTestId('records-batches-received');
    await expect.poll(() => received.innerText()).toContain('Tiếp nhận: Đỗ Thị Lan');
    await screenshot(archivist, 'records-batch-received-1280');
    const signed = await download(archivist, 'records-batch-bien-ban-tiep-nhan.pdf', () => received.getByRole('link', { name: 'Biên bản giao nhận (PDF)' }).click());
    // printed again, the biên bản keeps its number and now names who received it
    expect(signed).toMatch(new RegExp(`Số: ${number}\\s+Thái Hòa, ${vietnamLongDay()}\\n`));
    expect(signed.replace(/\s+/g, ' ')).toContain('BÊN NHẬN: Lưu trữ cơ quan Ông (bà): Đỗ Thị Lan Chức vụ công tác: Lưu trữ viên');
    expect(vietnamYear()).toBe(minutes.match(/năm (\d{4})\n/)?.[1]);
    await archivist.context().close();

    // the keeper's file page says the archive took it in, with the biên bản, and leads to the batch
    const keeper = await signIn('chuyenvien', PHONE);
    for (const id of [files['31.TH'], files['32.TH']]) {
      await keeper.goto(`/records/${id}`);
      await expect.poll(() => keeper.getByTestId('records-status').innerText()).toBe('Đã nộp lưu');
      const note = keeper.getByTestId('records-handed-over');
      await expect.poll(() => note.innerText()).toContain(`Biên bản số ${number} · Lưu trữ cơ quan đã tiếp nhận ngày`);
      expect(await note.innerText()).toContain('(Đỗ Thị Lan)');
    }
    await fitsPhone(keeper);
    await screenshot(keeper, 'records-batch-file-received-390');
    expect(await keeper.getByTestId('records-handed-over').getByRole('link', { name: 'Biên bản giao nhận (PDF)' }).getAttribute('href')).toMatch(/^\/api\/records\/hand-over-batches\/[0-9a-f-]+\/minutes\.pdf$/);
    await keeper.getByRole('link', { name: 'Xem đợt nộp lưu' }).click();
    await keeper.waitForURL('**/records/hand-over?tab=received');
    await expect.poll(() => keeper.getByTestId('records-batches-received').innerText()).toContain(`Biên bản số ${number}`);
    await keeper.context().close();

    // the clerk hands her last closed file over: the list empties, and the page still says it was done
    const last = await signIn('vanthu', PHONE);
    await last.goto('/records/hand-over');
    await last.getByRole('checkbox', { name: '33.VP — Hồ sơ sổ đăng ký văn bản đi năm 2026' }).check();
    await last.getByTestId('records-batch-submit').click();
    await last.getByRole('dialog').getByRole('button', { name: 'Nộp lưu', exact: true }).click();
    await last.getByText('Không có hồ sơ đã kết thúc nào chờ nộp lưu').waitFor();
    expect(await last.getByTestId('records-batch-done').innerText()).toContain('Đã nộp lưu 1 hồ sơ.');
    // her file's page: waiting for the archive
    await last.goto(`/records/${files['33.VP']}`);
    await expect.poll(() => last.getByTestId('records-handed-over').innerText()).toContain('Biên bản số 02/BB-UBND · chờ Lưu trữ cơ quan tiếp nhận');
    await last.context().close();
  });
});
