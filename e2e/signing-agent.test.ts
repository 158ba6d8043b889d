import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { ensureDemoCa, issueDemoCertificate } from '../src/domain/certificates/certificates.pki.ts';
import { loadPkcs12 } from '../src/domain/signing/keys.ts';
import { createSoftToken } from '../src/domain/signing/testing/softhsm.ts';
import { AGENT_DIST } from '../src/domain/signing-agent/signing-agent.downloads.ts';
import { DEMO_PASSWORD, openPage, PHONE, ROOT, screenshot, submitLogin, useBrowserAndServer } from './harness.ts';

const TOKEN_PIN = '246810';
type Body<T> = { data: T; error?: { code: string; message: string } };

/** Starts `vanthu signing-agent` as its own process (as on the leader's computer) and waits for its address. */
function startAgentProcess(o: { module: string; conf: string; origin: string }): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'signing-agent', '--pkcs11', o.module, '--port', '0', '--origin', o.origin],
    { cwd: ROOT, env: { ...process.env, SOFTHSM2_CONF: o.conf }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /đang chạy tại (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.once('exit', (code) => reject(new Error(`signing agent exited (${code}):\n${output}`)));
  });
}

describe.skipIf(!needTool('chromium', 'pdfsig', 'softhsm2-util', 'pkcs11-tool'))('signing with a USB token through the signing agent', () => {
  const { server, browser } = useBrowserAndServer();
  let agent: { child: ChildProcess; url: string };
  let leaderId = '';

  /** A signed-in API session (own cookies) with the CSRF token on writes. */
  async function apiSession(login: string) {
    const context = await browser().newContext({ baseURL: server().url });
    expect((await context.request.post('/api/auth/login', { data: { login, password: DEMO_PASSWORD } })).status()).toBe(200);
    const session = (await (await context.request.get('/api/auth/session')).json()) as Body<{ csrfToken: string; user: { id: string } }>;
    const send = async <T>(url: string, data?: unknown): Promise<T> => {
      const res = data === undefined ? await context.request.get(url) : await context.request.post(url, { data, headers: { 'X-CSRF-Token': session.data.csrfToken } });
      const body = (await res.json()) as Body<T>;
      expect(res.ok(), `${url}: ${JSON.stringify(body.error)}`).toBe(true);
      return body.data;
    };
    return { context, userId: session.data.user.id, send };
  }

  beforeAll(async () => {
    // The token holds a key and certificate from the install's demo CA, which the verifier trusts;
    // the admin registers that certificate for the leader, as in production.
    const ca = await ensureDemoCa(server().dataDir);
    const issued = await issueDemoCertificate(ca, { commonName: 'Trần Văn Minh (USB token)', title: 'Chủ tịch', organization: 'UBND tỉnh Thái Hòa', password: 'p12-pass' });
    const { privateKey } = await loadPkcs12(issued.p12, 'p12-pass');
    const token = createSoftToken([{ label: 'lanhdao', id: '01', keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certDer: issued.certDer, extraCerts: [ca.certDer] }], TOKEN_PIN);
    agent = await startAgentProcess({ module: token.module, conf: token.conf, origin: server().url });
    const leader = await apiSession('lanhdao');
    leaderId = leader.userId;
    await leader.context.close();
    const admin = await apiSession('quantri');
    await admin.send('/api/outgoing/certificates/personal', { userId: leaderId, certificate: Buffer.from(issued.certDer).toString('base64') });
    await admin.context.close();
  }, 120_000);
  afterAll(() => {
    agent?.child.kill('SIGTERM');
  });

  async function awaitingSignature(drafter: Awaited<ReturnType<typeof apiSession>>, subject: string): Promise<string> {
    const doc = await drafter.send<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject, signerId: leaderId, signerPosition: 'Chủ tịch',
      recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }], recipientsText: '- Bộ Thử nghiệm;\n- Lưu: VT.' });
    await drafter.send(`/api/outgoing/${doc.id}/sample-file`, {});
    await drafter.send(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [] });
    return doc.id;
  }

  async function openBatchDialog(page: Page, count: number) {
    await page.getByRole('navigation').getByRole('link', { name: 'Chờ tôi ký', exact: true }).click();
    await expect.poll(() => page.getByTestId('outgoing-row').count()).toBe(count);
    await page.getByLabel(`Chọn tất cả (${count})`).check();
    await page.getByRole('button', { name: `Ký ${count} văn bản` }).click();
    return page.getByRole('dialog');
  }

  test('the leader signs two documents in one batch with the USB token: one PIN, valid signatures that pdfsig and the verifier accept', async () => {
    const drafter = await apiSession('chuyenvien');
    const ids = [await awaitingSignature(drafter, 'V/v ký bằng USB token số 1'), await awaitingSignature(drafter, 'V/v ký bằng USB token số 2')];
    const { page } = await openPage(browser(), server());
    await submitLogin(page, 'lanhdao', DEMO_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const dialog = await openBatchDialog(page, 2);
    // The registered certificate's key is on the token, not on the server: the token is the only way offered.
    await dialog.getByLabel('Địa chỉ phần mềm ký số trên máy tính này').waitFor();
    expect(await dialog.getByLabel('Ký bằng chứng thư số trên máy chủ (demo)').count()).toBe(0);
    await dialog.getByLabel('Địa chỉ phần mềm ký số trên máy tính này').fill(agent.url);
    await dialog.getByText('Trần Văn Minh (USB token)').waitFor();
    await dialog.getByText('Đã đăng ký trên hệ thống').waitFor();
    await dialog.getByLabel('Mã PIN của USB token').fill('000000');
    await dialog.getByRole('button', { name: 'Ký 2 văn bản' }).click();
    await dialog.getByText('Mã PIN của thiết bị ký số không đúng.').waitFor();
    for (const id of ids) expect((await drafter.send<{ status: string }>(`/api/outgoing/${id}`)).status).toBe('awaiting_signature');
    await dialog.getByLabel('Mã PIN của USB token').fill(TOKEN_PIN);
    await screenshot(page, 'dev/sign-agent-desktop');
    await dialog.getByRole('button', { name: 'Ký 2 văn bản' }).click();
    await dialog.getByTestId('sign-summary').filter({ hasText: 'Đã ký 2/2 văn bản.' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'dev/sign-agent-done-desktop');
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-agent-e2e-'));
    for (const id of ids) {
      const doc = await drafter.send<{ status: string; files: { id: string; kind: string }[] }>(`/api/outgoing/${id}`);
      expect(doc.status).toBe('signed');
      const signed = doc.files.find((f) => f.kind === 'signed');
      expect(signed).toBeDefined();
      const file = path.join(dir, `${id}.pdf`);
      writeFileSync(file, await (await drafter.context.request.get(`/api/outgoing/${id}/files/${signed?.id}?download=1`)).body());
      // pdfsig exits 0 even when a signature fails: read its report.
      const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
      expect(report.match(/Signature Validation: Signature is Valid/g)).toHaveLength(1);
      expect(report).toContain('Trần Văn Minh (USB token)');
      type Report = { indication: string; subIndication?: string; summary: string; checks: { status: string; message: string }[] };
      const verified = await drafter.send<{ signatures: Report[] }>(`/api/verification/documents/outgoing/${id}/files/${signed?.id}`);
      // On a failure the message says why: the sub-indication, the summary and every check that did not pass.
      const why = verified.signatures.map((s) => ({ subIndication: s.subIndication, summary: s.summary, checks: s.checks.filter((c) => c.status !== 'passed') }));
      expect(verified.signatures.map((s) => s.indication), JSON.stringify(why)).toEqual(['TOTAL-PASSED']);
    }
    await drafter.context.close();
    await page.context().close();
  }, 240_000);

  test('on a 390 px phone, a demo leader without a registered certificate chooses the USB token; with the agent not running the dialog says so and how to start it', async () => {
    const drafter = await apiSession('chuyenvien');
    const deputy = await apiSession('phochutich');
    const doc = await drafter.send<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v thử khi chưa bật phần mềm ký số', signerId: deputy.userId,
      signerPosition: 'Phó Chủ tịch', recipients: [{ kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }], recipientsText: '- Bộ Thử nghiệm;\n- Lưu: VT.' });
    await drafter.send(`/api/outgoing/${doc.id}/sample-file`, {});
    await drafter.send(`/api/outgoing/${doc.id}/submit`, { reviewerIds: [] });
    await deputy.context.close();
    const { page } = await openPage(browser(), server(), PHONE);
    await submitLogin(page, 'phochutich', DEMO_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`/outgoing/${doc.id}`);
    await page.getByRole('button', { name: 'Ký số', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Ký bằng USB token qua phần mềm ký số (vanthu signing-agent)').check();
    await dialog.getByLabel('Địa chỉ phần mềm ký số trên máy tính này').fill('http://127.0.0.1:9');
    await dialog.getByTestId('agent-missing').filter({ hasText: 'Chưa bật phần mềm ký số trên máy tính' }).waitFor();
    await expect.poll(() => dialog.getByTestId('agent-missing').textContent()).toContain(`vanthu signing-agent --pkcs11 /đường/dẫn/thư-viện-pkcs11 --origin ${server().url}`);
    // The Windows download is offered when this server has a build of it (npm run build:signing-agent), and only then.
    if (existsSync(path.join(AGENT_DIST, 'vanthu-ky-so-win-x64.exe'))) {
      await expect.poll(() => dialog.getByTestId('agent-download').getAttribute('href')).toBe('/downloads/vanthu-ky-so-win-x64.exe');
      expect(await page.evaluate(async () => (await fetch('/downloads/vanthu-ky-so-win-x64.exe', { method: 'HEAD' })).headers.get('content-disposition'))).toContain('attachment');
    } else {
      expect(await page.evaluate(async () => (await fetch('/downloads/vanthu-ky-so-win-x64.exe', { method: 'HEAD' })).status)).toBe(404);
      expect(await dialog.getByTestId('agent-download').count()).toBe(0);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'dev/sign-agent-missing-phone');
    // The real agent at the right address is found again from the same dialog.
    await dialog.getByLabel('Địa chỉ phần mềm ký số trên máy tính này').fill(agent.url);
    await dialog.getByText('Trần Văn Minh (USB token)').waitFor();
    await dialog.getByText('Bạn chưa đăng ký chứng thư số trên hệ thống', { exact: false }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'dev/sign-agent-phone');
    await drafter.context.close();
    await page.context().close();
  }, 120_000);
});
