import { describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { incomingReportSheets, outgoingReportSheets, reportXlsx } from './reports.export.ts';
import type { IncomingCounts, IncomingReport, OutgoingCounts, OutgoingReport } from './reports.service.ts';

const counts = (received: number, avgDays: number | null): IncomingCounts => ({
  received, electronic: 1, paper: 0, registered: received, refused: 0, carriedOver: 2, toHandle: 3, handling: 1, done: 1,
  doneOnTime: 1, doneLate: 0, overdue: 1, notYetDue: 0, noDeadline: 0, avgDays,
});
const scope = { agencyId: 'a', agencyName: 'UBND xã Thử nghiệm', parentAgencyName: 'UBND huyện Tân Lập', unitName: undefined, userName: undefined };
const period = { from: '2026-11-01', to: '2026-12-07', asOf: '2026-12-07' };
const incoming = {
  scope, period, total: counts(12, 3),
  // a unit whose name is only digits is still a name
  byUnit: [{ id: 'u1', name: 'Phòng Kinh tế', counts: counts(12, 1.5) }, { id: 'u2', name: '2026', counts: counts(0, null) }],
  overdue: [{ id: 'd', arrivalNumber: 7, arrivalYear: 2026, label: '12/SNV-VP', subject: '135', isSecret: false, unitId: 'u1', unitName: 'Phòng Kinh tế', userId: null, userName: 'Lê Văn B', deadline: '2026-11-27', daysOverdue: 10 }],
} as unknown as IncomingReport;
const oc: OutgoingCounts = { drafted: 3, drafting: 1, inReview: 0, cancelled: 0, signed: 2, issued: 11, recalled: 0, replaced: 0 };
const outgoing = {
  scope, period, byUnit: [{ id: 'u1', name: 'Văn phòng', counts: oc }], total: oc, issuedByType: [{ name: 'Công văn', count: 4 }],
  recipients: { total: 5, pending: 1, received: 1, registered: 1, handling: 1, done: 1, refused: 0, recall: 0 },
} as unknown as OutgoingReport;

/** The data rows of each worksheet (after the cover, the headers and the column numbers), as the values Excel holds. */
async function dataRows(xlsx: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(xlsx) as never);
  return wb.worksheets.map((ws) => {
    const rows = (ws.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    return rows.slice(rows.findIndex((r) => r[0] === '(1)') + 1);
  });
}

describe('report exports in XLSX (the register export writes them, each column by its kind)', () => {
  test('the incoming report holds counts and days overdue as numbers, the average days as 1.5, names, numbers and dates of documents as text', async () => {
    const [byUnit, overdue] = await dataRows(await reportXlsx(incomingReportSheets(incoming)));
    expect(byUnit).toEqual([
      ['Phòng Kinh tế', 12, 1, 0, 12, 2, 3, 1, 0, 1, 0, 0, 1.5],
      ['2026', 0, 1, 0, 0, 2, 3, 1, 0, 1, 0, 0, ''],
      ['Tổng cộng', 12, 1, 0, 12, 2, 3, 1, 0, 1, 0, 0, 3],
    ]);
    expect(overdue).toEqual([[7, '12/SNV-VP', '135', 'Phòng Kinh tế', 'Lê Văn B', '27/11/2026', 10]]);
  });

  test('the overdue table writes a số đến below 10 with its leading 0, as the registers do: «07» printed, 7 shown as 07 in Excel', async () => {
    expect(incomingReportSheets(incoming)[1]?.rows[0]?.[0]).toBe('07');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(incomingReportSheets(incoming))) as never);
    const sheet = wb.worksheets[1];
    const cell = sheet?.getRow(sheet.rowCount).getCell(1);
    expect([cell?.value, cell?.numFmt]).toEqual([7, '00']);
  });

  test('the outgoing report holds its counts as numbers and its row labels as text', async () => {
    const [byUnit, byType] = await dataRows(await reportXlsx(outgoingReportSheets(outgoing)));
    expect(byUnit?.[1]).toEqual(['Tổng cộng', 3, 1, 0, 0, 2, 11, 0, 0]);
    expect(byType?.slice(0, 3)).toEqual([['Ban hành: Công văn', 4], ['Nơi nhận ngoài cơ quan', 5], ['— chưa nhận được phản hồi', 1]]);
  });
});
