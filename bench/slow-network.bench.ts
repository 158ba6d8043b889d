/**
 * `npm run bench:slow-network`: what a commune clerk and a leader wait for on a phone over a slow mobile
 * network. Starts `vanthu serve` in its own process on a fresh embedded database with the demo province
 * (its own port and data directory), drives Debian's Chromium at a 390×844 phone viewport with the
 * network throttled by the DevTools protocol (Network.emulateNetworkConditions: every request waits one
 * round trip before its answer, and all of them share the bandwidth), and times each step from the tap
 * until what the person came for is on the screen: cold (an empty browser cache) and warm (a second visit
 * right after: same cache, signed out). For each step it prints the bytes that came over the network,
 * the requests that went out (answers from the browser's cache left out), the longest chain of requests
 * each sent only after the one before had ended (the round trips the step waited for one after another),
 * the physical limit (those bytes ÷ the bandwidth + the round trips the step cannot do without: the
 * floor for what this build sends, not for the least a page could send) and the budget. The credentials
 * are typed at about 4 characters a second, as on a phone: what the page fetches meanwhile is not waited
 * for. BENCH_PROFILES=3g,rural picks the profiles; BENCH_JOURNEYS=clerk,leader the journeys; BENCH_RUNS=3 takes the median of three runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM, DEMO_PASSWORD, ensureWebBuilt, launchBrowser, PHONE, ROOT, type TestServer } from '../e2e/harness.ts';
import { apiAs, documentAwaitingSignature } from '../e2e/outgoing.helpers.ts';
import { scannedPdf } from '../e2e/scan-pdf.ts';

type Profile = { key: string; name: string; downKbps: number; upKbps: number; rttMs: number; budgetFactor: number };

/** Regular 3G (as Lighthouse and WebPageTest name it), and what a commune far from the district town often gets. */
const PROFILES: Profile[] = [
  { key: '3g', name: 'regular 3G: 750 kbit/s down, 250 kbit/s up, 100 ms RTT', downKbps: 750, upKbps: 250, rttMs: 100, budgetFactor: 1 },
  { key: 'rural', name: 'rural 3G/EDGE: 400 kbit/s down and up, 400 ms RTT', downKbps: 400, upKbps: 400, rttMs: 400, budgetFactor: 2 },
];
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const STEP_TIMEOUT_MS = 180_000;
const TYPING_DELAY_MS = 250;

type Visit = 'cold' | 'warm';

/** The scanned draft the leader also opens: as a copier makes it, about 3 MB. */
const SCAN_PAGES = 20;
const SCAN_SUBJECT = 'V/v đề nghị phê duyệt hồ sơ (bản chụp 20 trang)';

/**
 * A step of a journey: what is timed, the round trips it cannot do without (requests that must wait for
 * an earlier answer), and its budget on regular 3G — cold and warm (the rural profile gets twice as long).
 * The budgets follow the usual web targets: a first visit usable within 5 s on 3G, a repeat visit within
 * 2 s, a tap inside the app answered within about 3 s.
 */
type Step = { key: string; label: string; minRoundTrips: number; budget: Record<Visit, number> };

const STEPS = {
  login: { key: 'login', label: 'open the login page → form usable', minRoundTrips: 2, budget: { cold: 5, warm: 2 } },
  signIn: { key: 'signIn', label: 'sign in → home page shows its counts', minRoundTrips: 2, budget: { cold: 5, warm: 3 } },
  list: { key: 'list', label: 'tap «Chờ vào sổ» → Văn bản đến rows visible', minRoundTrips: 1, budget: { cold: 3, warm: 2 } },
  doc: { key: 'doc', label: 'tap a row → document page content', minRoundTrips: 1, budget: { cold: 3, warm: 2 } },
  // as from a notice e-mail, the app's code in the cache: the page, then the session and the document's data
  linkDoc: { key: 'linkDoc', label: 'open a link to that document (signed in) → its page', minRoundTrips: 2, budget: { cold: 3, warm: 2 } },
  signList: { key: 'signList', label: 'leader: tap «Chờ tôi ký» → rows visible', minRoundTrips: 1, budget: { cold: 3, warm: 2 } },
  // the document's data, then page 1's image (the server's)
  signDoc: { key: 'signDoc', label: 'leader: tap the draft → page 1 shown (image or pdf.js)', minRoundTrips: 2, budget: { cold: 6, warm: 3 } },
  signDocPdf: { key: 'signDocPdf', label: 'leader: tap the draft → PDF page 1 drawn by pdf.js', minRoundTrips: 2, budget: { cold: 6, warm: 3 } },
  // the page, then the session and the document's data, then page 1's image
  scanDoc: { key: 'scanDoc', label: `leader: open a link to a ${SCAN_PAGES}-page scan (signed in) → page 1 shown`, minRoundTrips: 3, budget: { cold: 8, warm: 5 } },
  // the page, then the session and the document's data, then the file's last part (where a PDF says what is where), then page 1's parts
  scanDocPdf: { key: 'scanDocPdf', label: `leader: open a link to a ${SCAN_PAGES}-page scan (signed in) → page 1 drawn by pdf.js`, minRoundTrips: 4, budget: { cold: 8, warm: 5 } },
  directOpen: { key: 'directOpen', label: 'leader: open link to «Chờ chỉ đạo» (signed in) → rows', minRoundTrips: 2, budget: { cold: 5, warm: 2 } },
  directDoc: { key: 'directDoc', label: 'leader: tap a row → direction form', minRoundTrips: 1, budget: { cold: 3, warm: 2 } },
} as const satisfies Record<string, Step>;

type Request = { url: string; sentAt: number; endedAt?: number; bytes: number; isFromCache: boolean; isOffPage: boolean; hasWireAnswer: boolean; order: number };

/**
 * Every request of a page as the DevTools protocol reports it, with times on this process's clock; a step
 * reads those sent after it began. A dedicated worker's script (pdf.js's) is fetched outside the page's
 * session: the protocol reports it sent (twice) and its headers, never its body nor its end. Its end comes
 * from Playwright, which follows workers; its size is the copy of the file the server sends (Brotli) plus
 * its headers; the twin without headers is not a second download.
 */
class NetworkLog {
  private readonly requests = new Map<string, Request>();
  private order = 0;

  constructor(cdp: CDPSession, page: Page) {
    const now = () => performance.now();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (/^(data|blob):/.test(e.request.url)) return;
      // a redirect reuses the request id: the first hop ends where the next begins
      const earlier = this.requests.get(e.requestId);
      if (earlier && e.redirectResponse) this.requests.set(`${e.requestId}#${this.order}`, { ...earlier, endedAt: now(), bytes: e.redirectResponse.encodedDataLength });
      // the page's own requests have numeric ids ("1234.56"); a worker's have the browser's hex ids
      this.requests.set(e.requestId, { url: e.request.url, sentAt: now(), bytes: 0, isFromCache: false, isOffPage: !/^\d+\.\d+$/.test(e.requestId), hasWireAnswer: false, order: this.order++ });
    });
    cdp.on('Network.requestServedFromCache', (e) => this.mark(e.requestId, { isFromCache: true }));
    cdp.on('Network.responseReceivedExtraInfo', (e) => this.mark(e.requestId, { hasWireAnswer: true }));
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) this.mark(e.requestId, { isFromCache: true });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = this.requests.get(e.requestId);
      if (r) r.bytes += e.encodedDataLength;
    });
    cdp.on('Network.loadingFinished', (e) => this.mark(e.requestId, { endedAt: now(), bytes: e.encodedDataLength }));
    cdp.on('Network.loadingFailed', (e) => this.mark(e.requestId, { endedAt: now() }));
    const offPageEnded = (request: import('playwright-core').Request) => {
      for (const r of this.requests.values()) {
        if (!r.isOffPage || r.endedAt !== undefined || r.url !== request.url()) continue;
        r.endedAt = now();
        if (r.hasWireAnswer) r.bytes = sentSize(new URL(r.url).pathname);
      }
    };
    page.on('requestfinished', offPageEnded);
    page.on('requestfailed', offPageEnded);
  }

  private mark(id: string, patch: Partial<Request>) {
    const r = this.requests.get(id);
    if (r) Object.assign(r, patch);
  }

  /** Where the next step's requests begin. */
  mark0(): number {
    return this.order;
  }

  /** The requests sent from `from` until `until` that went over the network, with the bytes that had arrived by then. */
  between(from: number, until: number): Request[] {
    return [...this.requests.values()].filter((r) => r.order >= from && r.sentAt <= until && !r.isFromCache && (!r.isOffPage || r.hasWireAnswer))
      .map((r) => (r.endedAt !== undefined && r.endedAt > until ? { ...r, endedAt: undefined } : r));
  }
}

/** What the server sends for a built file to a browser that accepts Brotli: the .br copy when there is one, and about 1 KB of headers. */
function sentSize(pathname: string): number {
  const file = path.join(ROOT, 'web', 'dist', decodeURIComponent(pathname));
  for (const candidate of [`${file}.br`, file]) {
    if (existsSync(candidate)) return statSync(candidate).size + 1000;
  }
  return 0;
}

/** The longest chain of requests each sent after the previous one had ended: round trips waited for one after another. */
function sequentialDepth(requests: Request[]): number {
  const ended = requests.filter((r) => r.endedAt !== undefined).sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  const depth = new Map<Request, number>();
  const depthOf = (r: Request) => 1 + Math.max(0, ...ended.filter((p) => (p.endedAt ?? Infinity) <= r.sentAt).map((p) => depth.get(p) ?? 0));
  for (const r of ended) depth.set(r, depthOf(r));
  return Math.max(0, ...requests.map((r) => depth.get(r) ?? depthOf(r)));
}

type Measure = { step: Step; visit: Visit; seconds: number; bytes: number; requests: number; depth: number; urls: string[] };

/** Times `act` until `until` resolves, with what went over the network meanwhile. */
async function measure(log: NetworkLog, step: Step, visit: Visit, act: () => Promise<unknown>, until: () => Promise<unknown>): Promise<Measure> {
  const from = log.mark0();
  const started = performance.now();
  await act();
  await until();
  return summarize(log, step, visit, from, started);
}

/** Times `act` until each of `untils` resolves in turn (one tap, several things it brings): a measure of each, from the tap. */
async function measureEach(log: NetworkLog, visit: Visit, act: () => Promise<unknown>, untils: readonly [Step, () => Promise<unknown>][]): Promise<Measure[]> {
  const from = log.mark0();
  const started = performance.now();
  await act();
  const measures: Measure[] = [];
  for (const [step, until] of untils) {
    await until();
    measures.push(summarize(log, step, visit, from, started));
  }
  return measures;
}

/** The measure of `step` from `started` until now, with the requests sent since `from`. */
function summarize(log: NetworkLog, step: Step, visit: Visit, from: number, started: number): Measure {
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  // what was sent until the step was done, with the bytes that had arrived by then: later requests are not what it waited for
  const requests = log.between(from, ended);
  return {
    step, visit, seconds, bytes: requests.reduce((n, r) => n + r.bytes, 0), requests: requests.length, depth: sequentialDepth(requests),
    urls: requests.map((r) => `${new URL(r.url).pathname}${new URL(r.url).search} ${r.bytes} B`),
  };
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The running server and the scanned draft made on it for the leader. */
type Server = { url: string; scanId: string; stop: () => Promise<void> };

/**
 * `vanthu serve` as `npm start` runs it (the web app built first), in its own process, on its own port and
 * a fresh data directory: the embedded database and the demo province with its documents (the outgoing
 * ones, signed and issued, are seeded once the server listens: this waits for them).
 */
async function startVanthu(): Promise<Server> {
  await ensureWebBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-slow-network-'));
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'src/cli/main.ts'), 'serve'], {
    cwd: ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, VANTHU_DEMO: 'true', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vanthu serve did not finish seeding in 240 s:\n${out.slice(-2000)}`)), 240_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (/"msg":"demo outgoing documents created"/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`vanthu serve exited (${String(code)}):\n${out.slice(-2000)}`)));
  });
  // keep reading its log (a full pipe would stall the server)
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    scanId: '',
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh page in `context` with the profile's network; the page's requests logged. */
async function throttledPage(context: import('playwright-core').BrowserContext, profile: Profile): Promise<{ page: Page; log: NetworkLog }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const log = new NetworkLog(cdp, page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: profile.rttMs, downloadThroughput: (profile.downKbps * 1000) / 8, uploadThroughput: (profile.upKbps * 1000) / 8, connectionType: 'cellular3g',
  });
  return { page, log };
}

const main = (page: Page) => page.locator('main');

/** The login page, then signing in as `login` until the home page shows its counts. */
async function signIn(page: Page, log: NetworkLog, server: Server, login: string, visit: Visit): Promise<Measure[]> {
  const button = page.getByRole('button', { name: 'Đăng nhập', exact: true });
  const opened = await measure(log, STEPS.login, visit, () => page.goto(`${server.url}/login`, { waitUntil: 'commit' }), async () => {
    await page.getByLabel('Tên đăng nhập hoặc email').waitFor();
    await button.waitFor();
  });
  // typed as a person types on a phone (about 4 characters a second): what the page does meanwhile is not waited for
  await page.getByLabel('Tên đăng nhập hoặc email').pressSequentially(login, { delay: TYPING_DELAY_MS });
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: TYPING_DELAY_MS });
  const home = await measure(log, STEPS.signIn, visit, () => button.click(), async () => {
    await main(page).locator('h2').first().waitFor();
    await main(page).locator('[data-testid^="incoming-count-"], [data-testid^="outgoing-count-"]').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('main .mantine-Skeleton-root').length === 0, undefined, { polling: 50 });
  });
  return [opened, home];
}

/** A commune clerk: signs in, opens the documents waiting to be registered, opens the first. */
async function clerkJourney(context: import('playwright-core').BrowserContext, profile: Profile, server: Server, visit: Visit): Promise<Measure[]> {
  const { page, log } = await throttledPage(context, profile);
  const measures = await signIn(page, log, server, CLERK, visit);
  measures.push(await measure(log, STEPS.list, visit, () => main(page).getByTestId('incoming-count-intake').click(), () =>
    main(page).getByTestId('incoming-list').locator('a').first().waitFor()));
  measures.push(await measure(log, STEPS.doc, visit, () => main(page).getByTestId('incoming-list').locator('a').first().click(), async () => {
    await main(page).locator('h2').first().waitFor();
    await main(page).locator('table').first().waitFor();
  }));
  const link = page.url();
  measures.push(await measure(log, STEPS.linkDoc, visit, () => page.goto(link, { waitUntil: 'commit' }), async () => {
    await main(page).locator('h2').first().waitFor();
    await main(page).locator('table').first().waitFor();
  }));
  await page.close();
  return measures;
}

/** A leader: signs in, opens «Chờ tôi ký» and the draft waiting there (its PDF), then a link to «Chờ chỉ đạo» and a document to direct. */
async function leaderJourney(context: import('playwright-core').BrowserContext, profile: Profile, server: Server, visit: Visit): Promise<Measure[]> {
  const { page, log } = await throttledPage(context, profile);
  const measures = await signIn(page, log, server, LEADER, visit);
  measures.push(await measure(log, STEPS.signList, visit, () => main(page).getByTestId('outgoing-count-signature').click(), () =>
    main(page).getByTestId('outgoing-row').first().waitFor()));
  // page 1 shown: the server's image of it (data-image) or pdf.js's drawing, whichever is first; then pdf.js's
  const shown = () => main(page).locator('[data-page="1"][data-image], [data-page="1"][data-rendered]').first().waitFor();
  const drawn = () => main(page).locator('[data-page="1"][data-rendered]').waitFor();
  measures.push(...await measureEach(log, visit, () => main(page).getByTestId('outgoing-row').filter({ hasNotText: SCAN_SUBJECT }).first().locator('a').first().click(),
    [[STEPS.signDoc, shown], [STEPS.signDocPdf, drawn]]));
  measures.push(...await measureEach(log, visit, () => page.goto(`${server.url}/outgoing/${server.scanId}`, { waitUntil: 'commit' }), [[STEPS.scanDoc, shown], [STEPS.scanDocPdf, drawn]]));
  measures.push(await measure(log, STEPS.directOpen, visit, () => page.goto(`${server.url}/incoming?box=direct`, { waitUntil: 'commit' }), () =>
    main(page).getByTestId('incoming-list').locator('a').first().waitFor()));
  measures.push(await measure(log, STEPS.directDoc, visit, () => main(page).getByTestId('incoming-list').locator('a').first().click(), () =>
    main(page).getByRole('button', { name: 'Cho ý kiến chỉ đạo' }).waitFor()));
  await page.close();
  return measures;
}

/** The demo's commune clerk (the province's công văn waits in their intake) and the province's Chairman (a draft awaits his signature). */
const CLERK = 'xa.vanthu';
const LEADER = 'lanhdao';

/**
 * One person's journey, cold in a new browser profile, then warm: a second visit with the same cache,
 * signed out. A profile on disk, as a phone's browser has (a private window's cache is in memory and does
 * not keep the parts of a file fetched by byte ranges).
 */
async function coldAndWarm(server: Server, profile: Profile, journey: typeof clerkJourney): Promise<Measure[]> {
  const profileDir = await mkdtemp(path.join(tmpdir(), 'vanthu-slow-network-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    ...CHROMIUM, viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  try {
    await Promise.all(context.pages().map((p) => p.close()));
    const cold = await journey(context, profile, server, 'cold');
    await context.clearCookies();
    const warm = await journey(context, profile, server, 'warm');
    return [...cold, ...warm];
  } finally {
    await context.close();
    await rm(profileDir, { recursive: true, force: true });
  }
}

/** chuyenvien's draft of a scanned file, waiting for lanhdao's signature (through the API). */
async function scannedDraft(browser: Browser, server: Server): Promise<string> {
  const asTest: TestServer = { url: server.url, dataDir: '', stop: async () => undefined };
  const [drafter, leader] = [await apiAs(browser, asTest, 'chuyenvien'), await apiAs(browser, asTest, LEADER)];
  try {
    return await documentAwaitingSignature(drafter, leader.userId, SCAN_SUBJECT, await scannedPdf(SCAN_PAGES));
  } finally {
    await drafter.close();
    await leader.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

/** Median over the runs of each step and visit. */
function combine(runs: Measure[][]): Measure[] {
  const first = runs[0] ?? [];
  return first.map((m, i) => {
    const same = runs.map((r) => r[i]).filter((x): x is Measure => !!x);
    return { ...m, seconds: median(same.map((x) => x.seconds)), bytes: median(same.map((x) => x.bytes)), requests: median(same.map((x) => x.requests)), depth: median(same.map((x) => x.depth)) };
  });
}

/** Seconds the bytes need at the profile's bandwidth plus the round trips the step cannot do without. */
function physicalLimit(m: Measure, profile: Profile): number {
  return (m.bytes * 8) / (profile.downKbps * 1000) + (m.step.minRoundTrips * profile.rttMs) / 1000;
}

function printTable(profile: Profile, measures: Measure[]) {
  console.log(`\n### ${profile.name}\n`);
  console.log('| step | visit | measured | physical limit | budget | transferred | requests | sequential round trips (min) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const m of measures) {
    const budget = m.step.budget[m.visit] * profile.budgetFactor;
    const verdict = m.seconds <= budget ? '' : ' ✗';
    console.log(`| ${m.step.label} | ${m.visit} | ${m.seconds.toFixed(1)} s${verdict} | ${physicalLimit(m, profile).toFixed(1)} s | ${budget} s | ${(m.bytes / 1024).toFixed(0)} KB | ${m.requests} | ${m.depth} (${m.step.minRoundTrips}) |`);
  }
  if (process.env.BENCH_VERBOSE) for (const m of measures) console.log(`\n${m.step.key} ${m.visit}:\n  ${m.urls.join('\n  ')}`);
}

async function run() {
  const wanted = process.env.BENCH_PROFILES?.split(',') ?? PROFILES.map((p) => p.key);
  const journeys = process.env.BENCH_JOURNEYS?.split(',') ?? ['clerk', 'leader'];
  const server = await startVanthu();
  const browser = await launchBrowser();
  try {
    server.scanId = await scannedDraft(browser, server);
    console.log(`\nSlow network, phone 390×844, Chromium — ${new Date().toISOString()}, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; median of ${RUNS} run(s). Clerk: ${CLERK}; leader: ${LEADER}.`);
    console.log('Physical limit: bytes transferred ÷ bandwidth + the round trips the step cannot do without × RTT (TCP set-up not counted: the DevTools throttle does not add it). ✗: over budget.');
    for (const profile of PROFILES.filter((p) => wanted.includes(p.key))) {
      const runs: Measure[][] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push([
          ...(journeys.includes('clerk') ? await coldAndWarm(server, profile, clerkJourney) : []),
          ...(journeys.includes('leader') ? await coldAndWarm(server, profile, leaderJourney) : []),
        ]);
      }
      printTable(profile, combine(runs));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

await run();
