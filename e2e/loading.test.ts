import { expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, openPage, PHONE, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, pdfRendered } from './outgoing.helpers.ts';
import { scannedPdf } from './scan-pdf.ts';

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

test('the login form is there to fill in before the server has said whether a session exists (a round trip that nearly always answers no)', async () => {
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    let isAnswered = false;
    // the answer held back for 3 s, as a slow network's might be
    await page.route('**/api/auth/session', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      // the page may be closed by then
      await route.continue().catch(() => undefined);
      isAnswered = true;
    });
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập hoặc email').fill('xa.vanthu');
    expect(isAnswered).toBe(false);
  } finally {
    await context.close();
  }
});

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
    // the page's messages came with the frame (i18n/features.ts), not in the login page's download
    await page.getByRole('tab', { name: 'Chờ vào sổ' }).waitFor();
    const [frame, list] = [scripts.get('app-layout'), scripts.get('incoming-list.page')];
    expect(frame?.endedAt).toBeDefined();
    expect(list?.sentAt).toBeLessThan(frame?.endedAt ?? 0);
  } finally {
    await context.close();
  }
});

/** A draft of chuyenvien's waiting for lanhdao's signature, with `pdf` as its file (the demo sample when none). */
async function draftForLeader(subject: string, pdf?: Uint8Array): Promise<string> {
  const [drafter, leader] = [await apiAs(browser(), server(), 'chuyenvien'), await apiAs(browser(), server(), 'lanhdao')];
  try {
    return await documentAwaitingSignature(drafter, leader.userId, subject, pdf);
  } finally {
    await drafter.close();
    await leader.close();
  }
}

/** lanhdao signed in by the API (nothing of the app cached), on a phone whose network the DevTools protocol slows down. */
async function leaderOnSlowNetwork(bytesPerSecond: number, latency: number): Promise<{ context: BrowserContext; page: Page; received: (path: string) => number }> {
  const { context, page } = await openPage(browser(), server(), PHONE);
  context.setDefaultTimeout(60_000);
  expect((await context.request.post('/api/auth/login', { data: { login: 'lanhdao', password: DEMO_PASSWORD } })).ok()).toBe(true);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  const urls = new Map<string, string>();
  const bytes = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.dataReceived', (e) => {
    const url = urls.get(e.requestId) ?? '';
    bytes.set(url, (bytes.get(url) ?? 0) + e.encodedDataLength);
  });
  const received = (path: string) => [...bytes].filter(([url]) => url.includes(path)).reduce((n, [, b]) => n + b, 0);
  return { context, page, received };
}

test('a leader opening a draft on a slow network: its PDF is asked for while pdf.js\'s worker is still coming down, and page 1 is drawn', async () => {
  const id = await draftForLeader('V/v xem dự thảo trên mạng chậm');
  const { context, page } = await leaderOnSlowNetwork(50_000, 400);
  try {
    let fileSentAt = Infinity;
    let workerEndedAt = Infinity;
    page.on('request', (r) => {
      if (r.url().includes(`/api/outgoing/${id}/files/`)) fileSentAt = Math.min(fileSentAt, performance.now());
    });
    // the worker's script is fetched outside the page: the context sees it
    context.on('requestfinished', (r) => {
      if (/pdf\.worker\.min-[\w-]+\.mjs$/.test(r.url())) workerEndedAt = Math.min(workerEndedAt, performance.now());
    });
    await page.goto(`/outgoing/${id}`);
    await pdfRendered(page);
    expect(fileSentAt).toBeLessThan(workerEndedAt);
  } finally {
    await context.close();
  }
});

test('a leader opening a 3 MB scanned draft on a slow network sees page 1 after a fraction of the file has come down', async () => {
  const pdf = await scannedPdf(20);
  expect(pdf.length).toBeGreaterThan(3_000_000);
  const id = await draftForLeader('V/v xem bản chụp lớn trên mạng chậm', pdf);
  // about regular 3G: the whole file alone would take half a minute
  const { context, page, received } = await leaderOnSlowNetwork(100_000, 100);
  try {
    const asked: (string | undefined)[] = [];
    // the file's own requests (page 1's image, ?page-image=1, is another answer)
    page.on('request', (r) => { if (r.url().includes(`/api/outgoing/${id}/files/`) && !r.url().includes('page-image=1')) asked.push(r.headers().range); });
    await page.goto(`/outgoing/${id}`);
    await pdfRendered(page);
    expect(received(`/api/outgoing/${id}/files/`) - received('page-image=1')).toBeLessThan(pdf.length / 4);
    // never the whole file, not even a request cut off once its headers said how big it is
    expect(asked.length).toBeGreaterThan(1);
    expect(asked.filter((range) => !range?.startsWith('bytes='))).toEqual([]);
  } finally {
    await context.close();
  }
});
