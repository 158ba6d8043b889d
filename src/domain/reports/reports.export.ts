import ExcelJS from 'exceljs';
import { exportRegisterXlsx, type ColumnKind, type RegisterSheet } from '../registers/register-export.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import { printTablesPdf } from './reports.pdf.ts';
import { vnDay } from '../../platform/dates.ts';
import type { IncomingCounts, IncomingReport, OutgoingCounts, OutgoingReport } from './reports.service.ts';

export const INCOMING_REPORT_TITLE = 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN';
export const OUTGOING_REPORT_TITLE = 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI';

/** A report column: a count unless told (the register export writes it as a number Excel sums). */
const col = (header: string, width = 6, kind: ColumnKind = 'count') => ({ header, width, kind });
const textCol = (header: string, width: number) => col(header, width, 'text');

const INCOMING_COLUMNS = [
  textCol('Đơn vị chủ trì', 16), col('Tiếp nhận trong kỳ'), col('Điện tử'), col('Giấy'), col('Vào sổ'), col('Kỳ trước chuyển sang'),
  col('Phải giải quyết'), col('Giải quyết đúng hạn'), col('Giải quyết quá hạn'), col('Quá hạn chưa giải quyết'), col('Chưa đến hạn'),
  col('Không có hạn'), col('Số ngày giải quyết bình quân', 6, 'decimal'),
] as const;
const incomingCells = (name: string, c: IncomingCounts) => [
  name, ...[c.received, c.electronic, c.paper, c.registered, c.carriedOver, c.toHandle, c.doneOnTime, c.doneLate, c.overdue, c.notYetDue, c.noDeadline].map(String),
  c.avgDays === null ? '' : String(c.avgDays).replace('.', ','),
];

const OVERDUE_COLUMNS = [
  col('Số đến', 5), textCol('Số, ký hiệu — nơi ban hành', 14), textCol('Trích yếu nội dung', 24), textCol('Đơn vị chủ trì', 12), textCol('Người chủ trì', 12),
  textCol('Hạn giải quyết', 7), col('Số ngày quá hạn', 6),
] as const;

const OUTGOING_COLUMNS = [
  textCol('Đơn vị soạn thảo', 16), col('Dự thảo mới'), col('Đang soạn thảo'), col('Đang trình duyệt'), col('Hủy'), col('Đã ký'),
  col('Đã ban hành'), col('Bị thu hồi'), col('Bị thay thế'),
] as const;
const outgoingCells = (name: string, c: OutgoingCounts) => [name, ...[c.drafted, c.drafting, c.inReview, c.cancelled, c.signed, c.issued, c.recalled, c.replaced].map(String)];

type Cover = Pick<RegisterSheet, 'agencyName' | 'parentAgencyName' | 'year' | 'fromDate' | 'toDate'>;
/** A table of a report, with the short name of its worksheet (a register's title cut to Excel's 31 characters reads badly on a tab). */
export type ReportSheet = RegisterSheet & { sheetName: string };

/** The cover lines of a report: the agency (and the unit or person it is about) and the period in Vietnamese dates. */
function coverOf(r: IncomingReport | OutgoingReport): Cover {
  const who = r.scope.unitName ?? r.scope.userName;
  return {
    agencyName: who ? `${r.scope.agencyName} — ${who}` : r.scope.agencyName, parentAgencyName: r.scope.parentAgencyName,
    year: Number(r.period.to.slice(0, 4)), fromDate: vnDay(r.period.from), toDate: vnDay(r.period.to),
  };
}

/** The incoming report as two printed tables: per unit in charge (with the total), then the overdue documents. */
export function incomingReportSheets(r: IncomingReport): ReportSheet[] {
  const cover = coverOf(r);
  return [
    { ...cover, sheetName: 'Theo đơn vị chủ trì', title: INCOMING_REPORT_TITLE, columns: INCOMING_COLUMNS, rows: [...r.byUnit.map((g) => incomingCells(g.name, g.counts)), incomingCells('Tổng cộng', r.total)] },
    {
      ...cover, sheetName: 'Văn bản quá hạn', title: `VĂN BẢN ĐẾN QUÁ HẠN GIẢI QUYẾT (tính đến ${vnDay(r.period.asOf)})`, columns: OVERDUE_COLUMNS,
      rows: r.overdue.map((o) => [o.arrivalNumber ? formatDocumentNumber(o.arrivalNumber) : '', o.label, o.subject, o.unitName, o.userName, vnDay(o.deadline), String(o.daysOverdue)]),
    },
  ];
}

/** The outgoing report as two printed tables: per drafting unit (with the total), then issued per type and the recipients' statuses. */
export function outgoingReportSheets(r: OutgoingReport): ReportSheet[] {
  const cover = coverOf(r);
  const p = r.recipients;
  return [
    { ...cover, sheetName: 'Theo đơn vị soạn thảo', title: OUTGOING_REPORT_TITLE, columns: OUTGOING_COLUMNS, rows: [...r.byUnit.map((g) => outgoingCells(g.name, g.counts)), outgoingCells('Tổng cộng', r.total)] },
    {
      ...cover, sheetName: 'Theo loại và nơi nhận', title: 'VĂN BẢN ĐI ĐÃ BAN HÀNH THEO LOẠI VÀ TÌNH HÌNH XỬ LÝ CỦA NƠI NHẬN', columns: [textCol('Nội dung', 30), col('Số lượng', 8)],
      rows: [
        ...r.issuedByType.map((t) => [`Ban hành: ${t.name}`, String(t.count)]),
        ...([['Nơi nhận ngoài cơ quan', p.total], ['— chưa nhận được phản hồi', p.pending], ['— đã nhận', p.received], ['— đã vào sổ', p.registered],
          ['— đang xử lý', p.handling], ['— đã hoàn thành', p.done], ['— từ chối tiếp nhận', p.refused], ['— thu hồi', p.recall]] as const).map(([k, v]) => [k, String(v)]),
      ],
    },
  ];
}

/** The sheets as one XLSX workbook (one worksheet each, named by its sheetName), built by the register export (counts as numbers, by their columns' kinds). */
export async function reportXlsx(sheets: readonly ReportSheet[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = 'vanthu';
  for (const sheet of sheets) {
    const part = new ExcelJS.Workbook();
    await part.xlsx.load(Buffer.from(await exportRegisterXlsx(sheet)) as unknown as ArrayBuffer);
    const from = part.worksheets[0];
    if (!from) continue;
    const to = book.addWorksheet(sheet.sheetName, { pageSetup: from.pageSetup, views: from.views });
    from.eachRow({ includeEmpty: true }, (row, n) => {
      const target = to.getRow(n);
      row.eachCell({ includeEmpty: true }, (cell, c) => Object.assign(target.getCell(c), { value: cell.value, style: cell.style }));
    });
    from.columns.forEach((c, i) => (to.getColumn(i + 1).width = c.width));
    for (const range of (from.model as { merges?: string[] }).merges ?? []) to.mergeCells(range);
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
