import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument } from '@cantoo/pdf-lib';
import { needTool } from '../src/test/tools.ts';
import { ensureDemoCa, issueDemoCertificate } from '../src/domain/certificates/certificates.pki.ts';
import { createP12Signer } from '../src/domain/signing/keys.ts';
import { signPdf } from '../src/domain/signing/signing.pades.ts';
import { DEMO_PASSWORD, ensureWebBuilt, launchBrowser, openPage, PHONE, screenshot, startTestServer, submitLogin, type TestServer } from './harness.ts';

/** Picks a PDF on the check page and asks for its check. */
async function checkFile(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('check-input').click();
  await (await chooser).setFiles(file);
  await page.getByTestId('check-submit').click();
}

describe.skipIf(!needTool('chromium'))('the public signature check page', () => {
  let server: TestServer;
  let browser: Browser;
  let signedPath: string;
  let foreignPath: string;
  /** The other install's demo root as Node's X509Certificate prints its SHA-256 fingerprint (colons, upper case). */
  let foreignRootFingerprint: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
    // A PDF signed with a certificate of this install's demo CA, as a citizen would receive it.
    const cert = await issueDemoCertificate(await ensureDemoCa(server.dataDir), { commonName: 'Trần Văn Minh', organization: 'UBND tỉnh Thái Hòa', password: 'x' });
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Giay moi so 05');
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-check-'));
    signedPath = path.join(dir, 'giay-moi.pdf');
    await writeFile(signedPath, await signPdf(await doc.save(), { signer: await createP12Signer(cert.p12, 'x') }));
    // One signed by another vanthu install's demo CA: its root (same name, another key) travels in the signature, this install does not trust it.
    const otherCa = await ensureDemoCa(await mkdtemp(path.join(tmpdir(), 'vanthu-other-install-')));
    foreignRootFingerprint = new X509Certificate(otherCa.certDer).fingerprint256;
    const other = await issueDemoCertificate(otherCa, { commonName: 'Lê Thị Hoa', organization: 'UBND tỉnh Khác', password: 'x' });
    foreignPath = path.join(dir, 'cong-van-tinh-khac.pdf');
    await writeFile(foreignPath, await signPdf(await doc.save(), { signer: await createP12Signer(other.p12, 'x') }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a citizen on a phone opens the check page from the login page, uploads a signed PDF and sees it is valid', async () => {
    const { page, context } = await openPage(browser, server, PHONE);
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Kiểm tra chữ ký số của văn bản' }).click();
    await checkFile(page, signedPath);
    await expect.poll(() => page.getByTestId('signature-indication').textContent(), { timeout: 30_000 }).toBe('Hợp lệ');
    expect(await page.getByText('Trần Văn Minh').first().isVisible()).toBe(true);
    expect(await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'check-390x844');
    await context.close();
  });

  test('a signed-in clerk who opens the check page directly checks a PDF too (the upload carries the session\'s CSRF token)', async () => {
    const { page, context } = await openPage(browser, server);
    await submitLogin(page, 'vanthu', DEMO_PASSWORD);
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/kiem-tra-chu-ky`);
    await checkFile(page, signedPath);
    await expect.poll(() => page.getByTestId('signature-indication').textContent(), { timeout: 30_000 }).toBe('Hợp lệ');
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  test('a PDF signed under a root this install lacks reads «Chưa xác định», and the signature names the certificate the admin should add', async () => {
    const { page, context } = await openPage(browser, server, PHONE);
    await page.goto(`${server.url}/kiem-tra-chu-ky`);
    await checkFile(page, foreignPath);
    await expect.poll(() => page.getByTestId('signature-indication').textContent(), { timeout: 30_000 }).toBe('Chưa xác định');
    await page.getByText('Lê Thị Hoa').first().click();
    const missing = page.getByTestId('signature-missing-issuer');
    await missing.waitFor();
    // every install's demo root has this name: its fingerprint tells them apart
    expect(await missing.textContent()).toBe('Chứng thư gốc «vanthu Demo CA (chỉ dùng thử nghiệm)» (vanthu) chưa có trong danh sách chứng thư tin cậy: '
      + 'đề nghị quản trị hệ thống thêm chứng thư gốc này nếu đây là tổ chức chứng thực được công nhận.'
      + `Dấu vân tay SHA-256: ${foreignRootFingerprint}`);
    await screenshot(page, 'check-missing-issuer-390x844');
    await context.close();
  });
});
