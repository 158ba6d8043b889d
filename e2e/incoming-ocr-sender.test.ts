import { describe, expect, test } from 'vitest';
import { needTool } from '../src/test/tools.ts';
import { DEMO_PASSWORD, DESKTOP, openPage, submitLogin, useBrowserAndServer } from './harness.ts';

// The register form of a scan whose header OCR read in capitals with its slips: the sender comes as the
// directory names it, with its code, and the form says so. The OCR'd text is written in as the OCR job would
// (incoming.ocr-scan.test.ts OCRs real scans; here the form is what is tested).
describe.skipIf(!needTool('chromium'))('the sender of a scan in the register form', () => {
  const { server, browser } = useBrowserAndServer();

  test('«SỞNỘI VỤ» under «UBND TỈNH HÀ TĨNH» is filled as the directory\'s «Sở Nội vụ tỉnh Hà Tĩnh» with its code, and the form says it was matched', async () => {
    const db = server().db;
    if (!db) throw new Error('no database');
    await db.insertInto('exchangeDirectoryAgency').values([
      { code: '000.00.00.H23', name: 'Ủy ban nhân dân tỉnh Hà Tĩnh', parentCode: null },
      { code: '000.00.05.H23', name: 'Sở Nội vụ tỉnh Hà Tĩnh', parentCode: '000.00.00.H23' },
      { code: '000.00.05.H40', name: 'Sở Nội vụ tỉnh Nghệ An', parentCode: null },
    ]).execute();
    const clerk = await db.selectFrom('appUser').select(['id', 'agencyId']).where('username', '=', 'vanthu').executeTakeFirstOrThrow();
    const ocrText = 'ˆUBND TỈNH HÀ TĨNH __..\nl _SỞNỘI VỤ, ¬\n-S6: 45/QB- SNV.\n- CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆTNAM\nĐộc lập - Tự dọ - Hạnh phúc .\n'
      + 'Hà Tĩnh, ngày 12 tháng 11 năm 2026\nQUYẾT ĐỊNH\nVề việc cử công chức tham gia lớp bồi dưỡng\n';
    const { id } = await db.insertInto('incomingDocument').values({ agencyId: clerk.agencyId, source: 'paper', status: 'received', ocrText, ocrStatus: 'done', createdBy: clerk.id })
      .returning('id').executeTakeFirstOrThrow();

    const { page, context } = await openPage(browser(), server(), DESKTOP);
    await submitLogin(page, 'vanthu', DEMO_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`/incoming/${id}`);
    const matched = page.getByTestId('register-sender-matched');
    await matched.waitFor();
    expect(await matched.textContent()).toBe('Khớp với danh bạ: Sở Nội vụ tỉnh Hà Tĩnh — 000.00.05.H23 (bản quét in «SỞ NỘI VỤ»). Sửa ô Nơi gửi nếu không đúng.');
    expect(await page.getByLabel(/^Nơi gửi/).first().inputValue()).toBe('Sở Nội vụ tỉnh Hà Tĩnh');
    expect(await page.getByLabel(/^Mã định danh nơi gửi/).inputValue()).toBe('000.00.05.H23');

    // the clerk changes the sender: it is theirs, and the note goes
    await page.getByLabel(/^Nơi gửi/).first().fill('Sở Nội vụ tỉnh Hà Tĩnh (Phòng Công chức)');
    await matched.waitFor({ state: 'detached' });
    await context.close();
  });
});
