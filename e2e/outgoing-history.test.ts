import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))("an issued document's history and recipients, on the clerk's phone", () => {
  const { server, browser } = useBrowserAndServer();

  test('the history names the number issued and, for each status a recipient sent back, which recipient and which status; a status time stays on one line', async () => {
    const subject = 'V/v theo dõi trạng thái nơi nhận';
    const id = await issuedToDepartment(browser(), server(), subject);
    // the Sở Nội vụ's clerk registers it: 03 comes back to the sender
    const snvClerk = await apiAs(browser(), server(), 'snv.vanthu');
    const clerk = await apiAs(browser(), server(), 'vanthu');
    const sent = await clerk.get<{ numberText: string; recipients: { incomingId: string | null }[] }>(`/api/outgoing/${id}`);
    const incomingId = sent.recipients[0]?.incomingId;
    expect(incomingId).toBeTruthy();
    await snvClerk.post(`/api/incoming/${incomingId}/register`, { issuerName: 'Ủy ban nhân dân tỉnh Thái Hòa', documentDate: '2026-12-01', typeCode: 'cong_van', subject });
    await Promise.all([snvClerk.close(), clerk.close()]);

    const page = await signIn(browser(), server(), 'vanthu', PHONE);
    await page.goto(`/outgoing/${id}`);
    const history = page.getByTestId('outgoing-history');
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toMatch(new RegExp(`Phát hành\\s+\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} · Nguyễn Thị Hoa \\(Văn thư, Văn phòng\\)\\s+Số: ${sent.numberText}`));
    expect(text).toContain('Sở Nội vụ tỉnh Thái Hòa: 01 · Đã đến');
    expect(text).toContain('Sở Nội vụ tỉnh Thái Hòa: 03 · Đã tiếp nhận (vào sổ)');

    // each status line of the recipient: «dd/mm/yyyy hh:mm» on one line (it broke after the date in a 90 px cell)
    const times = page.getByTestId('recipient-row').locator('td:first-child');
    expect(await times.count()).toBe(2);
    for (const cell of await times.all()) {
      expect(await cell.innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      const box = await cell.boundingBox();
      expect(box?.height ?? 99).toBeLessThan(24);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'dev/outgoing-history-recipients-phone');
    await page.context().close();
  }, 180_000);
});
