import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { makeBasePdf } from '../src/domain/signing/appearance/appearance.test-pdf.ts';
import { DESKTOP, PHONE, useBrowserAndServer } from './harness.ts';
import { apiAs, signIn, type Doc } from './outgoing.helpers.ts';

type Saved = Doc & { signerPosition: string; recipients: { kind: string; agencyCode: string | null }[] };

describe.skipIf(!needTool('chromium'))('the draft form of an outgoing document, on a phone', () => {
  const { server, browser } = useBrowserAndServer();

  test('the signer\'s position follows the signer chosen, unless the drafter typed one', async () => {
    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await page.goto('/outgoing/new');
    const signer = page.getByRole('combobox', { name: 'Người ký' });
    const position = page.getByLabel('Chức vụ người ký');
    await signer.click();
    await page.getByRole('option', { name: /Lê Thị Thu/ }).click();
    await expect.poll(() => position.inputValue()).toBe('Phó Chủ tịch');
    // Changing one's mind: the Chủ tịch signs, so the Chủ tịch's position goes on the page and in the register.
    await signer.click();
    await page.getByRole('option', { name: /Trần Văn Minh/ }).click();
    await expect.poll(() => position.inputValue()).toBe('Chủ tịch');
    await position.fill('Q. Chủ tịch');
    await signer.click();
    await page.getByRole('option', { name: /Lê Thị Thu/ }).click();
    expect(await position.inputValue()).toBe('Q. Chủ tịch');
    await page.context().close();
  }, 120_000);

  test('an agency picked from the directory list is a recipient at once; one typed and not added stops the save with a message', async () => {
    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await page.goto('/outgoing/new');
    await page.getByLabel(/^Trích yếu nội dung/).fill('V/v thử chọn nơi nhận từ danh bạ');
    await page.getByTestId('recipient-directory').fill('Sở Nội');
    await page.getByRole('option', { name: /000\.00\.01\.H99/ }).click();
    await expect.poll(() => page.getByTestId('external-recipient').allInnerTexts()).toEqual([expect.stringContaining('000.00.01.H99')]);
    expect(await page.getByTestId('recipient-directory').inputValue()).toBe('');

    await page.getByTestId('recipient-directory').fill('000.00.99.G01');
    await page.getByLabel('Tên cơ quan (nếu cần)').fill('Bộ Thử nghiệm');
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByText('Cơ quan «000.00.99.G01» chưa được thêm vào nơi nhận').waitFor();
    expect(page.url()).toContain('/outgoing/new');
    await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.waitForURL(/\/outgoing\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() ?? '';
    const saved = (await (await page.request.get(`/api/outgoing/${id}`)).json()) as { data: Saved };
    expect(saved.data.recipients.map((r) => r.agencyCode).sort()).toEqual(['000.00.01.H99', '000.00.99.G01']);
    await page.context().close();
  }, 120_000);

  test('the demo\'s «Tạo tệp mẫu» is offered on a draft without a file, not on one with the drafter\'s own file (one tap made the sample its current version)', async () => {
    const staff = await apiAs(browser(), server(), 'chuyenvien');
    const empty = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v dự thảo chưa có tệp' });
    const own = await staff.post<{ id: string }>('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v dự thảo có tệp của người soạn' });
    await staff.upload(`/api/outgoing/${own.id}/files`, { main: { name: 'cong-van.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await makeBasePdf([{ text: 'Số:      /UBND-TH', x: 72, y: 765 }])) } });
    await staff.close();

    const page = await signIn(browser(), server(), 'chuyenvien', PHONE);
    await page.goto(`/outgoing/${empty.id}`);
    await page.getByTestId('no-file').waitFor();
    expect(await page.getByRole('button', { name: 'Tạo tệp mẫu' }).count()).toBe(1);
    await page.goto(`/outgoing/${own.id}`);
    await page.getByRole('link', { name: 'Sửa dự thảo' }).waitFor();
    await page.getByTestId('outgoing-actions').getByRole('button', { name: 'Trình duyệt' }).waitFor();
    expect(await page.getByRole('button', { name: 'Tạo tệp mẫu' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  test('the recipient agency field shows its whole hint «Gõ tên hoặc mã định danh cơ quan» on a desktop and on a phone (220 px cut it at «c…»)', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await signIn(browser(), server(), 'chuyenvien', viewport);
      await page.goto('/outgoing/new');
      const field = page.getByTestId('recipient-directory');
      expect(await field.getAttribute('placeholder')).toBe('Gõ tên hoặc mã định danh cơ quan');
      // the hint's width in the field's own font, against the room inside its padding
      const { text, room } = await field.evaluate((input: HTMLInputElement) => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        if (!context) throw new Error('no canvas');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return { text: context.measureText(input.placeholder).width, room: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
      });
      expect(text, `${viewport.width} px`).toBeLessThanOrEqual(room);
      await page.context().close();
    }
  }, 120_000);

  test('/outgoing typed in the address bar (or an old bookmark) opens the list of the user\'s daily work — a leader\'s «Chờ tôi ký», a unit head\'s «Chờ tôi duyệt» — not «Không tìm thấy trang»', async () => {
    const cases: [login: string, list: string, title: string][] = [
      ['chuyenvien', '/outgoing/drafts', 'Dự thảo của tôi'], ['vanthu', '/outgoing/to-issue', 'Chờ phát hành'], ['luutru', '/outgoing/register', ''],
      ['lanhdao', '/outgoing/signature', 'Chờ tôi ký'], ['truongphong', '/outgoing/review', 'Chờ tôi duyệt'],
    ];
    for (const [login, list, title] of cases) {
      const page = await signIn(browser(), server(), login, PHONE);
      await page.goto('/outgoing');
      await page.waitForURL(`**${list}`);
      if (title) await expect.poll(() => page.getByRole('heading', { level: 2 }).first().innerText()).toBe(title);
      expect(await page.getByText('Không tìm thấy trang').count(), login).toBe(0);
      await page.context().close();
    }
  });
});
