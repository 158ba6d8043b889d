import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

/** The rows the tabs sit on (their tops), and whether each lies inside the screen's width. */
async function layout(page: Page, tabs: Locator) {
  const boxes = await Promise.all((await tabs.all()).map((tab) => tab.boundingBox()));
  const width = page.viewportSize()?.width ?? 0;
  return { rows: new Set(boxes.map((box) => Math.round(box?.y ?? -1))).size, inside: boxes.every((box) => !!box && box.x >= 0 && box.x + box.width <= width) };
}

describe.skipIf(!needTool('chromium'))('the incoming lists\' tabs', () => {
  const { server, browser } = useBrowserAndServer();

  test('on a 390 px phone a unit head sees all four lists at once, wrapped onto two rows, and picks one by tap or keyboard', async () => {
    const page = await signIn(browser(), server(), 'truongphong', PHONE);
    await page.goto(`${server().url}/incoming?box=all`);
    const lists = page.getByRole('tablist', { name: 'Danh sách văn bản đến' });
    const tabs = lists.getByRole('tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Việc của tôi', 'Việc của đơn vị', 'Đang theo dõi', 'Tất cả']);
    await expect.poll(() => layout(page, tabs)).toEqual({ rows: 2, inside: true });
    const open = lists.getByRole('tab', { selected: true });
    expect(await open.innerText()).toBe('Tất cả');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'incoming-tabs-unit-head-390');

    await open.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => open.innerText()).toBe('Đang theo dõi');
    await lists.getByRole('tab', { name: 'Việc của tôi' }).click();
    expect(await lists.getByRole('tab', { name: 'Việc của tôi' }).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('incoming-empty').waitFor();
    await page.context().close();
  });

  test('on a desktop the same lists stay tabs on one line', async () => {
    const page = await signIn(browser(), server(), 'truongphong', DESKTOP);
    await page.goto(`${server().url}/incoming`);
    const tabs = page.getByRole('tablist', { name: 'Danh sách văn bản đến' }).getByRole('tab');
    await expect.poll(() => tabs.count()).toBe(4);
    await expect.poll(() => layout(page, tabs)).toEqual({ rows: 1, inside: true });
    expect(await page.getByTestId('incoming-boxes').getAttribute('data-wrapped')).toBeNull();
    await page.context().close();
  });

  test('on a phone the clerk\'s lists, the recall/update requests included, all show without a sideways swipe', async () => {
    const page = await signIn(browser(), server(), 'vanthu', PHONE);
    await page.goto(`${server().url}/incoming`);
    const tabs = page.getByRole('tablist', { name: 'Danh sách văn bản đến' }).getByRole('tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Chờ vào sổ', 'Việc của tôi', 'Tất cả', 'Đề nghị thu hồi/cập nhật']);
    await expect.poll(() => layout(page, tabs)).toEqual({ rows: 2, inside: true });
    await screenshot(page, 'incoming-tabs-clerk-390');
    await page.context().close();
  });
});
