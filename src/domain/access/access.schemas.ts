import { z } from 'zod';
import { ACCESS_ENTITY_TYPES } from './access.repository.ts';

export const ZAccessEntityParam = z.object({
  entityType: z.enum(ACCESS_ENTITY_TYPES).describe('Loại: văn bản đến, văn bản đi hoặc hồ sơ công việc'),
  id: z.uuid().describe('Mã văn bản / hồ sơ'),
});
export const ZAccessStatsQuery = z.object({
  from: z.iso.date().optional().describe('Từ ngày (YYYY-MM-DD); không có cả hai: tháng này'),
  to: z.iso.date().optional().describe('Đến ngày (YYYY-MM-DD)'),
});
export type TAccessStatsQuery = z.infer<typeof ZAccessStatsQuery>;
