import type { ColumnKind } from '../registers/register-export.ts';
import type { ReportSheet } from './reports.export.ts';
import type { RecordsCounts, RecordsReport } from './reports-records.service.ts';

export const RECORDS_REPORT_TITLE = 'THỐNG KÊ HỒ SƠ';

const col = (header: string, width = 6, kind: ColumnKind = 'count') => ({ header, width, kind });
const RECORDS_COLUMNS = [
  col('Đơn vị, người lập hồ sơ', 20, 'text'), col('Số hồ sơ'), col('Đang mở'), col('Đã kết thúc'), col('Đã nộp lưu'), col('Đến hạn, quá hạn nộp lưu'),
  col('Trong đó quá hạn'), col('Vĩnh viễn'), col('Có thời hạn'), col('Ngoài danh mục'), col('Số văn bản'), col('Số trang'),
] as const;
const cells = (name: string, c: RecordsCounts) => [
  name, ...[c.files, c.open, c.closed, c.handedOver, c.handOverDue, c.handOverOverdue, c.permanent, c.limited, c.adHoc, c.documents, c.pages].map(String),
];

/** The records report as one printed table: each unit, its people (người lập hồ sơ) under it, then the total. */
export function recordsReportSheets(r: RecordsReport): ReportSheet[] {
  const who = r.scope.unitName;
  return [{
    agencyName: who ? `${r.scope.agencyName} — ${who}` : r.scope.agencyName, parentAgencyName: r.scope.parentAgencyName, year: r.year,
    sheetName: `Hồ sơ năm ${r.year}`, title: `${RECORDS_REPORT_TITLE} NĂM ${r.year}`, columns: RECORDS_COLUMNS,
    rows: [...r.byUnit.flatMap((u) => [cells(u.name, u.counts), ...u.people.map((p) => cells(`   — ${p.name}`, p.counts))]), cells('Tổng cộng', r.total)],
  }];
}
