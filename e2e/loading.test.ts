import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, openPage, PHONE, useBrowserAndServer } from './harness.ts';

const { server, browser } = useBrowserAndServer();

/** When each script of the page was asked for and when it had arrived (ms on this process's clock), by its name before the hash. */
function scriptTimes(page: Page): Map<string, { sentAt: number; endedAt?: number }> {
  const times = new Map<string, { sentAt: number; endedAt?: number }>();
  const nameOf = (url: string) => /\/assets\/(.+)-[\w-]{8}\.js$/.exec(url)?.[1];
  page.on('request', (r) => {
    const name = nameOf(r.url());
    if (name && !times.has(name)) times.set(name, { sentAt: performance.now() });
  });
  page.on('requestfinished', (r) => {
    const entry = times.get(nameOf(r.url()) ?? '');
    if (entry) entry.endedAt ??= performance.now();
  });
  return times;
}

test('while the login form is open, the signed-in frame and the home page come down before the person has signed in', async () => {
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    const scripts = scriptTimes(page);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
    await expect.poll(() => ['app-layout', 'dashboard.page'].filter((name) => scripts.get(name)?.endedAt)).toEqual(['app-layout', 'dashboard.page']);
  } finally {
    await context.close();
  }
});

test('a signed-in person opening a link to Văn bản đến on a slow network: the page\'s code is asked for with the frame\'s, not once the frame has come', async () => {
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    // signed in by the API: the browser's cache holds none of the app's code yet
    expect((await context.request.post('/api/auth/login', { data: { login: 'xa.vanthu', password: DEMO_PASSWORD } })).ok()).toBe(true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
    const scripts = scriptTimes(page);
    await page.goto('/incoming');
    await page.getByTestId('incoming-list').or(page.getByTestId('incoming-empty')).waitFor();
    const [frame, list] = [scripts.get('app-layout'), scripts.get('incoming-list.page')];
    expect(frame?.endedAt).toBeDefined();
    expect(list?.sentAt).toBeLessThan(frame?.endedAt ?? 0);
  } finally {
    await context.close();
  }
});
