import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { receiveExternalDocument } from '../src/domain/incoming/incoming.service.ts';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, signIn as signInAs } from './outgoing.helpers.ts';

/** The work tiles each demo login's home page shows (incoming and outgoing), in order; the work files' and the archive's are checked apart. */
const TILES: Record<string, string[]> = {
  vanthu: ['incoming-count-intake', 'outgoing-count-to_issue'],
  lanhdao: ['incoming-count-direct', 'outgoing-count-review', 'outgoing-count-signature'],
  truongphong: ['incoming-count-mine', 'incoming-count-unit', 'outgoing-count-drafts', 'outgoing-count-review'],
  chuyenvien: ['incoming-count-mine', 'outgoing-count-drafts'],
  luutru: [],
  quantri: [],
};

/** The tiles of the home page once every count has loaded: test id, address, label and count. */
async function tilesOf(page: Page) {
  await page.getByRole('heading', { level: 2 }).waitFor();
  await page.waitForLoadState('networkidle');
  const tiles = page.locator('[data-testid^="incoming-count-"], [data-testid^="outgoing-count-"], [data-testid^="records-count-"], [data-testid^="archive-count-"]');
  return tiles.evaluateAll((links) => links.map((a) => ({
    testId: a.getAttribute('data-testid') ?? '', href: a.getAttribute('href') ?? '',
    label: a.querySelector('p')?.textContent ?? '', count: a.querySelectorAll('p')[1]?.textContent ?? '',
  })));
}

describe.skipIf(!needTool('chromium'))('the home page, per role', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('each demo login sees the work lists that are its own, each tile opening the list it counts; no always-empty «Việc của tôi» for the archivist or the administrator, nor «Dự thảo của tôi 0» for a leader', async () => {
    for (const [login, expected] of Object.entries(TILES)) {
      for (const viewport of [PHONE, DESKTOP]) {
        const page = await signIn(login, viewport);
        const tiles = await tilesOf(page);
        expect(tiles.filter((t) => /^(incoming|outgoing)-/.test(t.testId)).map((t) => t.testId), `${login} ${viewport.width}`).toEqual(expected);
        // nothing fails in a fresh archive: no tile for it
        expect(tiles.filter((t) => t.testId.startsWith('archive-')), login).toEqual([]);
        if (viewport === PHONE) expect(await page.evaluate(() => document.documentElement.scrollWidth), login).toBeLessThanOrEqual(PHONE.width);
        await screenshot(page, `dashboard-${login}-${viewport.width}`);
        if (viewport === DESKTOP) {
          // every incoming tile opens its own list, on the tab the tile is named after
          for (const tile of tiles.filter((t) => t.testId.startsWith('incoming-'))) {
            expect(tile.href).toBe(`/incoming?box=${tile.testId.slice('incoming-count-'.length)}`);
            await page.getByTestId(tile.testId).click();
            await page.waitForURL(`**${tile.href}`);
            await expect.poll(() => page.getByRole('tab', { selected: true }).innerText()).toBe(tile.label);
            await page.goBack();
          }
          // every outgoing tile opens its own list, the page titled as the tile
          for (const tile of tiles.filter((t) => t.testId.startsWith('outgoing-'))) {
            expect(tile.href).toMatch(/^\/outgoing\/[a-z-]+$/);
            await page.getByTestId(tile.testId).click();
            await page.waitForURL(`**${tile.href}`);
            await expect.poll(() => page.getByRole('heading', { level: 2 }).first().innerText()).toBe(tile.label);
            await page.goBack();
          }
        }
        await page.context().close();
      }
    }
    // the archivist's work is the closed files waiting to be taken into the archive; the administrator keeps the agency's units and users
    const archivist = await signIn('luutru', PHONE);
    expect((await tilesOf(archivist)).map((t) => t.testId)).toContain('records-count-to-hand-over');
    const admin = await signIn('quantri', PHONE);
    expect((await tilesOf(admin)).map((t) => t.testId)).toEqual([]);
    await admin.getByTestId('stat-units').waitFor();
    await admin.getByTestId('stat-users').waitFor();
    await archivist.context().close();
    await admin.context().close();
    // twelve sign-ins and every tile's list opened: 70–80 s on a machine running other tests too (so before the counts, too)
  }, 180_000);

  test('a document given to the administrator puts «Việc của tôi 1» on their home page, opening the list that holds it (a leader\'s too); a failed archive renewal shows the archivist «Gia hạn không thành công 1»', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server has no database handle');
    const province = await db.selectFrom('agency').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
    const subject = 'V/v rà soát tài khoản người dùng hệ thống quản lý văn bản';
    const { id } = await db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: province.id, documentId: 'dashboard-e2e-1', sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' }, files: [],
      metadata: { number: 7, notation: 'BTN-CNTT', documentDate: '2026-12-01', typeCode: 'cong_van', subject, urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', pageCount: 1 },
    }));
    const clerk = await apiAs(browser(), server(), 'vanthu');
    await clerk.post(`/api/incoming/${id}/register`, { issuerName: 'Bộ Thử nghiệm', number: '7', notation: 'BTN-CNTT', documentDate: '2026-12-01', typeCode: 'cong_van', subject });
    const admin = await apiAs(browser(), server(), 'quantri');
    const deputy = await apiAs(browser(), server(), 'phochutich');
    const leader = await apiAs(browser(), server(), 'lanhdao');
    await leader.post(`/api/incoming/${id}/direct`, { direction: 'Giao đồng chí Quản trị chủ trì rà soát.', lead: { userId: admin.userId }, info: [{ userId: deputy.userId }] });
    await Promise.all([clerk.close(), admin.close(), deputy.close(), leader.close()]);

    // a leader's own draft: «Dự thảo của tôi» shows once there is one, opening that list
    const drafter = await apiAs(browser(), server(), 'lanhdao');
    await drafter.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v dự thảo do lãnh đạo tự soạn', signerId: drafter.userId, signerPosition: 'Chủ tịch',
      recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }], recipientsText: '- Bộ Thử nghiệm;\n- Lưu: VT.' });
    await drafter.close();
    const leaderPage = await signIn('lanhdao', PHONE);
    expect((await tilesOf(leaderPage)).find((t) => t.testId === 'outgoing-count-drafts')).toMatchObject({ href: '/outgoing/drafts', label: 'Dự thảo của tôi', count: '1' });
    await leaderPage.context().close();

    for (const login of ['quantri', 'phochutich']) {
      const page = await signIn(login, PHONE);
      const mine = (await tilesOf(page)).find((t) => t.testId === 'incoming-count-mine');
      expect(mine, login).toMatchObject({ href: '/incoming?box=mine', label: 'Việc của tôi', count: '1' });
      await screenshot(page, `dashboard-${login}-with-task-390`);
      await page.getByTestId('incoming-count-mine').click();
      await page.waitForURL('**/incoming?box=mine');
      await expect.poll(() => page.getByTestId('incoming-list').innerText()).toContain(subject);
      await page.context().close();
    }

    // A kept document whose timestamp renewal failed (what the nightly pass records): the archivist is told on the home page.
    await db.insertInto('blob').values({ sha256: 'a'.repeat(64), size: 1000, contentType: 'application/pdf' }).execute();
    const file = await db.insertInto('documentFile').values({ agencyId: province.id, ownerType: 'incoming', ownerId: id, kind: 'main', fileName: 'btn-cntt-7.pdf',
      contentType: 'application/pdf', sha256: 'a'.repeat(64), size: 1000, pageCount: 1 }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('archiveFile').values({ agencyId: province.id, ownerType: 'incoming', ownerId: id, currentFileId: file.id, originFileId: file.id, versionFileIds: [file.id],
      status: 'failed', attempts: 3, lastError: 'Máy chủ dấu thời gian không trả lời', nextAttemptAt: new Date(Date.now() + 86_400_000) }).execute();
    const archivist = await signIn('luutru', PHONE);
    expect((await tilesOf(archivist)).find((t) => t.testId === 'archive-count-failed')).toMatchObject({ href: '/admin/archive', label: 'Gia hạn không thành công', count: '1' });
    await screenshot(archivist, 'dashboard-luutru-archive-failed-390');
    await archivist.getByTestId('archive-count-failed').click();
    await archivist.waitForURL('**/admin/archive');
    await archivist.getByText('Máy chủ dấu thời gian không trả lời').waitFor();
    await archivist.context().close();
  });

  test('the clerk\'s home page asks for its counts, not for the lists: «Chờ vào sổ» shows every document waiting — 205 more, all overdue — where it stopped at «200+»', async () => {
    const db = server().db;
    if (!db) throw new Error('the test server has no database handle');
    const page = await signIn('vanthu', PHONE);
    const intake = async () => (await tilesOf(page)).find((t) => t.testId === 'incoming-count-intake');
    const before = Number((await intake())?.count);
    const province = await db.selectFrom('agency').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
    await db.insertInto('incomingDocument').values(Array.from({ length: 205 }, (_, i) => ({
      agencyId: province.id, source: 'internal', status: 'registered', issuerName: 'Bộ Thử nghiệm', subject: `V/v báo cáo định kỳ số ${i + 1}`, dueDate: '2026-01-15',
    }))).execute();
    const asked: string[] = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) asked.push(new URL(r.url()).pathname + new URL(r.url()).search); });
    await page.reload();
    expect(await intake()).toMatchObject({ count: String(before + 205) });
    expect(Number(/(\d+) quá hạn/.exec(await page.getByTestId('incoming-count-intake').innerText())?.[1])).toBeGreaterThanOrEqual(205);
    expect(asked).toEqual(expect.arrayContaining(['/api/incoming/counts', '/api/outgoing/counts']));
    expect(asked.filter((p) => /^\/api\/(incoming|outgoing)\?/.test(p))).toEqual([]);
    await page.context().close();
  });

  test('on a phone the header names the whole agency, on two lines — «Ủy ban nhân …» cut after its first words read the same in every agency', async () => {
    for (const login of ['vanthu', 'xa.vanthu']) {
      const page = await signIn(login, PHONE);
      const name = page.getByTestId('header-agency');
      await name.waitFor();
      const full = await name.innerText();
      expect(full, login).toMatch(/^Ủy ban nhân dân (tỉnh|xã) /);
      // nothing hidden: the text fits its box (two lines of it), and the box stays inside the 60 px header
      const fits = await name.evaluate((el) => ({ whole: el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1, lines: Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)), bottom: el.getBoundingClientRect().bottom }));
      expect(fits.whole, login).toBe(true);
      expect(fits.lines, login).toBeLessThanOrEqual(2);
      expect(fits.bottom, login).toBeLessThanOrEqual(60);
      await screenshot(page, `header-agency-${login}-${PHONE.width}`);
      await page.context().close();
    }
  });
});
