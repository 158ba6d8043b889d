import { z } from 'zod';

/** The report period quick picks (Vietnam calendar): this month, this quarter, this year, or a date range. */
export const REPORT_PERIODS = ['month', 'quarter', 'year', 'range'] as const;

export const ZReportQuery = z.object({
  period: z.enum(REPORT_PERIODS).default('month').describe('Kỳ báo cáo: tháng này, quý này, năm nay hoặc khoảng ngày'),
  from: z.iso.date().optional().describe('Từ ngày (YYYY-MM-DD), với period=range'),
  to: z.iso.date().optional().describe('Đến ngày (YYYY-MM-DD), với period=range'),
  unitId: z.uuid().optional().describe('Chỉ một đơn vị chủ trì'),
  userId: z.uuid().optional().describe('Chỉ một người chủ trì'),
}).strict();
export type TReportQuery = z.infer<typeof ZReportQuery>;

export const ZReportExportQuery = ZReportQuery.extend({
  format: z.enum(['xlsx', 'pdf']).describe('Định dạng tệp tải về'),
}).strict();
export type TReportExportQuery = z.infer<typeof ZReportExportQuery>;

export const ZChaseBody = z.object({
  incomingId: z.uuid().describe('Văn bản đến quá hạn'),
  note: z.string().trim().max(500).default('').describe('Lời nhắc thêm'),
}).strict();
export type TChaseBody = z.infer<typeof ZChaseBody>;
