/** What the outgoing browser tests share: the API as one demo user, documents made through it, sign-in. */
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openPage, submitLogin, type TestServer } from './harness.ts';

export const DEMO_PASSWORD = 'Vanthu@2026';
/** The demo personal certificates' PIN. */
export const PIN = '123456';
/** The demo Sở Nội vụ, on the same install as the province. */
export const SNV_CODE = '000.00.01.H99';

type Json = { data?: unknown; error?: { code: string; message: string } };
export type Doc = { id: string; status: string; numberText: string | null; files: { id: string; note: string; kind: string }[] };

/** The API as one signed-in user (own cookie jar), with the session's CSRF token on every write. */
export async function apiAs(browser: Browser, server: TestServer, login: string) {
  const context = await browser.newContext({ baseURL: server.url });
  const request = context.request;
  const res = await request.post('/api/auth/login', { data: { login, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const session = (await (await request.get('/api/auth/session')).json()) as { data: { csrfToken: string; user: { id: string } } };
  const headers = { 'X-CSRF-Token': session.data.csrfToken };
  const call = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, data?: unknown): Promise<T> => {
    // maxRetries: a request sent on a kept-alive connection the server closes at that moment (Node closes
    // idle ones after 5 s) fails with ECONNRESET before the server reads it; a browser sends it again.
    const r = method === 'GET' ? await request.get(url, { maxRetries: 1 }) : await request.fetch(url, { method, data: data ?? {}, headers, maxRetries: 1 });
    const body = (await r.json()) as Json;
    expect(r.ok(), `${method} ${url}: ${JSON.stringify(body.error)}`).toBe(true);
    return body.data as T;
  };
  /** A multipart POST (files) with the CSRF token. */
  const upload = async (url: string, multipart: Record<string, { name: string; mimeType: string; buffer: Buffer }>) => {
    const r = await request.post(url, { multipart, headers, maxRetries: 1 });
    expect(r.ok(), `POST ${url}: ${await r.text()}`).toBe(true);
  };
  return { request, userId: session.data.user.id, upload, get: <T>(url: string) => call<T>('GET', url), post: <T>(url: string, data?: unknown) => call<T>('POST', url, data),
    patch: <T>(url: string, data: unknown) => call<T>('PATCH', url, data), close: () => context.close() };
}

/** A document waiting for lanhdao's signature, made through the API (draft, the sample file or `pdf`, straight to the signer). */
export async function documentAwaitingSignature(drafter: Awaited<ReturnType<typeof apiAs>>, signerId: string, subject: string, pdf?: Uint8Array): Promise<string> {
  const doc = await drafter.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject, signerId, signerPosition: 'Chủ tịch',
    recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }], recipientsText: '- Bộ Thử nghiệm;\n- Lưu: VT, TH.' });
  if (pdf) await drafter.upload(`/api/outgoing/${doc.id}/files`, { main: { name: 'ban-chup.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) } });
  else await drafter.post(`/api/outgoing/${doc.id}/sample-file`);
  const submitted = await drafter.post<{ status: string }>(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [] });
  expect(submitted.status).toBe('awaiting_signature');
  return doc.id;
}

export async function signIn(browser: Browser, server: TestServer, login: string, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await openPage(browser, server, viewport);
  await submitLogin(page, login, DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

export const statusBadge = (page: Page) => page.getByTestId('outgoing-status');
/** In the open signing dialog: types the PIN (the demo's by default), signs one document, closes the outcome and waits for «Đã ký». */
export async function signInDialog(page: Page, pin = PIN): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Mã PIN chứng thư số').fill(pin);
  await dialog.getByRole('button', { name: 'Ký số' }).click();
  await dialog.getByTestId('sign-summary').filter({ hasText: 'Đã ký 1/1 văn bản.' }).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Đóng' }).click();
  await expect.poll(() => statusBadge(page).innerText()).toBe('Đã ký');
}
/** Waits until pdf.js has drawn the first page of the document shown. */
export const pdfRendered = (page: Page) => page.locator('[data-testid="pdf-viewer"] [data-page="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });

/** The demo province, on the same install as the Sở Nội vụ. */
export const PROVINCE_CODE = '000.00.00.H99';
/** Who drafts, signs (by full name) and issues an agency's documents in the demo. */
export type DemoSender = { staff: string; leader: string; signerName: string; signerPosition: string; clerk: string };
export const PROVINCE_SENDER: DemoSender = { staff: 'chuyenvien', leader: 'lanhdao', signerName: 'Trần Văn Minh', signerPosition: 'Chủ tịch', clerk: 'vanthu' };
export const SNV_SENDER: DemoSender = { staff: 'snv.chuyenvien', leader: 'snv.giamdoc', signerName: 'Ngô Văn Tài', signerPosition: 'Giám đốc', clerk: 'snv.vanthu' };

/**
 * The province (or `by`, e.g. the Sở Nội vụ) drafts, signs and issues a Công văn, through the API: to the
 * Sở Nội vụ (an agency on the same install) or to `agencyCode` (an agency on the same install, or in the
 * exchange directory: the issue writes its outbox row), or to each of several codes.
 */
export async function issuedToDepartment(browser: Browser, server: TestServer, subject: string, agencyCode: string | readonly string[] = SNV_CODE, by: DemoSender = PROVINCE_SENDER): Promise<string> {
  const staff = await apiAs(browser, server, by.staff);
  const people = await staff.get<{ users: { id: string; fullName: string }[] }>('/api/incoming/directory');
  const signerId = people.users.find((u) => u.fullName === by.signerName)?.id;
  const doc = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject, signerId, signerPosition: by.signerPosition,
    recipients: [agencyCode].flat().map((code) => ({ kind: 'external', agencyCode: code })), recipientsText: '- Như trên;\n- Lưu: VT, TH.' });
  await staff.post(`/api/outgoing/${doc.id}/sample-file`);
  await staff.post(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [] });
  await staff.close();
  const leader = await apiAs(browser, server, by.leader);
  const [signed] = await leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [doc.id], pin: PIN });
  expect(signed?.ok).toBe(true);
  await leader.close();
  const clerk = await apiAs(browser, server, by.clerk);
  await clerk.post(`/api/outgoing/${doc.id}/issue`);
  await clerk.close();
  return doc.id;
}
