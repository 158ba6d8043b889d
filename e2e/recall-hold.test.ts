import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { PHONE, screenshot, useBrowserAndServer } from './harness.ts';
import { apiAs, issuedToDepartment, signIn as signInAs } from './outgoing.helpers.ts';

const SUBJECT = 'V/v kế hoạch tập huấn văn thư năm 2027';

describe.skipIf(!needTool('chromium'))('a document whose sender asks to recall it, on the recipient clerk\'s page', () => {
  const { server, browser } = useBrowserAndServer();
  const signIn = (login: string, viewport?: { width: number; height: number }) => signInAs(browser(), server(), login, viewport);

  test('offers no "Vào sổ" until the recall is answered, says why in plain words, and offers it again once the recall is refused', async () => {
    const outgoingId = await issuedToDepartment(browser(), server(), SUBJECT);
    const sender = await apiAs(browser(), server(), 'vanthu');
    await sender.post(`/api/outgoing/${outgoingId}/recall`, { reason: 'Sai thời gian tập huấn' });
    await sender.close();
    const snvApi = await apiAs(browser(), server(), 'snv.vanthu');
    const requests = await snvApi.get<{ incomingId: string; document: { subject: string } }[]>('/api/incoming/requests?status=pending');
    const incomingId = requests.find((r) => r.document.subject === SUBJECT)?.incomingId;
    await snvApi.close();
    expect(incomingId).toBeDefined();

    const phone = await signIn('snv.vanthu', PHONE);
    await phone.goto(`/incoming/${incomingId}`);
    const held = phone.getByTestId('held-by-recall');
    await held.waitFor();
    expect(await held.innerText()).toContain('Hãy trả lời đề nghị thu hồi ở đầu trang trước');
    expect(await phone.getByRole('heading', { name: 'Vào sổ văn bản đến' }).count()).toBe(0);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await held.scrollIntoViewIfNeeded();
    await screenshot(phone, 'dev/recall-hold-phone');

    const clerk = await signIn('snv.vanthu');
    await clerk.goto(`/incoming/${incomingId}`);
    await clerk.getByTestId('held-by-recall').waitFor();
    await screenshot(clerk, 'dev/recall-hold-desktop');
    const banner = clerk.getByTestId('pending-request');
    await banner.getByLabel('Ghi chú gửi cơ quan gửi').fill('Sở đã lên lịch, đề nghị giữ nguyên');
    await banner.getByRole('button', { name: 'Từ chối' }).click();
    await clerk.getByTestId('answered-request').waitFor();
    await clerk.getByRole('heading', { name: 'Vào sổ văn bản đến' }).waitFor();
    expect(await clerk.getByTestId('held-by-recall').count()).toBe(0);
    await screenshot(clerk, 'dev/recall-hold-refused-desktop');
  });
});
