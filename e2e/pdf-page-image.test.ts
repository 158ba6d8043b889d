import { expect, test } from 'vitest';
import type { Page, Route } from 'playwright-core';
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
