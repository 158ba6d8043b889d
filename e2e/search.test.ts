import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { makeIncomingFor, makeOutgoingBy } from '../src/domain/records/records.testing.ts';
import { addDocumentToFile, openRecordsFile } from '../src/domain/records/records.service.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('one search from the header', () => {
  const { server, browser } = useBrowserAndServer();

  test('on a phone and on a desktop, a word of the trích yếu finds the incoming document and the work file holding it, an outgoing one is found typed without diacritics or by its ký hiệu; the other agency finds nothing', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    const u = await db.selectFrom('appUser').selectAll().where('username', '=', 'chuyenvien').executeTakeFirstOrThrow();
    const staff: Actor = { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] };
    const doc = await makeIncomingFor(db, staff, { subject: 'Kế hoạch phòng chống thiên tai năm 2027', number: '2207', notation: 'SNNMT-TL', issuerName: 'Sở Nông nghiệp và Môi trường' });
    const fileId = await openRecordsFile({ db, actor: staff, body: { notation: '09.TH', title: 'Hồ sơ phòng chống lụt bão năm 2026', retention: '10', description: '' } });
    await addDocumentToFile({ db, actor: staff, fileId, ref: { ownerType: 'incoming', ownerId: doc } });

    const phone = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await phone.getByRole('link', { name: 'Tìm kiếm' }).click();
    await phone.getByLabel('Trích yếu, số/ký hiệu, nơi gửi, tiêu đề hồ sơ…').fill('thiên tai');
    await expect.poll(() => phone.getByTestId('search-incoming').innerText()).toContain('Kế hoạch phòng chống thiên tai năm 2027');
    // its số đến written as the incoming list writes it (05, not 5)
    expect(await phone.getByTestId('search-incoming').innerText()).toContain('Số đến 05 · 2207/SNNMT-TL');
    await expect.poll(() => phone.getByTestId('search-records').innerText()).toContain('09.TH — Hồ sơ phòng chống lụt bão năm 2026');
    await expect.poll(() => phone.getByTestId('search-outgoing').innerText()).toContain('Không tìm thấy.');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/search-phone');
    await phone.getByRole('link', { name: '09.TH — Hồ sơ phòng chống lụt bão năm 2026' }).click();
    await phone.getByTestId('records-documents').waitFor();

    const desk = await signIn(browser(), server(), 'vanthu');
    await desk.getByRole('textbox', { name: 'Tìm kiếm' }).fill('thiên tai');
    await desk.keyboard.press('Enter');
    await expect.poll(() => desk.getByTestId('search-incoming').innerText()).toContain('Kế hoạch phòng chống thiên tai năm 2027');
    expect(desk.url()).toContain('/search?q=thi');
    await screenshot(desk, 'dev/search-desktop');
    // Typed without diacritics, as on a phone keyboard without Telex.
    await desk.goto('/search?q=phong chong thien tai');
    await expect.poll(() => desk.getByTestId('search-incoming').innerText()).toContain('Kế hoạch phòng chống thiên tai năm 2027');
    // An outgoing document too (issued as 07/UBND-TH), by words without diacritics and by its ký hiệu alone.
    await makeOutgoingBy(db, staff, { subject: 'Báo cáo kết quả chuyển đổi số năm 2026' });
    for (const q of ['ket qua chuyen doi so', 'UBND-TH']) {
      await desk.goto(`/search?q=${q}`);
      await expect.poll(() => desk.getByTestId('search-outgoing').innerText()).toContain('Báo cáo kết quả chuyển đổi số năm 2026');
    }

    const other = await signIn(browser(), server(), 'snv.vanthu');
    await other.goto('/search?q=thiên tai');
    await expect.poll(() => other.getByTestId('search-incoming').innerText()).toContain('Không tìm thấy.');
    // Each part of the page loads on its own: wait for each.
    await expect.poll(() => other.getByTestId('search-records').innerText()).toContain('Không tìm thấy.');
  });

  test('on a phone, «Tìm nâng cao» narrows to the incoming documents of one issuer in one month; the search is saved under a name, run again with a click, and deleted', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    const u = await db.selectFrom('appUser').selectAll().where('username', '=', 'chuyenvien').executeTakeFirstOrThrow();
    const staff: Actor = { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] };
    await makeIncomingFor(db, staff, { subject: 'Quyết định phê duyệt kế hoạch đào tạo cán bộ', issuerName: 'Sở Nội vụ tỉnh Thái Hòa', documentDate: '2026-02-10', number: '318', notation: 'SNV-CCVC' });
    await makeIncomingFor(db, staff, { subject: 'Kế hoạch đào tạo cán bộ năm sau', issuerName: 'Sở Nội vụ tỉnh Thái Hòa', documentDate: '2026-04-02' });

    const phone = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await phone.goto('/search');
    await expect.poll(() => phone.getByTestId('search-saved').innerText()).toContain('Chưa có.');
    await phone.getByTestId('search-advanced-toggle').click();
    await phone.getByTestId('search-kind').getByText('Văn bản đến').click();
    await phone.getByLabel('Cơ quan ban hành').fill('Nội vụ');
    await phone.getByLabel('Từ ngày').fill('01/02/2026');
    await phone.getByLabel('Đến ngày').fill('28/02/2026');
    // the April one goes once «Đến ngày» reaches the address (the previous results stay shown meanwhile)
    await expect.poll(() => phone.getByTestId('search-incoming').innerText()).toMatch(/^Văn bản đến \(1\)[^]*Quyết định phê duyệt kế hoạch đào tạo cán bộ/);
    expect(await phone.getByTestId('search-outgoing').count()).toBe(0);
    expect(phone.url()).toContain('kind=incoming');
    expect(phone.url()).toContain('from=2026-02-01');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    await phone.getByRole('button', { name: 'Lưu tìm kiếm này' }).click();
    await phone.getByLabel('Tên tìm kiếm').fill('Sở Nội vụ tháng 2');
    await phone.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect.poll(() => phone.getByTestId('search-saved').innerText()).toContain('Sở Nội vụ tháng 2');
    await screenshot(phone, 'dev/search-saved-phone');

    await phone.goto('/search');
    await phone.getByRole('button', { name: 'Sở Nội vụ tháng 2', exact: true }).click();
    await expect.poll(() => phone.getByTestId('search-incoming').innerText()).toContain('318/SNV-CCVC');
    expect(phone.url()).toContain('issuer=N');
    // «Trường hiển thị»: the issuer leaves the results and the export, and stays hidden after a reload (this user, this browser)
    await phone.getByTestId('search-fields').click();
    await phone.getByTestId('search-fields-panel').getByRole('checkbox', { name: 'Cơ quan ban hành' }).uncheck();
    await phone.keyboard.press('Escape');
    await expect.poll(() => phone.getByTestId('search-incoming').innerText()).not.toContain('Sở Nội vụ tỉnh Thái Hòa');
    await phone.reload();
    await expect.poll(() => phone.getByTestId('search-incoming').innerText()).toContain('318/SNV-CCVC');
    expect(await phone.getByTestId('search-incoming').innerText()).not.toContain('Sở Nội vụ tỉnh Thái Hòa');
    await phone.getByTestId('search-export').click();
    const pdf = await phone.getByRole('menuitem', { name: 'Tệp PDF (để in)' }).getAttribute('href');
    expect(pdf).toContain('format=pdf');
    expect(pdf).toContain('hide=incoming.issuer');
    const exported = await phone.request.get(pdf ?? '');
    expect([exported.status(), exported.headers()['content-type']]).toEqual([200, 'application/pdf']);
    await phone.keyboard.press('Escape');
    await phone.getByRole('button', { name: 'Xóa tìm kiếm «Sở Nội vụ tháng 2»' }).click();
    await expect.poll(() => phone.getByTestId('search-saved').innerText()).toContain('Chưa có.');
  });

  test('on a phone, typed words order the work files «Liên quan nhất» as the documents: the file whose title holds them before the one whose documents alone say them', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server exposes its database');
    const u = await db.selectFrom('appUser').selectAll().where('username', '=', 'chuyenvien').executeTakeFirstOrThrow();
    const staff: Actor = { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] };
    // in the list's own order (by số/ký hiệu) 14.TL would come first
    const bodyOnly = await openRecordsFile({ db, actor: staff, body: { notation: '14.TL', title: 'Hồ sơ công tác thủy lợi năm 2026', retention: '10', description: '' } });
    for (const n of [1, 2]) {
      const doc = await makeIncomingFor(db, staff, { subject: `Kế hoạch tu bổ đê điều đợt ${n}, kiểm tra đê điều xung yếu` });
      await addDocumentToFile({ db, actor: staff, fileId: bodyOnly, ref: { ownerType: 'incoming', ownerId: doc } });
    }
    await openRecordsFile({ db, actor: staff, body: { notation: '15.TL', title: 'Hồ sơ tu bổ đê điều năm 2026', retention: '10', description: '' } });

    const phone = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await phone.goto('/search?q=đê điều');
    await expect.poll(() => phone.getByTestId('search-records').innerText()).toMatch(/15\.TL — Hồ sơ tu bổ đê điều năm 2026[^]*14\.TL — Hồ sơ công tác thủy lợi năm 2026/);
    await phone.getByTestId('search-advanced-toggle').click();
    expect(await phone.getByTestId('search-order').inputValue()).toBe('Liên quan nhất');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'dev/search-files-relevance-phone');
    // «Cũ nhất trước»: the file opened first, first
    await phone.goto('/search?q=đê điều&order=oldest');
    await expect.poll(() => phone.getByTestId('search-records').innerText()).toMatch(/14\.TL[^]*15\.TL/);
  });
});
