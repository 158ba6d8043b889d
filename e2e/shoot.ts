/**
 * Development aid: screenshots every page of the web app at desktop (1280×800) and phone (390×844)
 * sizes into artifacts/dev/, to look at while working on the UI.
 *
 *   npx node e2e/shoot.ts [path …]      (default: the public pages and every admin page as quantri)
 */
import { DESKTOP, PHONE, ensureWebBuilt, launchBrowser, openPage, screenshot, startTestServer, submitLogin } from './harness.ts';

const PUBLIC = ['/login', '/forgot-password', '/reset-password?token=abc'];
const PRIVATE = ['/', '/admin/units', '/admin/users', '/admin/outbox', '/admin/audit', '/admin/archive', '/admin/agencies', '/profile', '/no-such-page'];

const slug = (p: string) => (p === '/' ? 'dashboard' : p.replace(/^\//, '').replace(/[/?=&]+/g, '_'));

await ensureWebBuilt();
const server = await startTestServer();
const browser = await launchBrowser();
const wanted = process.argv.slice(2);
try {
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    const { context, page } = await openPage(browser, server, viewport);
    for (const p of PUBLIC.filter((x) => wanted.length === 0 || wanted.includes(x))) {
      await page.goto(p);
      await page.waitForLoadState('networkidle');
      console.log(await screenshot(page, `dev/${slug(p)}-${label}`));
    }
    await submitLogin(page, 'quantri', 'Vanthu@2026');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    for (const p of PRIVATE.filter((x) => wanted.length === 0 || wanted.includes(x))) {
      await page.goto(p);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      console.log(await screenshot(page, `dev/${slug(p)}-${label}`));
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
