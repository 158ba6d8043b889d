import { expect, test } from 'vitest';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { DEMO_PASSWORD, openPage, PHONE, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, pdfRendered } from './outgoing.helpers.ts';

const { server, browser } = useBrowserAndServer();

/** A draft of chuyenvien's waiting for lanhdao's signature (the demo sample PDF). */
async function draftForLeader(subject: string): Promise<string> {
  const [drafter, leader] = [await apiAs(browser(), server(), 'chuyenvien'), await apiAs(browser(), server(), 'lanhdao')];
  try {
    return await documentAwaitingSignature(drafter, leader.userId, subject);
  } finally {
    await drafter.close();
    await leader.close();
  }
}

/** lanhdao signed in by the API, on a phone. */
async function leaderOnPhone() {
  const opened = await openPage(browser(), server(), PHONE);
  opened.context.setDefaultTimeout(30_000);
  expect((await opened.context.request.post('/api/auth/login', { data: { login: 'lanhdao', password: DEMO_PASSWORD } })).ok()).toBe(true);
  return opened;
}

/** Holds back every request for the PDF of document `id` itself (not its page-1 image) until `release` is called: pdf.js cannot draw meanwhile. */
async function holdPdf(page: Page, id: string): Promise<{ release: () => void }> {
  const held: Route[] = [];
  let isReleased = false;
  await page.route(`**/api/outgoing/${id}/files/**`, async (route) => {
    if (route.request().url().includes('page-image=1') || isReleased) return route.continue();
    held.push(route);
  });
  return {
    release: () => {
      isReleased = true;
      for (const route of held.splice(0)) void route.continue().catch(() => undefined);
    },
  };
}

const firstPage = (page: Page) => page.locator('[data-testid="pdf-viewer"] [data-page="1"]');

test('a leader opening a draft sees page 1 as the server\'s image before pdf.js has the file, at the page\'s shape; pdf.js\'s drawing then takes its place without moving it', async () => {
  const id = await draftForLeader('V/v xem trang 1 trước khi pdf.js sẵn sàng');
  const { context, page } = await leaderOnPhone();
  try {
    const pdf = await holdPdf(page, id);
    await page.goto(`/outgoing/${id}`);
    const image = firstPage(page).getByTestId('pdf-page-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(800);
    expect(await firstPage(page).getAttribute('data-rendered')).toBeNull();
    const before = await firstPage(page).boundingBox();
    // an A4 page, as wide as the viewer on a 390-pixel phone
    expect((before?.height ?? 0) / (before?.width ?? 1)).toBeCloseTo(Math.SQRT2, 1);
    expect(before?.width).toBeGreaterThan(300);

    pdf.release();
    await pdfRendered(page);
    await expect.poll(() => firstPage(page).getByTestId('pdf-page-image').count()).toBe(0);
    const after = await firstPage(page).boundingBox();
    expect(Math.abs((after?.height ?? 0) - (before?.height ?? 0))).toBeLessThanOrEqual(1);
    expect(after?.width).toBe(before?.width);
  } finally {
    await context.close();
  }
});

/** When requests of the context were sent and when they finished (ms on this process's clock), by what they are: page 1's image, the file, pdf.js's code and its worker. */
function requestTimes(context: BrowserContext, id: string) {
  const kindOf = (url: string) =>
    url.includes(`/api/outgoing/${id}/files/`) ? (url.includes('page-image=1') ? 'image' : 'file')
      : /\/assets\/pdf\.worker\.min-[\w-]+\.mjs$/.test(url) ? 'worker'
        : /\/assets\/pdf-[\w-]{8}\.js$/.test(url) ? 'pdfjs' : null;
  const sent = new Map<string, number>();
  const ended = new Map<string, number>();
  // the worker's script is fetched outside the page: the context sees it
  context.on('request', (r) => { const kind = kindOf(r.url()); if (kind && !sent.has(kind)) sent.set(kind, performance.now()); });
  context.on('requestfinished', (r) => { const kind = kindOf(r.url()); if (kind && !ended.has(kind)) ended.set(kind, performance.now()); });
  return { sent, ended };
}

test('on a slow network page 1\'s image comes alone: the file, pdf.js and its worker are asked for only once it has come, and pdf.js then draws the page', async () => {
  const id = await draftForLeader('V/v ảnh trang 1 đến trước pdf.js trên mạng chậm');
  const { context, page } = await leaderOnPhone();
  try {
    context.setDefaultTimeout(60_000);
    // regular 3G: 750 kbit/s, 100 ms
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: 94_000, uploadThroughput: 94_000 });
    const { sent, ended } = requestTimes(context, id);
    const openedAt = performance.now();
    await page.goto(`/outgoing/${id}`);
    await firstPage(page).getByTestId('pdf-page-image').waitFor();
    const imageShownAt = performance.now();
    await pdfRendered(page);
    const drawnAt = performance.now();
    const imageEnded = ended.get('image') ?? Infinity;
    expect(imageEnded).toBeLessThan(Infinity);
    for (const kind of ['file', 'pdfjs', 'worker']) expect(sent.get(kind), kind).toBeGreaterThanOrEqual(imageEnded);
    console.info(`regular 3G: page 1's image shown after ${Math.round(imageShownAt - openedAt)} ms, drawn by pdf.js after ${Math.round(drawnAt - openedAt)} ms`);
  } finally {
    await context.close();
  }
});

test('when the server has no image of page 1, the viewer waits for pdf.js and draws the page as before', async () => {
  const id = await draftForLeader('V/v xem PDF khi không có ảnh trang 1');
  const { context, page } = await leaderOnPhone();
  try {
    let isImageAsked = false;
    await page.route('**/files/**page-image=1', (route) => {
      isImageAsked = true;
      return route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'files.preview_failed', message: 'Không tạo được ảnh trang 1.' } }) });
    });
    await page.goto(`/outgoing/${id}`);
    await pdfRendered(page);
    expect(isImageAsked).toBe(true);
    expect(await firstPage(page).getByTestId('pdf-page-image').count()).toBe(0);
  } finally {
    await context.close();
  }
});
