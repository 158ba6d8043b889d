import { expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, openPage, PHONE, submitLogin, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment } from './outgoing.helpers.ts';

const { server, browser } = useBrowserAndServer();

const SESSION_EXPIRED = 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.';

/** The API requests the page sends, in order: path and query, when each was sent, and its answer's status once it has come. */
function apiRequests(page: Page): { path: string; sentAt: number; status?: number }[] {
  const log: { path: string; sentAt: number; status?: number }[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) log.push({ path: url.pathname + url.search, sentAt: performance.now() });
  });
  page.on('response', (r) => {
    const url = new URL(r.url());
    const entry = log.find((e) => e.path === url.pathname + url.search && e.status === undefined);
    if (entry) entry.status = r.status();
  });
  return log;
}

/** Holds the answer to GET /api/auth/session, as a slow network would, until `release` is called; `answered` says whether it has been let through. */
async function holdSession(page: Page): Promise<{ release: () => void; answered: () => boolean }> {
  let release = () => {};
  let isAnswered = false;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/api/auth/session', async (route) => {
    await held;
    isAnswered = true;
    await route.continue().catch(() => undefined);
  });
  return { release, answered: () => isAnswered };
}

async function signedInPage(login: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openPage(browser(), server(), PHONE);
  expect((await opened.context.request.post('/api/auth/login', { data: { login, password: DEMO_PASSWORD } })).ok()).toBe(true);
  return opened;
}

const SUBJECT = 'V/v báo cáo mở văn bản từ đường dẫn';
let made: Promise<{ outgoingId: string; incomingId: string }> | undefined;

/** Once for the file: the province issues a Công văn to the Sở Nội vụ (lanhdao's outgoing document), which arrives in snv.vanthu's «Chờ vào sổ». */
function documents(): Promise<{ outgoingId: string; incomingId: string }> {
  made ??= (async () => {
    const outgoingId = await issuedToDepartment(browser(), server(), SUBJECT);
    const clerk = await apiAs(browser(), server(), 'snv.vanthu');
    try {
      let incomingId: string | undefined;
      await expect.poll(async () => {
        incomingId = (await clerk.get<{ id: string; subject: string | null }[]>('/api/incoming?box=intake')).find((r) => r.subject === SUBJECT)?.id;
        return incomingId;
      }, { timeout: 20_000 }).toBeDefined();
      return { outgoingId, incomingId: incomingId! };
    } finally {
      await clerk.close();
    }
  })();
  return made;
}

/** A work file of chuyenvien's, made through the API. */
async function workFile(): Promise<string> {
  const staff = await apiAs(browser(), server(), 'chuyenvien');
  try {
    return (await staff.post<{ id: string }>('/api/records/files', { notation: '31.TH', title: 'Hồ sơ mở từ đường dẫn', retention: '10' })).id;
  } finally {
    await staff.close();
  }
}

type LinkCase = { name: string; login: string; link: () => Promise<{ address: string; request: string }>; shown: (page: Page) => Promise<unknown> };

const LINKS: LinkCase[] = [
  {
    name: 'an incoming document (from a notice e-mail)', login: 'snv.vanthu',
    link: async () => {
      const id = (await documents()).incomingId;
      return { address: `/incoming/${id}`, request: `/api/incoming/${id}` };
    },
    shown: (page) => page.locator('main h2').first().waitFor(),
  },
  {
    name: 'an outgoing document', login: 'lanhdao',
    link: async () => {
      const id = (await documents()).outgoingId;
      return { address: `/outgoing/${id}`, request: `/api/outgoing/${id}` };
    },
    shown: (page) => page.getByTestId('outgoing-status').waitFor(),
  },
  {
    name: 'a work file', login: 'chuyenvien',
    link: async () => {
      const id = await workFile();
      return { address: `/records/${id}`, request: `/api/records/files/${id}` };
    },
    shown: (page) => page.getByText('Hồ sơ mở từ đường dẫn').first().waitFor(),
  },
  {
    name: 'the home page (its counts)', login: 'xa.vanthu',
    link: async () => ({ address: '/', request: '/api/incoming/counts' }),
    shown: (page) => page.locator('[data-testid^="incoming-count-"]').first().waitFor(),
  },
];

test.each(LINKS)('signed in, a link to $name: its data is asked for while the session is still on its way, once, and the page shows it', async ({ login, link, shown }) => {
  const { address, request } = await link();
  const { context, page } = await signedInPage(login);
  try {
    const requests = apiRequests(page);
    const session = await holdSession(page);
    await page.goto(address, { waitUntil: 'commit' });
    await expect.poll(() => requests.some((r) => r.path === request), { timeout: 30_000 }).toBe(true);
    expect(session.answered()).toBe(false);
    session.release();
    await shown(page);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(address);
    // the page rendered from the early request (or joined it): it did not ask again
    expect(requests.filter((r) => r.path === request)).toHaveLength(1);
    expect(requests.find((r) => r.path === request)?.status).toBe(200);
  } finally {
    await context.close();
  }
});

test('a link to a work list asks for its rows only once the session has said the roles have it — never for a list the roles do not give (the page sends them to theirs)', async () => {
  const { context, page } = await signedInPage('lanhdao');
  try {
    const requests = apiRequests(page);
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.url().includes('incoming-list.page')) scripts.push(r.url()); });
    const session = await holdSession(page);
    await page.goto('/incoming?box=direct', { waitUntil: 'commit' });
    await expect.poll(() => scripts.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(requests.filter((r) => r.path.startsWith('/api/incoming?'))).toEqual([]);
    session.release();
    await page.getByTestId('incoming-list').or(page.getByTestId('incoming-empty')).waitFor();
    expect(requests.filter((r) => r.path === '/api/incoming?box=direct')).toHaveLength(1);
  } finally {
    await context.close();
  }
});

test.each([
  { order: 'the document\'s 401 before the session\'s answer', isSessionFirst: false },
  { order: 'the session\'s answer before the document\'s 401', isSessionFirst: true },
])('signed out, a link to an incoming document ($order): the login page without «session expired», then the document after signing in', async ({ isSessionFirst }) => {
  const id = (await documents()).incomingId;
  const { context, page } = await openPage(browser(), server(), PHONE);
  try {
    const requests = apiRequests(page);
    let releaseDocument = () => {};
    const documentHeld = new Promise<void>((resolve) => { releaseDocument = resolve; });
    if (isSessionFirst) {
      await page.route(`**/api/incoming/${id}`, async (route) => {
        if (new URL(page.url()).pathname !== '/login') await documentHeld;
        await route.continue().catch(() => undefined);
      });
    }
    const session = await holdSession(page);
    await page.goto(`/incoming/${id}`, { waitUntil: 'commit' });
    await expect.poll(() => requests.some((r) => r.path === `/api/incoming/${id}`), { timeout: 30_000 }).toBe(true);
    if (isSessionFirst) {
      session.release();
      await page.waitForURL((url) => url.pathname === '/login');
      releaseDocument();
    } else {
      await expect.poll(() => requests.find((r) => r.path === `/api/incoming/${id}`)?.status, { timeout: 30_000 }).toBe(401);
      expect(session.answered()).toBe(false);
      session.release();
      await page.waitForURL((url) => url.pathname === '/login');
    }
    await expect.poll(() => requests.find((r) => r.path === `/api/incoming/${id}`)?.status, { timeout: 30_000 }).toBe(401);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/incoming/${id}`);
    // the 401 has been handled by now (the page's answer to it would be at once): no notice
    await page.waitForTimeout(300);
    expect(await page.getByText(SESSION_EXPIRED).count()).toBe(0);

    await submitLogin(page, 'snv.vanthu', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === `/incoming/${id}`);
    await page.locator('main h2').first().waitFor();
    expect(await page.getByText('Không tải được dữ liệu').count()).toBe(0);
    // asked again after signing in, and answered
    const asked = requests.filter((r) => r.path === `/api/incoming/${id}`);
    expect(asked.map((r) => r.status)).toEqual([401, 200]);
    expect(await page.getByText(SESSION_EXPIRED).count()).toBe(0);
  } finally {
    await context.close();
  }
});

test('a link to another agency\'s incoming document: the page says it cannot load it, as without the early request, and keeps the person signed in', async () => {
  const id = (await documents()).incomingId;
  const { context, page } = await signedInPage('xa.vanthu');
  try {
    const requests = apiRequests(page);
    const session = await holdSession(page);
    await page.goto(`/incoming/${id}`, { waitUntil: 'commit' });
    await expect.poll(() => requests.find((r) => r.path === `/api/incoming/${id}`)?.status, { timeout: 30_000 }).toBeGreaterThanOrEqual(400);
    session.release();
    await page.getByText('Không tải được dữ liệu').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/incoming/${id}`);
    expect(await page.getByText(SESSION_EXPIRED).count()).toBe(0);
    // the early refusal was not kept for the page: it asked itself and shows its own answer
    expect(requests.filter((r) => r.path === `/api/incoming/${id}`).length).toBe(2);
  } finally {
    await context.close();
  }
});

test('a link to an outgoing document another agency\'s clerk may not open: «Không mở được văn bản này», as without the early request', async () => {
  const id = (await documents()).outgoingId;
  const { context, page } = await signedInPage('xa.vanthu');
  try {
    const session = await holdSession(page);
    await page.goto(`/outgoing/${id}`, { waitUntil: 'commit' });
    session.release();
    await page.getByTestId('outgoing-not-viewable').waitFor();
    expect(await page.getByText(SESSION_EXPIRED).count()).toBe(0);
  } finally {
    await context.close();
  }
});
