import { z } from 'zod';

export const ZEndpointBody = z.object({
  endpoint: z.url().max(500).describe('Địa chỉ trục liên thông, ví dụ https://truc.tinh.gov.vn/vxp'),
  systemId: z.string().trim().min(1).max(100).describe('Mã hệ thống trên trục (thường là mã định danh cơ quan)'),
  secret: z.string().min(8).max(200).describe('Khóa bí mật do trục cấp'),
  isEnabled: z.boolean().default(true).describe('Bật gửi/nhận'),
}).strict();
export type TEndpointBody = z.infer<typeof ZEndpointBody>;

export const ZOutboxQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional().describe('Trạng thái gói tin'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Số dòng'),
  offset: z.coerce.number().int().min(0).default(0).describe('Bỏ qua'),
}).strict();

export const ZUpdateBody = z.object({
  reason: z.string().trim().min(1).max(500).describe('Lý do cập nhật'),
  subject: z.string().trim().min(1).max(500).optional().describe('Trích yếu mới'),
  dueDate: z.iso.date().nullable().optional().describe('Hạn xử lý mới'),
}).strict();

export const ZDirectoryQuery = z.object({ search: z.string().trim().max(100).optional().describe('Tìm theo tên hoặc mã') }).strict();
export const ZRefusedParam = z.object({ id: z.coerce.number().int().positive().describe('Số thứ tự gói tin bị từ chối') }).strict();
