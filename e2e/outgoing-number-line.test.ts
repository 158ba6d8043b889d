import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { makeBasePdf } from '../src/domain/signing/appearance/appearance.test-pdf.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, documentAwaitingSignature, PIN, signIn } from './outgoing.helpers.ts';

describe.skipIf(!needTool('chromium'))('a draft whose «Số:» line prints another ký hiệu, on a phone', () => {
  const { server, browser } = useBrowserAndServer();

  test('the signer, then the clerk before issuing, read in plain words that issuing replaces the whole line with the right number', async () => {
    // chuyenvien is in the Phòng Tổng hợp: the province issues its công văn as …/UBND-TH, the draft prints /UBND-VP
    const pdf = await makeBasePdf([
      { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', x: 300, y: 780 },
      { text: 'Độc lập - Tự do - Hạnh phúc', x: 330, y: 765 },
      { text: 'Số:      /UBND-VP', x: 72, y: 765 },
      { text: 'Kính gửi: Bộ Thử nghiệm.', x: 200, y: 700 },
    ]);
    const [drafter, leader] = await Promise.all([apiAs(browser(), server(), 'chuyenvien'), apiAs(browser(), server(), 'lanhdao')]);
    const id = await documentAwaitingSignature(drafter, leader.userId, 'V/v thử dòng số in ký hiệu khác', pdf);

    const page = await signIn(browser(), server(), 'lanhdao', PHONE);
    await page.goto(`/outgoing/${id}`);
    const warning = page.getByTestId('number-line-printed');
    await warning.waitFor();
    expect(await warning.innerText()).toBe('Dự thảo in ký hiệu «/UBND-VP» ở dòng «Số:», còn văn bản sẽ được phát hành với ký hiệu «UBND-TH»: '
      + 'khi phát hành, hệ thống thay cả dòng này bằng số và ký hiệu đúng.');
    await page.context().close();

    expect((await leader.post<{ ok: boolean }[]>('/api/outgoing/sign', { ids: [id], pin: PIN }))[0]?.ok).toBe(true);
    await Promise.all([drafter.close(), leader.close()]);
    const clerk = await signIn(browser(), server(), 'vanthu', PHONE);
    await clerk.goto(`/outgoing/${id}`);
    await clerk.getByRole('button', { name: 'Phát hành' }).click();
    const dialog = clerk.getByRole('dialog');
    const printed = dialog.getByTestId('issue-printed');
    await printed.waitFor();
    expect(await printed.innerText()).toMatch(/^Dự thảo in ký hiệu «\/UBND-VP» ở dòng «Số:»; khi phát hành, hệ thống thay cả dòng này bằng «Số: \d{2}\/UBND-TH»\.$/);
    await screenshot(clerk, 'dev/issue-printed-notation-phone');
    await clerk.context().close();
  }, 180_000);
});
