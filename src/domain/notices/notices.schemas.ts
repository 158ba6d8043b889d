import { z } from 'zod';

/** How many notices the bell's panel shows. */
export const NOTICES_SHOWN = 30;

/** GET /api/notices: how many of the newest notices to answer. */
export const ZListNoticesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(NOTICES_SHOWN).describe('Số thông báo mới nhất (1–100, mặc định 30)'),
}).strict();
export type TListNoticesQuery = z.infer<typeof ZListNoticesQuery>;

/** POST /api/notices/read: some notices by id, or all of the user's. */
export const ZMarkNoticesReadBody = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(500).describe('Mã các thông báo của tôi cần đánh dấu đã đọc') }).strict(),
  z.object({ all: z.literal(true).describe('Đánh dấu tất cả thông báo của tôi đã đọc') }).strict(),
]);
export type TMarkNoticesReadBody = z.infer<typeof ZMarkNoticesReadBody>;
