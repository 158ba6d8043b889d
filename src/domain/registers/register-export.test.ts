import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { needTool } from '../../test/tools.ts';
import { pdfFonts } from '../documents/pdf-fonts.testing.ts';
import { excelCell, exportRegisterPdf, exportRegisterXlsx, INCOMING_REGISTER_COLUMNS, OUTGOING_REGISTER_COLUMNS, type RegisterSheet } from './register-export.ts';

const rows = Array.from({ length: 60 }, (_, i) => [
  `${String(i + 1).padStart(2, '0')}/QĐ-UBND`, '05/03/2026', `Quyết định về việc phê duyệt kế hoạch cải cách hành chính năm 2026 của tỉnh, lần ${i + 1}`,
  'Trần Văn Minh', 'Sở Nội vụ; UBND xã Tân Lập; Lưu: VT, TH', 'Văn phòng', '3', '05/03/2026', '', '',
]);
const sheet: RegisterSheet = { title: 'SỔ ĐĂNG KÝ VĂN BẢN ĐI', parentAgencyName: 'Ủy ban nhân dân tỉnh Thái Hòa', agencyName: 'Văn phòng UBND tỉnh', year: 2026, fromNumber: '01', toNumber: '60', columns: OUTGOING_REGISTER_COLUMNS, rows };

describe('register exports', () => {
  test('the XLSX has the ten Phụ lục IV columns, numbered, and every row', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await exportRegisterXlsx(sheet)) as never);
    const ws = wb.worksheets[0];
    const values: string[][] = [];
    ws?.eachRow((row) => values.push((row.values as unknown[]).slice(1).map(String)));
    const headerIndex = values.findIndex((r) => r[0] === 'Số, ký hiệu văn bản');
    expect(values[headerIndex]).toEqual(OUTGOING_REGISTER_COLUMNS.map((c) => c.header));
    expect(values[headerIndex + 1]?.[9]).toBe('(10)');
    expect(values.filter((r) => /\/QĐ-UBND$/.test(r[0] ?? ''))).toHaveLength(60);
  });

  test('in the XLSX a count is a number (số lượng bản 3; số đến 05 shown as 05), a number of years is one shown with "năm"; other texts stay text', async () => {
    expect(excelCell('05', 'count')).toEqual({ value: 5, numFmt: '00' });
    expect(excelCell('12', 'count')).toEqual({ value: 12 });
    expect(excelCell('20 năm', 'years')).toEqual({ value: 20, numFmt: '0 "năm"' });
    expect([excelCell('1,5', 'decimal'), excelCell('3', 'decimal'), excelCell('1,5', 'count')]).toEqual([{ value: 1.5 }, { value: 3 }, { value: '1,5' }]);
    for (const [text, kind] of [['Vĩnh viễn', 'years'], ['1–3', 'count'], ['', 'count'], ['12', 'text'], ['07/UBND-TH', 'count']] as const) expect(excelCell(text, kind)).toEqual({ value: text });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await exportRegisterXlsx(sheet)) as never);
    const first = wb.worksheets[0]?.getRow(wb.worksheets[0].rowCount);
    expect([first?.getCell(1).value, first?.getCell(7).value]).toEqual(['60/QĐ-UBND', 3]);
    const incoming: RegisterSheet = { ...sheet, title: 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', columns: INCOMING_REGISTER_COLUMNS, rows: [['05/03/2026', '05', 'Sở Nội vụ', '12/SNV-VP', '04/03/2026', 'Công văn', 'Văn phòng', '', '', '']] };
    await wb.xlsx.load(Buffer.from(await exportRegisterXlsx(incoming)) as never);
    const cell = wb.worksheets[0]?.getRow(wb.worksheets[0].rowCount).getCell(2);
    expect([cell?.value, cell?.numFmt]).toEqual([5, '00']);
  });

  test.skipIf(!needTool('pdftotext'))('the PDF prints the cover, the Vietnamese headers and rows, over several numbered pages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-reg-'));
    const file = path.join(dir, 'so-di.pdf');
    await writeFile(file, await exportRegisterPdf(sheet));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(text).toContain('Năm: 2026');
    expect(text).toContain('Đơn vị, người');
    expect(text).toContain('nhận bản lưu');
    expect(text).toContain('60/QĐ-UBND');
    expect(text).toMatch(/Trang 1\/\d+/);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())?.[1]);
    expect(pages).toBeGreaterThan(2);
  });

  test.skipIf(!needTool('pdffonts'))('a short register\'s PDF carries only the glyphs it draws: Liberation Serif subsets with /ToUnicode, under 60 KiB (whole fonts: ~450 KiB)', async () => {
    const pdf = await exportRegisterPdf({ ...sheet, rows: rows.slice(0, 5) });
    expect(pdfFonts(pdf)).toEqual([
      { name: expect.stringMatching(/^[A-Z]{6}\+LiberationSerif$/), isEmbedded: true, isSubset: true, hasToUnicode: true },
      { name: expect.stringMatching(/^[A-Z]{6}\+LiberationSerif-Bold$/), isEmbedded: true, isSubset: true, hasToUnicode: true },
    ]);
    expect(pdf.length).toBeLessThan(60 * 1024);
  });
});
