import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

// vanthu upgraded while a clerk had the app open: the pieces of code the next page needs carry new names and the
// old ones are gone (404). The app reloads once onto the new version; if the piece still cannot be had, the page
// says so in Vietnamese inside the frame — never React Router's English developer page («Unexpected Application Error!»).
describe.skipIf(!needTool('chromium'))('a page whose code cannot be fetched', () => {
  const { server, browser } = useBrowserAndServer();

  test('reloads once by itself, then says in Vietnamese to reload, the header still there; once the code is back, «Tải lại trang» opens the page', async () => {
    const page = await signIn(browser(), server(), 'vanthu', PHONE);
    await page.getByTestId('header-agency').waitFor();
    let loads = 0;
    page.on('load', () => { loads += 1; });
    const gone = async () => page.route('**/assets/profile.page-*', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
    await gone();

    // a tap inside the app to «Hồ sơ cá nhân», as the router does it
    await page.evaluate(() => {
      history.pushState(null, '', '/profile');
      dispatchEvent(new PopStateEvent('popstate'));
    });

    const alert = page.getByRole('alert').filter({ hasText: 'Cần tải lại trang' });
    await alert.waitFor({ timeout: 30_000 });
    expect(loads).toBe(1); // one reload onto the «new version», not a loop
    expect(await alert.innerText()).toMatch(/vanthu vừa được cập nhật hoặc mạng bị gián đoạn/);
    expect(await page.getByText('Unexpected Application Error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('header-agency').isVisible()).toBe(true);
    await page.waitForTimeout(1500);
    expect(loads).toBe(1);
    await screenshot(page, 'route-error-code-gone-390');

    await page.unroute('**/assets/profile.page-*');
    await alert.getByRole('button', { name: 'Tải lại trang' }).click();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    expect(await page.getByRole('alert').filter({ hasText: 'Cần tải lại trang' }).count()).toBe(0);
    await page.context().close();
  });
});
