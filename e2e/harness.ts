/**
 * Browser-test harness: builds the web app when its sources changed (once, under a lock shared by
 * parallel test files), starts a real vanthu server in-process on a free port with a fresh PGlite
 * data directory and the demo province, and drives Debian's Chromium through playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { boot } from '../src/platform/boot.ts';
import { startServer } from '../src/platform/server.ts';
import { seedDemo } from '../src/domain/orgs/demo.ts';
import type { AppDeps } from '../src/platform/deps.ts';
import { prefillPgliteDir } from '../src/test/db.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'artifacts');
const WEB = path.join(ROOT, 'web');
const DIST_INDEX = path.join(WEB, 'dist', 'index.html');
const LOCK = path.join(tmpdir(), `vanthu-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether web/dist/index.html is missing or older than any source of the web app. */
export function isWebBuildStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const sources = Math.max(newestMtime(path.join(WEB, 'src')), statSync(path.join(WEB, 'index.html')).mtimeMs,
    statSync(path.join(WEB, 'vite.config.ts')).mtimeMs);
  return statSync(DIST_INDEX).mtimeMs < sources;
}

function tryLock(): boolean {
  try {
    closeSync(openSync(LOCK, 'wx'));
    return true;
  } catch {
    // a crashed builder must not block every later run
    if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) unlinkSync(LOCK);
    return false;
  }
}

/** Builds the web app (`vite build`) when stale; parallel callers wait for the one that holds the lock. */
export async function ensureWebBuilt(): Promise<void> {
  while (!tryLock()) await new Promise((r) => setTimeout(r, 250));
  try {
    if (!isWebBuildStale()) return;
    // NODE_ENV=production: under vitest it is `test`, and Vite then builds React's development version (a third larger, slower)
    const env = { ...process.env, NODE_ENV: 'production' };
    const result = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    unlinkSync(LOCK);
  }
}

/** `db`: the server's own database, for a test to set up what no page or API creates (e.g. what the exchange connector records). */
export type TestServer = { url: string; dataDir: string; db?: AppDeps['db']; stop: () => Promise<void> };

/** A real server on 127.0.0.1 and a free port, with its own PGlite database (from the run's migrated template) and the demo province seeded. */
export async function startTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-e2e-'));
  // PORT must be 1–65535 in the environment schema; the free port is chosen by startServer({ port: 0 }).
  const config = loadConfig({ DATA_DIR: dataDir, VANTHU_DEMO: 'true', LOG_LEVEL: 'silent', HOST: '127.0.0.1' });
  // under vitest: the run's migrated template (no initdb, no migrations: ~5 s of CPU per test file); e2e/shoot.ts starts from empty
  if (process.env.VITEST) await prefillPgliteDir(config.pgliteDir);
  const booted = await boot({ config });
  await seedDemo(booted.deps.db);
  const server = await startServer(booted.deps, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    dataDir,
    db: booted.deps.db,
    stop: async () => {
      await server.stop();
      await booted.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags that keep it quiet and offline. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
};

/** Debian's Chromium (CHROMIUM), its contexts in memory as a private window's. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** A fresh browser context (own cookies) on the server, in Vietnamese, at the given viewport. */
export async function openPage(browser: Browser, server: TestServer, viewport: { width: number; height: number } = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Fills the login form and submits it (does not wait for the outcome). */
export async function submitLogin(page: Page, login: string, password: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('Tên đăng nhập hoặc email').fill(login);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
}

/**
 * Saves a full-page screenshot under artifacts/ (git-ignored) and returns its path: for people to look at, never
 * compared. CI keeps no artifacts, so there (CI=true) it takes none unless VANTHU_SCREENSHOTS=true.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  if (process.env.CI === 'true' && process.env.VANTHU_SCREENSHOTS !== 'true') return file;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The demo accounts' password (demo mode only). */
export const DEMO_PASSWORD = 'Vanthu@2026';

/**
 * One built web app, real server and Chromium for a test file: started in beforeAll, closed in
 * afterAll. Returns getters, since the values exist only once beforeAll has run.
 */
export function useBrowserAndServer(): { server: () => TestServer; browser: () => Browser } {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const must = <T>(value: T | undefined, name: string): T => {
    if (!value) throw new Error(`${name} is not started (use inside tests)`);
    return value;
  };
  return { server: () => must(server, 'server'), browser: () => must(browser, 'browser') };
}
