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

  /** Moves the end of the province's seal (vanthu's agency), as time would bring it near. */
  async function endSealAt(notAfter: Date) {
    const db = env.server().db;
    if (!db) throw new Error('the test server has no database handle');
    const clerk = await db.selectFrom('appUser').select('agencyId').where('username', '=', 'vanthu').executeTakeFirstOrThrow();
    await db.updateTable('signingCertificate').set({ notAfter }).where('agencyId', '=', clerk.agencyId).where('purpose', '=', 'seal').where('isActive', '=', true).execute();
  }

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

  test('a seal that ended 3 days ago: the dialog says issuing is not possible and why, and «Phát hành» is off', async () => {
    const id = await signedDocument('V/v con dấu số đã hết hạn');
    const notAfter = new Date(Date.now() - 3 * DAY);
    await endSealAt(notAfter);
    const page = await signIn(env.browser(), env.server(), 'vanthu', PHONE);
    const dialog = await openIssueDialog(page, id);
    const alert = dialog.getByTestId('issue-seal-expiry');
    expect(await alert.innerText()).toContain(`Chứng thư số của cơ quan đã hết hạn ngày ${vnDate(notAfter)} nên không phát hành được văn bản`);
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await dialog.getByRole('button', { name: 'Phát hành' }).isDisabled()).toBe(true);
    await screenshot(page, 'dev/issue-seal-expired-phone');
    await page.context().close();
  }, 120_000);
});
