import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { makeIncomingFor } from '../src/domain/records/records.testing.ts';
import { addDocumentToFile, closeRecordsFile, openRecordsFile } from '../src/domain/records/records.service.ts';
import { sendHandOverNotices } from '../src/domain/records/records-hand-over.service.ts';
import { ARTIFACTS, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('work files (hồ sơ công việc)', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  /** The demo staff member as an actor, to give them a registered incoming document (the paper intake has its own e2e test). */
  async function demoActor(username: string): Promise<Actor> {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    const u = await db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    return { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username, fullName: u.fullName, roles: u.roles as Role[] };
  }

  test('a commune clerk with no work file yet is told how to open one', async () => {
    const page = await signIn('xa.vanthu', PHONE);
    await page.goto('/records');
    await expect.poll(() => page.getByTestId('records-empty').innerText()).toContain('Bấm «Lập hồ sơ» để lập hồ sơ theo Danh mục hồ sơ');
    await page.getByRole('button', { name: 'Lập hồ sơ' }).waitFor();
    await page.context().close();
  });

  test('staff file an incoming and an outgoing document from their pages, close the file; the clerk hands it over', async () => {
    const outgoingId = await issuedToDepartment(browser(), server(), 'V/v báo cáo kết quả chuyển đổi số năm 2026');
    const db = server().db;
    if (!db) throw new Error('no db');
    const incomingId = await makeIncomingFor(db, await demoActor('chuyenvien'), { status: 'done', subject: 'Về việc triển khai Đề án 06 năm 2026', documentDate: '2026-03-02', pageCount: 3 });

    const staff = await signIn('chuyenvien');
    await staff.getByRole('link', { name: 'Hồ sơ công việc' }).first().click();
    await staff.getByTestId('records-list').waitFor();
    await screenshot(staff, 'dev/records-list-desktop');

    for (const path of [`/incoming/${incomingId}`, `/outgoing/${outgoingId}`]) {
      await staff.goto(path);
      const card = staff.getByTestId('file-document-card');
      await card.getByText('Văn bản chưa thuộc hồ sơ nào.').waitFor();
      await card.getByPlaceholder('Chọn hồ sơ đang mở').click();
      await staff.getByRole('option', { name: /02\.TH/ }).click();
      await card.getByTestId('add-to-file').click();
      await card.getByRole('link', { name: /02\.TH/ }).waitFor();
    }
    await screenshot(staff, 'dev/records-outgoing-filed-desktop');

    await staff.getByTestId('file-document-card').getByRole('link', { name: /02\.TH/ }).click();
    const docs = staff.getByTestId('records-documents');
    await expect.poll(() => docs.innerText()).toContain('Về việc triển khai Đề án 06 năm 2026');
    expect(await docs.innerText()).toContain('V/v báo cáo kết quả chuyển đổi số năm 2026');
    await screenshot(staff, 'dev/records-detail-open-desktop');
    await staff.getByTestId('records-close').click();
    await staff.getByTestId('records-confirm').click();
    await expect.poll(() => staff.getByTestId('records-status').innerText()).toBe('Đã kết thúc');
    const fileUrl = staff.url();

    const clerk = await signIn('vanthu');
    await clerk.goto(fileUrl);
    await clerk.getByTestId('records-handOver').click();
    await clerk.getByTestId('records-confirm').click();
    await expect.poll(() => clerk.getByTestId('records-status').innerText()).toBe('Đã nộp lưu');
    await clerk.getByText('Hồ sơ đã nộp lưu vào Lưu trữ cơ quan').waitFor();
    await screenshot(clerk, 'dev/records-detail-handed-over-desktop');
    const index = await clerk.request.get(`${fileUrl.replace('/records/', '/api/records/files/')}/index`);
    expect([index.status(), index.headers()['content-type']]).toEqual([200, 'application/pdf']);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(`${ARTIFACTS}/dev`, { recursive: true });
    await writeFile(`${ARTIFACTS}/dev/records-index.pdf`, await index.body());
    await clerk.goto('/records/plan');
    await clerk.getByTestId('records-plan').waitFor();
    await screenshot(clerk, 'dev/records-plan-desktop');
    const next = String(new Date().getFullYear() + 1);
    await clerk.getByRole('combobox', { name: 'Năm' }).click();
    await clerk.getByRole('option', { name: next, exact: true }).click();
    await clerk.getByRole('button', { name: /^Chép danh mục năm \d{4} sang$/ }).click();
    await expect.poll(() => clerk.getByTestId('records-plan').innerText()).toContain(`Hồ sơ triển khai chuyển đổi số của tỉnh năm ${next}`);

    const phone = await signIn('vanthu', PHONE);
    for (const [path, name, ready] of [[fileUrl.replace(/^https?:\/\/[^/]+/, ''), 'detail', 'records-documents'], ['/records/plan', 'plan', 'records-plan'], [`/outgoing/${outgoingId}`, 'outgoing', 'file-document-card']] as const) {
      await phone.goto(path);
      await phone.getByTestId(ready).waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
      await screenshot(phone, `dev/records-${name}-phone`);
    }
    const staffPhone = await signIn('chuyenvien', PHONE);
    await staffPhone.goto('/records');
    await staffPhone.getByTestId('records-list').waitFor();
    expect(await staffPhone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(staffPhone, 'dev/records-list-phone');
    await staffPhone.getByRole('button', { name: 'Lập hồ sơ' }).click();
    await staffPhone.getByRole('dialog').getByText('Ngoài danh mục').click();
    await staffPhone.getByRole('dialog').getByLabel(/Số và ký hiệu hồ sơ/).fill('04.TH');
    await staffPhone.getByRole('dialog').getByLabel(/Tiêu đề hồ sơ/).fill('Hồ sơ góp ý dự thảo văn bản năm 2026');
    await screenshot(staffPhone, 'dev/records-open-phone');
    await staffPhone.getByRole('dialog').getByRole('button', { name: 'Lập hồ sơ' }).click();
    await expect.poll(() => staffPhone.getByTestId('records-status').innerText()).toBe('Đang mở');
    await staffPhone.getByText('Hồ sơ chưa có văn bản nào').waitFor();
  });

  test('a closed file a year old is on its keeper\'s home page and due list; the leader sees no «Nộp lưu», the keeper hands it over', async () => {
    const db = server().db;
    if (!db) throw new Error('no db');
    const keeper = await demoActor('chuyenvien');
    const c = { db, actor: keeper };
    const fileId = await openRecordsFile({ ...c, body: { notation: '11.TH', title: 'Hồ sơ tổng kết cải cách hành chính năm 2025', retention: '10', description: '' } });
    await addDocumentToFile({ ...c, fileId, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(db, keeper, { status: 'done' }) } });
    await closeRecordsFile({ ...c, id: fileId });
    await db.updateTable('recordsFile').set({ closedAt: new Date(Date.now() - 355 * 86_400_000) }).where('id', '=', fileId).execute();
    // the daily reminder's run: the keeper hears of it in their «Thông báo» too
    await db.transaction().execute((tx) => sendHandOverNotices(tx, 'http://vanthu.example'));

    const leader = await signIn('lanhdao', PHONE);
    await leader.goto(`/records/${fileId}`);
    await leader.getByTestId('records-due-note').waitFor();
    expect(await leader.getByTestId('records-handOver').count()).toBe(0);
    await leader.context().close();

    const staff = await signIn('chuyenvien', PHONE);
    await staff.goto('/incoming');
    const notice = staff.getByTestId('incoming-notice').filter({ hasText: /^Hồ sơ đến hạn nộp lưu: 11\.TH — Hồ sơ tổng kết cải cách hành chính năm 2025: hạn nộp lưu \d\d\/\d\d\/\d{4}/ });
    await notice.waitFor();
    await screenshot(staff, 'dev/records-hand-over-notice-phone');
    // the notice opens the file itself
    await notice.getByRole('link').click();
    await staff.waitForURL(`**/records/${fileId}`);
    await staff.getByTestId('records-due-note').waitFor();
    await staff.goto('/');
    await staff.getByTestId('records-count-hand-over-due').click();
    await staff.waitForURL('**/records?scope=mine&handOver=due&year=all');
    const card = staff.getByRole('link', { name: 'Hồ sơ tổng kết cải cách hành chính năm 2025' });
    await expect.poll(() => card.getByTestId('records-due-badge').innerText()).toMatch(/^Đến hạn nộp lưu · \d\d\/\d\d\/\d{4}$/);
    expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(staff, 'dev/records-hand-over-due-phone');
    await card.click();
    await staff.getByTestId('records-due-note').waitFor();
    await staff.getByTestId('records-handOver').click();
    await staff.getByTestId('records-confirm').click();
    await expect.poll(() => staff.getByTestId('records-status').innerText()).toBe('Đã nộp lưu');
    await staff.context().close();
  });

  test('on a phone, staff find documents from inside their file by part of the số/ký hiệu or a word of the trích yếu, and add them', async () => {
    const db = server().db;
    if (!db) throw new Error('no db');
    const staff = await demoActor('chuyenvien');
    await makeIncomingFor(db, staff, { status: 'in_progress', number: '1187', notation: 'SKHCN-CĐS', issuerName: 'Sở Khoa học và Công nghệ', subject: 'Góp ý dự thảo Kế hoạch chuyển đổi số năm 2027' });
    await makeIncomingFor(db, staff, { status: 'done', number: '548', notation: 'TB-VPCP', issuerName: 'Văn phòng Chính phủ', subject: 'Kết luận về cải cách thủ tục hành chính' });

    const phone = await signIn('chuyenvien', PHONE);
    await phone.goto('/records');
    await phone.getByRole('button', { name: 'Lập hồ sơ' }).click();
    await phone.getByRole('dialog').getByText('Ngoài danh mục').click();
    await phone.getByRole('dialog').getByLabel(/Số và ký hiệu hồ sơ/).fill('07.TH');
    await phone.getByRole('dialog').getByLabel(/Tiêu đề hồ sơ/).fill('Hồ sơ góp ý kế hoạch chuyển đổi số');
    await phone.getByRole('dialog').getByRole('button', { name: 'Lập hồ sơ' }).click();
    await phone.getByText('Bấm «Thêm văn bản» để tìm').waitFor();

    await phone.getByTestId('records-add').click();
    const dialog = phone.getByRole('dialog');
    await dialog.getByTestId('records-choices').waitFor();
    await dialog.getByLabel('Trích yếu, số/ký hiệu, nơi gửi…').fill('SKHCN');
    await expect.poll(() => dialog.getByTestId('records-choices').innerText()).not.toContain('cải cách thủ tục');
    expect(await dialog.getByTestId('records-choices').innerText()).toContain('1187/SKHCN-CĐS');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/records-add-search-phone');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    await dialog.getByTestId('records-choice-added').waitFor();
    await dialog.getByLabel('Trích yếu, số/ký hiệu, nơi gửi…').fill('thủ tục hành chính');
    await expect.poll(() => dialog.getByTestId('records-choices').innerText()).toContain('548/TB-VPCP');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    await dialog.getByTestId('records-choice-added').waitFor();
    await dialog.getByRole('button', { name: 'Xong' }).click();

    const docs = phone.getByTestId('records-documents');
    await expect.poll(() => docs.innerText()).toContain('Kết luận về cải cách thủ tục hành chính');
    expect(await docs.innerText()).toContain('Góp ý dự thảo Kế hoạch chuyển đổi số năm 2027');
    // the document still being handled says so on its line: it is what keeps the file from closing
    expect(await phone.getByTestId('records-doc-unfinished').allInnerTexts()).toEqual(['Đang xử lý']);
    // while the file is open, its time span is that of the documents in it so far
    await phone.getByText('02/03/2026 – 02/03/2026').waitFor();
    await screenshot(phone, 'dev/records-detail-added-phone');
  });

  test('the archivist, who keeps no files, sees the closed files waiting on the home page and receives one into the archive', async () => {
    const db = server().db;
    if (!db) throw new Error('no db');
    const staff = await demoActor('chuyenvien');
    const fileId = await openRecordsFile({ db, actor: staff, body: { notation: '08.TH', title: 'Hồ sơ hội nghị trực tuyến cải cách hành chính', retention: '10', description: '' } });
    const doc = await makeIncomingFor(db, staff, { status: 'done', subject: 'Giấy mời hội nghị trực tuyến' });
    await addDocumentToFile({ db, actor: staff, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
    await closeRecordsFile({ db, actor: staff, id: fileId });

    const archivist = await signIn('luutru', PHONE);
    await expect.poll(() => archivist.getByTestId('records-count-to-hand-over').innerText()).toContain('1');
    expect(await archivist.getByTestId('records-count-open').count()).toBe(0);
    await screenshot(archivist, 'dev/records-dashboard-archivist-phone');
    await archivist.getByTestId('records-count-to-hand-over').click();
    const list = archivist.getByTestId('records-list');
    await expect.poll(() => list.innerText()).toContain('08.TH — Hồ sơ hội nghị trực tuyến cải cách hành chính');
    expect(await archivist.getByRole('tab', { name: 'Cả cơ quan' }).getAttribute('aria-selected')).toBe('true');
    expect(await archivist.getByRole('button', { name: 'Lập hồ sơ' }).count()).toBe(0);
    expect(await archivist.getByRole('tab', { name: 'Của tôi' }).count()).toBe(0);
    await archivist.getByRole('link', { name: /Hồ sơ hội nghị trực tuyến/ }).click();
    expect(await archivist.getByTestId('records-handOver').innerText()).toBe('Tiếp nhận vào Lưu trữ');
    await archivist.getByTestId('records-handOver').click();
    await archivist.getByText('Hãy đối chiếu mục lục văn bản trong hồ sơ').waitFor();
    await archivist.getByTestId('records-confirm').click();
    await expect.poll(() => archivist.getByTestId('records-status').innerText()).toBe('Đã nộp lưu');

    await archivist.goto('/records');
    await archivist.getByLabel('Tìm số, tiêu đề, văn bản trong hồ sơ').fill('giấy mời');
    await expect.poll(() => archivist.url()).toContain('q=gi');
    await expect.poll(() => list.innerText()).toContain('08.TH');
    expect(await list.innerText()).toContain('Đã nộp lưu');
    await screenshot(archivist, 'dev/records-search-archivist-phone');
  });
});
