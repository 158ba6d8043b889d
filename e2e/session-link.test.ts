import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, openPage, PHONE, submitLogin, useBrowserAndServer } from './harness.ts';

const { server, browser } = useBrowserAndServer();

/** The scripts the page has asked for, by their name before the hash (`app-layout`, `incoming-list.page`). */
function scriptsAskedFor(page: Page): Set<string> {
  const names = new Set<string>();
  page.on('request', (r) => {
    const name = /\/assets\/(.+)-[\w-]{8}\.js$/.exec(r.url())?.[1];
    if (name) names.add(name);
  });
  return names;
}

test('a signed-in person opening a link to Văn bản đến: the frame\'s and the page\'s code are asked for while the server is still answering whether a session exists, and the page then shows', async () => {
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    expect((await context.request.post('/api/auth/login', { data: { login: 'xa.vanthu', password: DEMO_PASSWORD } })).ok()).toBe(true);
    const scripts = scriptsAskedFor(page);
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    // the session's answer held back, as a slow network's might be, until the code has been asked for
    await page.route('**/api/auth/session', async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    await page.goto('/incoming?box=intake');
    await expect.poll(() => ['app-layout', 'incoming-list.page'].filter((name) => scripts.has(name))).toEqual(['app-layout', 'incoming-list.page']);
    release();
    await page.getByTestId('incoming-list').or(page.getByTestId('incoming-empty')).waitFor();
    expect(new URL(page.url()).pathname).toBe('/incoming');
  } finally {
    await context.close();
  }
});

test('signed out, a link to a page inside the app still leads to the login page and, after signing in, back to the page', async () => {
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    await page.goto('/incoming?box=intake');
    await page.waitForURL(/\/login\?next=/);
    await submitLogin(page, 'xa.vanthu', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/incoming' && url.search === '?box=intake');
    await page.getByTestId('incoming-list').or(page.getByTestId('incoming-empty')).waitFor();
  } finally {
    await context.close();
  }
});
