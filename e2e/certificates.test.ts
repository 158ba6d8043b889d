import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { createTestPki, type TestPki } from '../src/domain/signing/testing/pki.ts';
import { makeSealPng, makeSignaturePng } from '../src/domain/signing/appearance/appearance.test-png.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium') || !needTool('openssl'))('«Chứng thư số»: the certificates an install needs before it can issue and verify', () => {
  const { server, browser } = useBrowserAndServer();
  let pki: TestPki;
  const images = { seal: '', signature: '' };
  beforeAll(async () => {
    pki = await createTestPki();
    images.seal = path.join(pki.dir, 'seal.png');
    images.signature = path.join(pki.dir, 'signature.png');
    writeFileSync(images.seal, makeSealPng());
    writeFileSync(images.signature, makeSignaturePng());
  }, 120_000);

  test('the province admin installs the agency seal from its PKCS#12, registers a leader\'s certificate with its issuing chain and the signature image, and adds the CA root to the trusted list, on a phone', async () => {
    const page = await signIn(browser(), server(), 'quantri', PHONE);
    await page.goto(`${server().url}/admin/certificates`);
    const seal = page.getByTestId('seal-certificate');
    await seal.getByRole('button', { name: /chứng thư số cơ quan/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').nth(0).setInputFiles(pki.seal.p12Path);
    await dialog.getByLabel('Mật khẩu của tệp').fill('mat-khau-sai');
    await dialog.locator('input[type=file]').nth(1).setInputFiles(images.seal);
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.getByText('Mật khẩu tệp PKCS#12 không đúng.').waitFor();
    await dialog.getByLabel('Mật khẩu của tệp').fill(pki.password);
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => seal.innerText()).toContain(pki.seal.serialHex);

    await page.getByRole('button', { name: 'Đăng ký chứng thư số cá nhân' }).click();
    await dialog.getByRole('combobox', { name: 'Người ký' }).click();
    await page.getByRole('option', { name: /Trần Văn Minh/ }).click();
    await dialog.locator('input[type=file]').nth(0).setInputFiles(pki.leader.certPath);
    // a chain from another CA is refused on its field; the provider's chain (intermediate and root) is taken
    await dialog.locator('input[type=file]').nth(1).setInputFiles(pki.untrustedRoot.certPath);
    await dialog.locator('input[type=file]').nth(2).setInputFiles(images.signature);
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.getByText(/không thuộc chuỗi cấp của chứng thư số này/).waitFor();
    await dialog.locator('input[type=file]').nth(1).setInputFiles(path.join(pki.dir, 'leader.chain.pem'));
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    // the test CA's leader certificate names «Nguyễn Văn An», not the demo leader: the admin is told and confirms
    const mismatch = dialog.getByTestId('certificate-name-mismatch');
    await expect.poll(() => mismatch.innerText()).toMatch(/«Nguyễn Văn An»[\s\S]*«Trần Văn Minh»/);
    await mismatch.getByRole('button', { name: 'Vẫn đăng ký' }).click();
    await dialog.waitFor({ state: 'detached' });
    const personal = page.getByTestId('personal-certificates');
    await expect.poll(() => personal.innerText()).toMatch(/Trần Văn Minh —[\s\S]*Có ảnh[\s\S]*Vanthu Test CA phục vụ cơ quan Nhà nước → Vanthu Test Root CA/);

    const trust = page.getByTestId('trusted-certificates');
    await trust.locator('input[type=file]').setInputFiles(pki.root.certPath);
    await trust.getByRole('button', { name: 'Thêm vào danh sách tin cậy' }).click();
    const root = trust.getByTestId('trusted-certificate').filter({ hasText: 'Vanthu Test Root CA' });
    await expect.poll(() => root.innerText()).toMatch(/Chứng thư gốc · Hiệu lực đến \d\d\/\d\d\/\d{4}/);
    // the fingerprint an admin compares with the one the CA publishes, as Node (and openssl) print it
    expect(await root.getByTestId('certificate-fingerprint').innerText()).toBe(`Dấu vân tay SHA-256: ${new X509Certificate(readFileSync(pki.root.certPath)).fingerprint256}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'certificates-390');
    await root.getByRole('button', { name: 'Bỏ khỏi danh sách' }).click();
    await expect.poll(() => root.count()).toBe(0);
    await page.context().close();
  });

  test('an agency admin who is not the province admin sees no trusted list to change', async () => {
    const page = await signIn(browser(), server(), 'snv.quantri', PHONE);
    await page.goto(`${server().url}/admin/certificates`);
    await page.getByTestId('seal-certificate').waitFor();
    expect(await page.getByTestId('trusted-certificates').count()).toBe(0);
    await page.context().close();
  });
});
