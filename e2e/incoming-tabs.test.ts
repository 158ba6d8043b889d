import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('the incoming lists\' tabs on a 390 px phone', () => {
  const { server, browser } = useBrowserAndServer();

  test('a unit head\'s four lists stay on one line that scrolls sideways, and the open one is in view', async () => {
    const page = await signIn(browser(), server(), 'truongphong', PHONE);
    await page.goto(`${server().url}/incoming?box=all`);
    const tabs = page.getByRole('tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Việc của tôi', 'Việc của đơn vị', 'Đang theo dõi', 'Tất cả']);
    const boxes = await Promise.all((await tabs.all()).map((tab) => tab.boundingBox()));
    expect(new Set(boxes.map((box) => box?.y)).size).toBe(1);
    const open = page.getByRole('tab', { selected: true });
    expect(await open.innerText()).toBe('Tất cả');
    await expect.poll(async () => {
      const box = await open.boundingBox();
      return !!box && box.x >= 0 && box.x + box.width <= PHONE.width;
    }).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'incoming-tabs-unit-head-390');

    await page.getByRole('tab', { name: 'Việc của tôi' }).click();
    expect(await page.getByRole('tab', { name: 'Việc của tôi' }).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('incoming-empty').waitFor();
    await page.context().close();
  });
});
