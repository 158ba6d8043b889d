import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { needTool } from '../src/test/tools.ts';
import { DESKTOP, PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, PIN, signIn } from './outgoing.helpers.ts';

const DAY = 86_400_000;
/** dd/mm/yyyy in Vietnam, as the page writes a date. */
const vnDate = (at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);

describe.skipIf(!needTool('chromium'))('the issue dialog warns the clerk about the end of the agency seal', () => {
  const env = useBrowserAndServer();

  /** A document lanhdao signed (which gives the demo province its seal), waiting for vanthu to issue it; its id. */
  async function signedDocument(subject: string): Promise<string> {
    const [drafter, leader] = await Promise.all([apiAs(env.browser(), env.server(), 'chuyenvien'), apiAs(env.browser(), env.server(), 'lanhdao')]);
    const id = await documentAwaitingSignature(drafter, leader.userId, subject);
    expect((await leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [id], pin: PIN }))[0]?.ok).toBe(true);
    await Promise.all([drafter.close(), leader.close()]);
    return id;
  }

  /** Changes the province's seal (vanthu's agency), as time (its dates) or an admin taking it out (isActive) would. */
  async function changeSeal(change: { notBefore?: Date; notAfter?: Date; isActive?: boolean }) {
    const db = env.server().db;
    if (!db) throw new Error('the test server has no database handle');
    const clerk = await db.selectFrom('appUser').select('agencyId').where('username', '=', 'vanthu').executeTakeFirstOrThrow();
    await db.updateTable('signingCertificate').set(change).where('agencyId', '=', clerk.agencyId).where('purpose', '=', 'seal').where('isActive', '=', true).execute();
  }
  const endSealAt = (notAfter: Date) => changeSeal({ notAfter });

  async function openIssueDialog(page: Page, id: string) {
    await page.goto(`/outgoing/${id}`);
    await page.getByRole('button', { name: 'Phát hành' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('issue-preview').waitFor();
    return dialog;
  }

  test('a seal ending in 12 days: the clerk reads its date and what to do, on a phone and a desktop, and may still issue', async () => {
    const id = await signedDocument('V/v con dấu số sắp hết hạn');
    const notAfter = new Date(Date.now() + 12 * DAY);
    await endSealAt(notAfter);
    for (const [viewport, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
      const page = await signIn(env.browser(), env.server(), 'vanthu', viewport);
      const dialog = await openIssueDialog(page, id);
      expect(await dialog.getByTestId('issue-seal-expiry').innerText()).toBe(
        `Chứng thư số của cơ quan hết hạn ngày ${vnDate(notAfter)} (còn 12 ngày). Báo quản trị đơn vị gia hạn để không bị gián đoạn phát hành.`);
      expect(await dialog.getByRole('button', { name: 'Phát hành' }).isEnabled()).toBe(true);
      await screenshot(page, `dev/issue-seal-expiring-${name}`);
      await page.context().close();
    }
  }, 180_000);

  /**
   * On a phone, the clerk's issue dialog for `id` shows the red alert `testId` (role=alert) saying `text`, with
   * «Phát hành» off; `before` runs on the page first; the screenshot is saved as `shot`.
   */
  async function expectIssueStopped(id: string, { testId, text, shot, before }: { testId: string; text: string; shot: string; before?: (page: Page) => Promise<unknown> }) {
    const page = await signIn(env.browser(), env.server(), 'vanthu', PHONE);
    await before?.(page);
    const dialog = await openIssueDialog(page, id);
    const alert = dialog.getByTestId(testId);
    expect(await alert.innerText()).toContain(text);
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await dialog.getByRole('button', { name: 'Phát hành' }).isDisabled()).toBe(true);
    await screenshot(page, shot);
    await page.context().close();
  }

  test('a seal that ended 3 days ago: the dialog says issuing is not possible and why, and «Phát hành» is off', async () => {
    const id = await signedDocument('V/v con dấu số đã hết hạn');
    const notAfter = new Date(Date.now() - 3 * DAY);
    await endSealAt(notAfter);
    await expectIssueStopped(id, { testId: 'issue-seal-expiry', shot: 'dev/issue-seal-expired-phone',
      text: `Chứng thư số của cơ quan đã hết hạn ngày ${vnDate(notAfter)} nên không phát hành được văn bản` });
  }, 120_000);

  test('a seal valid only from the day after tomorrow: the dialog says from when, and «Phát hành» is off', async () => {
    const id = await signedDocument('V/v con dấu số chưa có hiệu lực');
    const notBefore = new Date(Date.now() + 2 * DAY);
    await changeSeal({ notBefore });
    await expectIssueStopped(id, { testId: 'issue-seal-not-yet-valid', shot: 'dev/issue-seal-not-yet-valid-phone',
      text: `Chứng thư số của cơ quan chỉ có hiệu lực từ ngày ${vnDate(notBefore)} nên chưa phát hành được văn bản` });
  }, 120_000);

  test('no seal on a production install (the preview answers as one does: no seal, none to be made): the dialog says so and whom to ask, and «Phát hành» is off', async () => {
    const id = await signedDocument('V/v cơ quan chưa có con dấu số');
    await changeSeal({ isActive: false });
    await expectIssueStopped(id, { testId: 'issue-seal-missing', shot: 'dev/issue-seal-missing-phone',
      text: 'Cơ quan chưa có chứng thư số (con dấu điện tử) để phát hành. Báo quản trị đơn vị đăng ký chứng thư số tại Quản trị cơ quan › Chứng thư số.',
      before: (page) => page.route(`**/api/outgoing/${id}/issue-preview`, async (route) => {
        const response = await route.fetch();
        const body = await response.json() as { data: Record<string, unknown> };
        await route.fulfill({ response, json: { ...body, data: { ...body.data, sealWillBeMade: false } } });
      }) });
  }, 120_000);

  test('no seal in demo mode: the dialog tells the clerk a demo seal will be made (of no legal value), does not stop them, and issuing makes it', async () => {
    const id = await signedDocument('V/v phát hành khi chưa có con dấu số thử nghiệm');
    await changeSeal({ isActive: false });
    const page = await signIn(env.browser(), env.server(), 'vanthu', PHONE);
    const dialog = await openIssueDialog(page, id);
    const notice = dialog.getByTestId('issue-seal-demo');
    expect(await notice.innerText()).toBe('Cơ quan chưa có chứng thư số (con dấu số). Máy chủ đang chạy ở chế độ thử nghiệm nên khi bấm «Phát hành», '
      + 'hệ thống sẽ tự tạo con dấu số thử nghiệm cho cơ quan để đóng dấu văn bản này. Con dấu thử nghiệm không có giá trị pháp lý; '
      + 'khi sử dụng chính thức, quản trị đơn vị đăng ký chứng thư số của cơ quan tại Quản trị cơ quan › Chứng thư số.');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await dialog.locator('[data-testid^="issue-seal"]').count()).toBe(1);
    // on the phone the clerk reads it and reaches «Phát hành» in the dialog
    const box = await notice.boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= PHONE.width).toBe(true);
    await screenshot(page, 'dev/issue-seal-demo-phone');
    await dialog.getByRole('button', { name: 'Phát hành' }).click();
    await page.getByText(/^Đã phát hành văn bản số/).waitFor({ timeout: 60_000 });
    await page.context().close();

    // the seal now exists: the next document's dialog says nothing about making one
    const next = await signedDocument('V/v phát hành sau khi đã có con dấu số thử nghiệm');
    const again = await signIn(env.browser(), env.server(), 'vanthu', DESKTOP);
    const nextDialog = await openIssueDialog(again, next);
    expect(await nextDialog.getByTestId('issue-seal-demo').count()).toBe(0);
    await again.context().close();
  }, 240_000);
});
