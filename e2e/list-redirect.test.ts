import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

/** The list requests the page sends (GET /api/outgoing?… and /api/incoming?…), to tell whether it asked for a list at all. */
function listRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/^\/api\/(outgoing|incoming)$/.test(url.pathname)) asked.push(`${url.pathname}${url.search}`);
  });
  return asked;
}

const notice = (page: Page) => page.getByText(/^Bạn không có quyền xem danh sách này; đã chuyển tới/);

describe.skipIf(!needTool('chromium'))('the address of a list the role does not have', () => {
  const { server, browser } = useBrowserAndServer();

  test('a chuyên viên typing the leader\'s «Chờ tôi ký» lands on «Dự thảo của tôi» with a notice, no 403 box; Back skips the refused address', async () => {
    for (const [viewport, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
      const page = await signIn(browser(), server(), 'chuyenvien', viewport);
      const asked = listRequests(page);
      await page.goto('/');
      await page.goto('/outgoing/signature');
      await page.waitForURL((u) => u.pathname === '/outgoing/drafts');
      expect(await notice(page).innerText()).toBe('Bạn không có quyền xem danh sách này; đã chuyển tới «Văn bản đi › Dự thảo của tôi».');
      await page.getByRole('heading', { name: 'Dự thảo của tôi' }).waitFor();
      expect(await page.getByText('Không tải được dữ liệu').count()).toBe(0);
      expect(asked.filter((a) => a.includes('box=signature'))).toEqual([]);
      await screenshot(page, `dev/list-redirect-outgoing-${name}`);
      // replaced, not pushed: Back goes to the page before, not to the refused address (which would send them on again)
      await page.goBack();
      await page.waitForURL((u) => u.pathname === '/');
      await page.context().close();
    }
  }, 180_000);

  test('a chuyên viên following a stale link to the leader\'s «Chờ chỉ đạo» lands on «Việc của tôi» with the notice', async () => {
    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    const asked = listRequests(page);
    await page.goto('/incoming?box=direct');
    await page.waitForURL((u) => u.pathname === '/incoming' && u.search === '');
    expect(await notice(page).innerText()).toBe('Bạn không có quyền xem danh sách này; đã chuyển tới «Văn bản đến › Việc của tôi».');
    const lists = page.getByRole('tablist', { name: 'Danh sách văn bản đến' });
    await lists.getByRole('tab', { name: 'Việc của tôi', selected: true }).waitFor();
    expect(asked.filter((a) => a.includes('box=direct'))).toEqual([]);
    await screenshot(page, 'dev/list-redirect-incoming-phone');
    await page.context().close();
  }, 120_000);

  test('a list the role has opens as before, without a notice (the clerk\'s «Chờ phát hành», the leader\'s «Chờ chỉ đạo»)', async () => {
    const clerk = await signIn(browser(), server(), 'vanthu');
    await clerk.goto('/outgoing/to-issue');
    await clerk.getByRole('heading', { name: 'Chờ phát hành' }).waitFor();
    const leader = await signIn(browser(), server(), 'lanhdao');
    await leader.goto('/incoming?box=direct');
    await leader.getByRole('tablist', { name: 'Danh sách văn bản đến' }).getByRole('tab', { name: 'Chờ chỉ đạo', selected: true }).waitFor();
    expect(new URL(clerk.url()).pathname).toBe('/outgoing/to-issue');
    expect(new URL(leader.url()).search).toBe('?box=direct');
    expect(await notice(clerk).count() + await notice(leader).count()).toBe(0);
    await Promise.all([clerk.context().close(), leader.context().close()]);
  }, 120_000);
});
