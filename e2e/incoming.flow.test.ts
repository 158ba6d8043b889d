import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { loadConfig } from '../src/platform/config.ts';
import { boot } from '../src/platform/boot.ts';
import { startServer } from '../src/platform/server.ts';
import type { AppDeps } from '../src/platform/deps.ts';
import { seedDemo } from '../src/domain/orgs/demo.ts';
import { storeUpload } from '../src/domain/files/files.service.ts';
import { createDraft } from '../src/domain/outgoing/outgoing.service.ts';
import { receiveExternalDocument, receiveInternalDocument } from '../src/domain/incoming/incoming.service.ts';
import { ensureDemoCa, issueDemoCertificate } from '../src/domain/certificates/certificates.pki.ts';
import { createP12Signer } from '../src/domain/signing/keys.ts';
import { signPdf } from '../src/domain/signing/signing.pades.ts';
import { makeScan, makeTextPdf } from '../src/domain/incoming/incoming.testing.ts';
import type { Actor, Role } from '../src/policies/actor.ts';
import { DESKTOP, ensureWebBuilt, launchBrowser, openPage, PHONE, screenshot, submitLogin } from './harness.ts';

const DEMO_PASSWORD = 'Vanthu@2026';
type Server = { url: string; deps: AppDeps; stop: () => Promise<void> };

/** The harness's server, but keeping the dependencies: the sending agency's document is issued in-process. */
async function startServerWithDeps(): Promise<Server> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-e2e-incoming-'));
  const booted = await boot({ config: loadConfig({ DATA_DIR: dataDir, VANTHU_DEMO: 'true', LOG_LEVEL: 'silent', HOST: '127.0.0.1' }) });
  await seedDemo(booted.deps.db);
  const server = await startServer(booted.deps, { port: 0, host: '127.0.0.1' });
  return { url: server.url, deps: booted.deps, stop: async () => { await server.stop(); await booted.close(); await rm(dataDir, { recursive: true, force: true }); } };
}

async function as(browser: Browser, server: Server, username: string, viewport: { width: number; height: number }) {
  const opened = await openPage(browser, { url: server.url, dataDir: '', stop: async () => {} }, viewport);
  await submitLogin(opened.page, username, DEMO_PASSWORD);
  await opened.page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return opened;
}

async function pick(page: Page, label: string | RegExp, option: string | RegExp) {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

async function openDoc(page: Page, box: string, text: string) {
  await page.goto('/incoming');
  await page.getByRole('tab', { name: box }).click();
  await page.getByTestId('incoming-list').getByText(text).first().click();
  await page.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
}

/** Leader directs, unit head re-assigns inside the unit, the officer handles and closes. */
async function directHandleClose(browser: Browser, server: Server, viewport: { width: number; height: number }, subject: string, tag: string) {
  const leader = await as(browser, server, 'lanhdao', viewport);
  await openDoc(leader.page, 'Chờ chỉ đạo', subject);
  await leader.page.getByLabel('Ý kiến chỉ đạo').fill('Giao Phòng Tổng hợp chủ trì, báo cáo kết quả.');
  // units and people are listed under their own headings
  await leader.page.getByLabel(/^Chủ trì/).first().click();
  const listbox = leader.page.getByRole('listbox').first();
  await listbox.getByRole('option', { name: 'Phòng Tổng hợp', exact: true }).waitFor();
  expect((await listbox.innerText()).split('\n').map((l) => l.trim()).filter((l) => l === 'Đơn vị' || l === 'Cá nhân')).toEqual(['Đơn vị', 'Cá nhân']);
  await leader.page.keyboard.press('Escape');
  await pick(leader.page, /^Chủ trì/, 'Phòng Tổng hợp');
  await leader.page.getByLabel('Thời hạn giải quyết').fill('31/12/2099');
  await leader.page.getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).click();
  await leader.page.getByText('Đã giao', { exact: true }).first().waitFor();
  // given once, the direction folds away: a second tap cannot send it again and undo the units' own assignments
  await leader.page.getByTestId('redirect-card').waitFor();
  expect(await leader.page.getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).count()).toBe(0);
  await leader.page.getByRole('button', { name: 'Điều chỉnh chỉ đạo' }).click();
  expect(await leader.page.getByRole('textbox', { name: 'Ý kiến chỉ đạo' }).inputValue()).toBe('Giao Phòng Tổng hợp chủ trì, báo cáo kết quả.');
  expect(await leader.page.getByRole('combobox', { name: /^Chủ trì/ }).inputValue()).toBe('Phòng Tổng hợp');
  await leader.context.close();

  const head = await as(browser, server, 'truongphong', viewport);
  await openDoc(head.page, 'Việc của đơn vị', subject);
  await pick(head.page, /^Giao cho/, 'Hoàng Văn Nam');
  await head.page.getByRole('button', { name: 'Giao trong đơn vị' }).click();
  await head.page.getByText('Hoàng Văn Nam').first().waitFor();
  await head.context.close();

  const officer = await as(browser, server, 'chuyenvien', viewport);
  await officer.page.goto('/incoming');
  await officer.page.getByTestId('incoming-notices').getByText(subject).first().waitFor();
  await openDoc(officer.page, 'Việc của tôi', subject);
  await officer.page.getByLabel('Tiến độ, ý kiến đề xuất').fill('Đã dự thảo công văn trả lời.');
  await officer.page.getByLabel('Số, ký hiệu văn bản trả lời').fill('120/UBND-TH');
  await officer.page.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  await officer.page.getByText(/^Đã dự thảo công văn trả lời\. — .*120\/UBND-TH$/).waitFor();
  // once recorded, the form is empty again: the next note does not send the same reply a second time
  expect(await officer.page.getByLabel('Số, ký hiệu văn bản trả lời').inputValue()).toBe('');
  await officer.page.getByLabel('Tiến độ, ý kiến đề xuất').fill('Đã xử lý xong.');
  await officer.page.getByLabel('Hoàn thành phần việc của tôi').check();
  await officer.page.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  // the note on the page: the document has been read again with the part done (the confirmation counts open parts from it)
  await officer.page.getByText(/^Đã xử lý xong\./).first().waitFor();
  await officer.page.getByText('Đang xử lý', { exact: true }).first().waitFor();
  // closing tells the sender it is complete: it is confirmed first (naming the parts still open, if any)
  let asked = '';
  officer.page.once('dialog', (dialog) => { asked = dialog.message(); void dialog.accept(); });
  await officer.page.getByRole('button', { name: 'Kết thúc xử lý' }).click();
  expect(asked).toMatch(/^Kết thúc xử lý văn bản này\? Văn bản chuyển sang «Đã xong»/);
  await officer.page.getByText('Đã xong', { exact: true }).first().waitFor();
  // each participant's status is read whole on a phone too ('Đã xong', not 'Đã xo…'): no badge label is cut
  const cut = await officer.page.getByTestId('incoming-participants').locator('.mantine-Badge-label')
    .evaluateAll((labels) => labels.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent));
  expect(cut).toEqual([]);
  await screenshot(officer.page, `incoming-${tag}-done`);
  await officer.context.close();
}

describe.skipIf(!needTool('chromium', 'ocrmypdf', 'img2pdf', 'pdftoppm'))('the incoming-document flow in the browser', () => {
  let server: Server;
  let browser: Browser;
  let scanPath: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startServerWithDeps();
    browser = await launchBrowser();
    const scan = await makeScan(['CÔNG VĂN\nVề việc phòng chống bão lũ năm 2026\nỦy ban nhân dân huyện Bình Minh']);
    scanPath = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-e2e-scan-')), 'cong-van-quet.pdf');
    await writeFile(scanPath, scan.pdf);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    test(`${name}: a scanned paper document is OCR'd, found by its text, registered, directed, handled and closed`, async () => {
      const subject = `Về việc phòng chống bão lũ (${name})`;
      const clerk = await as(browser, server, 'vanthu', viewport);
      const page = clerk.page;
      await page.goto('/incoming');
      await page.getByRole('button', { name: 'Tiếp nhận văn bản giấy' }).click();
      await page.getByRole('dialog').locator('input[type=file]').setInputFiles(scanPath);
      await page.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
      await page.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
      const docUrl = page.url();
      await page.getByTestId('ocr-status').filter({ hasText: 'Đã nhận dạng chữ' }).waitFor({ timeout: 120_000 });
      // OCR finished with the entry open: what it read fills the entry (the clerk checks it against the paper)
      await page.getByTestId('register-from-ocr').waitFor();
      expect(await page.getByLabel(/^Trích yếu/).inputValue()).toBe('Về việc phòng chống bão lũ năm 2026');
      expect(await page.getByRole('combobox', { name: /^Loại văn bản/ }).inputValue()).toBe('Công văn');
      await expect.poll(() => page.getByTestId('incoming-timeline').textContent()).toMatch(/Nguyễn Thị Hoa ·.*Hệ thống ·/);

      await page.goto('/incoming');
      // in the intake list the scan is told apart by what OCR read and its file name, not '(chưa vào sổ)'
      const waiting = page.getByTestId('incoming-list').getByRole('link', { name: /Về việc phòng chống bão lũ năm 2026/ });
      await expect.poll(() => waiting.first().textContent()).toMatch(/cong-van-quet\.pdf · tiếp nhận \d\d\/\d\d\/\d{4} \d\d:\d\d/);
      await screenshot(page, `incoming-${name}-intake`);
      await page.getByRole('tab', { name: 'Tất cả' }).click();
      // the list's own search (the header has the site-wide one)
      await page.getByTestId('incoming-search').fill('bão lũ');
      await page.getByTestId('incoming-search').press('Enter');
      await page.getByTestId('incoming-list').getByText('Về việc phòng chống bão lũ năm 2026').first().click();
      expect(page.url()).toBe(docUrl);

      await page.getByLabel(/^Nơi gửi/).fill('Ủy ban nhân dân huyện Bình Minh');
      // each run its own letter: the same số, ký hiệu, date and sender twice is asked about as a second copy (409 incoming.possible_duplicate)
      await page.getByLabel(/^Số$/).fill(name === 'desktop' ? '45' : '46');
      await page.getByLabel(/^Ký hiệu/).fill('UBND-VP');
      await page.getByLabel(/^Ngày văn bản/).fill('20/11/2026');
      await page.getByLabel(/^Trích yếu/).fill(subject);
      await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
      await page.getByText('Đã vào sổ', { exact: true }).first().waitFor();
      await pick(page, /^Lãnh đạo/, /Trần Văn Minh/);
      await page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
      // the document says which leader it waits for
      await expect.poll(() => page.getByTestId('incoming-waiting-for').innerText()).toBe('Chờ chỉ đạo — Trần Văn Minh (Chủ tịch)');
      // the timeline says to whom it went and which số đến it got
      await expect.poll(() => page.getByTestId('incoming-timeline').textContent()).toMatch(/Vào sổSố đến \d\d\/\d{4}.*Trình lãnh đạoTrần Văn Minh/);
      await screenshot(page, `incoming-${name}-registered`);
      await clerk.context.close();

      await directHandleClose(browser, server, viewport, subject, name);

      const check = await as(browser, server, 'vanthu', viewport);
      await check.page.goto('/incoming/register');
      // a table on a wide screen, one card per entry on a phone
      if (viewport === PHONE) await check.page.getByTestId('register-entry').filter({ hasText: subject }).getByText(/^Số đến \d\d$/).waitFor();
      else await check.page.getByRole('cell', { name: subject, exact: false }).first().waitFor();
      await screenshot(check.page, `incoming-${name}-register-book`);
      await check.context.close();
    }, 240_000);
  }

  test('phone: the clerk sees who signed an electronic document, for which agency, and that the signature holds', async () => {
    const db = server.deps.db;
    const tinh = await db.selectFrom('agency').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
    const cert = await issueDemoCertificate(await ensureDemoCa(server.deps.config.dataDir), { commonName: 'Trịnh Văn Sơn', organization: 'Ủy ban nhân dân xã Tân Lập', password: 'x' });
    const signed = await signPdf(await makeTextPdf(['Báo cáo số 7/BC-UBND']), { signer: await createP12Signer(cert.p12, 'x') });
    const file = await storeUpload(server.deps, { source: signed, fileName: '07_BC-UBND.pdf' });
    const subject = 'Báo cáo kết quả thu ngân sách năm 2026 của xã Tân Lập';
    await db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: tinh.id, documentId: 'e2e-signed-07', sender: { code: '000.00.31.H99', name: 'Ủy ban nhân dân xã Tân Lập' },
      metadata: { number: 7, notation: 'BC-UBND', documentDate: '2026-12-01', typeCode: 'bao_cao', subject, urgency: 'thuong', secrecy: 'thuong', signerName: 'Trịnh Văn Sơn', signerPosition: 'Chủ tịch' },
      files: [{ ...file, kind: 'main', pageCount: 1 }],
    }));
    const clerk = await as(browser, server, 'vanthu', PHONE);
    const badHtml: string[] = [];
    clerk.page.on('console', (m) => { if (m.type() === 'error' && /cannot be a descendant of|cannot contain a nested/.test(m.text())) badHtml.push(m.text()); });
    await openDoc(clerk.page, 'Chờ vào sổ', subject);
    // name, then position: «Vụ trưởng Vụ Ngân sách nhà nước Võ Thành Hưng» read as one title
    await clerk.page.getByRole('row', { name: 'Người ký Trịnh Văn Sơn — Chủ tịch' }).waitFor();
    const signatures = clerk.page.getByTestId('incoming-signatures');
    await signatures.getByTestId('signature-indication').filter({ hasText: 'Hợp lệ' }).waitFor({ timeout: 60_000 });
    await signatures.getByText('Trịnh Văn Sơn').first().click();
    await expect.poll(() => signatures.textContent()).toMatch(/Ủy ban nhân dân xã Tân Lập/);
    await screenshot(clerk.page, 'incoming-phone-signatures');
    // the statuses sent back (a badge in a line of text) are valid HTML: no block inside a paragraph
    expect(badHtml).toEqual([]);
    await clerk.context.close();
  }, 120_000);

  test('phone: an empty list says what comes into it — the commune clerk is told where electronic documents show and which button takes a paper one, the commune leader what waits for direction', async () => {
    const clerk = await as(browser, server, 'xa.vanthu', PHONE);
    await clerk.page.goto('/incoming?box=intake');
    await expect.poll(() => clerk.page.getByTestId('incoming-empty').innerText()).toContain('văn bản giấy: bấm «Tiếp nhận văn bản giấy» để tải bản quét lên');
    await clerk.context.close();
    const leader = await as(browser, server, 'xa.chutich', PHONE);
    await leader.page.goto('/incoming?box=direct');
    await expect.poll(() => leader.page.getByTestId('incoming-empty').innerText()).toBe('Không có văn bản nào chờ bạn cho ý kiến chỉ đạo. Văn bản văn thư trình bạn sẽ hiện ở đây.');
    await leader.context.close();
  }, 60_000);

  test('phone: the notices show the newest three above the list, and all of them on demand', async () => {
    const db = server.deps.db;
    const tinh = await db.selectFrom('agency').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
    for (const n of [21, 22, 23, 24]) {
      const file = await storeUpload(server.deps, { source: await makeTextPdf([`Thông báo số ${n}/TB-UBND`]), fileName: `${n}_TB-UBND.pdf` });
      await db.transaction().execute((tx) => receiveExternalDocument(tx, {
        recipientAgencyId: tinh.id, documentId: `e2e-notice-${n}`, sender: { code: '000.00.31.H99', name: 'Ủy ban nhân dân xã Tân Lập' },
        metadata: { number: n, notation: 'TB-UBND', documentDate: '2026-12-01', typeCode: 'thong_bao', subject: `Thông báo lịch tiếp công dân số ${n}`, urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
        files: [{ ...file, kind: 'main', pageCount: 1 }],
      }));
    }
    const clerk = await as(browser, server, 'vanthu', PHONE);
    await clerk.page.goto('/incoming');
    const notices = clerk.page.getByTestId('incoming-notices');
    await notices.getByText('Thông báo lịch tiếp công dân số 24').waitFor();
    expect(await notices.getByTestId('incoming-notice').count()).toBe(3);
    const unread = Number(await notices.locator('.mantine-Badge-root').first().textContent());
    expect(unread).toBeGreaterThanOrEqual(4);
    await notices.getByRole('button', { name: `Xem tất cả (${unread})` }).click();
    expect(await notices.getByTestId('incoming-notice').count()).toBe(unread);
    await clerk.context.close();
  }, 120_000);

  test('desktop: a document sent by another agency on the install gets every status back to its sender (01 → 06)', async () => {
    const db = server.deps.db;
    const snv = await db.selectFrom('appUser').select(['id', 'agencyId', 'unitId', 'username', 'fullName', 'roles']).where('username', '=', 'snv.chuyenvien').executeTakeFirstOrThrow();
    const tinh = await db.selectFrom('agency').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
    const actor: Actor = { ...snv, roles: snv.roles as Role[] };
    const subject = 'Về việc tuyển dụng công chức năm 2026';
    const draft = await createDraft({ db, actor, body: {
      typeCode: 'cong_van', subject, urgency: 'khan', secrecy: 'thuong', signerId: null, signerCompetence: null, signerPosition: '', recipients: [{ kind: 'agency', agencyId: tinh.id }],
      recipientsText: '', archiveNote: '', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
    } });
    const file = await storeUpload(server.deps, { source: await makeTextPdf(['Công văn số 15/SNV-CCVC']), fileName: 'cong-van-snv.pdf' });
    await db.transaction().execute((tx) => receiveInternalDocument(tx, {
      recipientAgencyId: tinh.id, sourceOutgoingId: draft.id, senderAgencyId: snv.agencyId,
      metadata: { number: 15, notation: 'SNV-CCVC', documentDate: '2026-11-20', typeCode: 'cong_van', subject, urgency: 'khan', secrecy: 'thuong', signerName: 'Ngô Văn Tài', signerPosition: 'Giám đốc', pageCount: 1 },
      files: [{ ...file, kind: 'main', pageCount: 1 }],
    }));

    const clerk = await as(browser, server, 'vanthu', DESKTOP);
    await openDoc(clerk.page, 'Chờ vào sổ', subject);
    expect(await clerk.page.getByLabel(/^Nơi gửi/).inputValue()).toBe('Sở Nội vụ tỉnh Thái Hòa');
    await clerk.page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    await clerk.page.getByText('Đã vào sổ', { exact: true }).first().waitFor();
    await pick(clerk.page, /^Lãnh đạo/, /Trần Văn Minh/);
    await clerk.page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await expect.poll(() => clerk.page.getByTestId('incoming-waiting-for').innerText()).toBe('Chờ chỉ đạo — Trần Văn Minh (Chủ tịch)');
    // forwarding again, the form says whom it waits for and has the agency's other leader chosen
    const again = clerk.page.getByRole('heading', { name: 'Trình lại lãnh đạo' });
    await again.waitFor();
    await expect.poll(() => clerk.page.getByTestId('forward-waiting-for').innerText()).toMatch(/^Đang chờ: Trần Văn Minh \(Chủ tịch\)\./);
    await expect.poll(() => clerk.page.getByRole('combobox', { name: /^Lãnh đạo/ }).inputValue()).toBe('Lê Thị Thu — Phó Chủ tịch');
    await screenshot(clerk.page, 'incoming-internal-forward-again');
    await clerk.page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await expect.poll(() => clerk.page.getByTestId('incoming-waiting-for').innerText()).toBe('Chờ chỉ đạo — Lê Thị Thu (Phó Chủ tịch)');
    // and back: now the chairman is the other one, chosen already
    await expect.poll(() => clerk.page.getByTestId('forward-waiting-for').innerText()).toMatch(/^Đang chờ: Lê Thị Thu \(Phó Chủ tịch\)\./);
    await expect.poll(() => clerk.page.getByRole('combobox', { name: /^Lãnh đạo/ }).inputValue()).toBe('Trần Văn Minh — Chủ tịch');
    await clerk.page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await expect.poll(() => clerk.page.getByTestId('incoming-waiting-for').innerText()).toBe('Chờ chỉ đạo — Trần Văn Minh (Chủ tịch)');
    await clerk.context.close();

    await directHandleClose(browser, server, DESKTOP, subject, 'internal');

    // the register names the chairman who directed and the unit he gave it to, not «Lãnh đạo cơ quan»
    const book = await as(browser, server, 'vanthu', DESKTOP);
    await book.page.goto('/incoming/register');
    await book.page.getByRole('row', { name: new RegExp(subject) }).getByRole('cell', { name: 'Trần Văn Minh (Chủ tịch) giao: Phòng Tổng hợp (chủ trì)', exact: true }).waitFor();
    await book.context.close();

    const events = await db.selectFrom('outgoingRecipientEvent').innerJoin('outgoingRecipient', 'outgoingRecipient.id', 'outgoingRecipientEvent.recipientId')
      .select('outgoingRecipientEvent.code').where('outgoingRecipient.outgoingId', '=', draft.id).orderBy('outgoingRecipientEvent.id').execute();
    expect(events.map((e) => e.code)).toEqual(['01', '03', '04', '05', '06']);
    const recipient = await as(browser, server, 'vanthu', DESKTOP);
    await openDoc(recipient.page, 'Tất cả', subject);
    await recipient.page.getByRole('heading', { name: 'Trạng thái đã gửi về nơi gửi' }).waitFor();
    expect(await recipient.page.getByText('Hoàn thành ·').count()).toBe(1);
    await screenshot(recipient.page, 'incoming-internal-statuses');
    await recipient.context.close();

    // the sender's own page: the recipient's tracking shows every status, ending with 06
    const sender = await as(browser, server, 'snv.chuyenvien', DESKTOP);
    await sender.page.goto(`/outgoing/${draft.id}`);
    const row = sender.page.getByTestId('recipient-row').filter({ hasText: 'Ủy ban nhân dân tỉnh Thái Hòa' });
    await row.getByText(/^06 ·/).first().waitFor();
    for (const code of ['01', '03', '04', '05', '06']) expect(await row.getByText(new RegExp(`^${code} ·`)).count()).toBeGreaterThan(0);
    await screenshot(sender.page, 'incoming-internal-sender-view');
    await sender.context.close();
  }, 180_000);
});
