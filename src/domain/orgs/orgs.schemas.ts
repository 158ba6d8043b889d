import { z } from 'zod';

export const AGENCY_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
export const AGENCY_LEVELS = ['central', 'province', 'department', 'district', 'commune', 'other'] as const;

export const ZAgencyCode = z.string().trim().regex(AGENCY_CODE_RE, 'Mã định danh phải có dạng 000.00.00.H99 (QCVN 102:2016)').describe('Mã định danh cơ quan (QCVN 102:2016)');

export const ZCreateAgencyBody = z.object({
  parentId: z.uuid().describe('Cơ quan cấp trên'),
  code: ZAgencyCode,
  name: z.string().trim().min(2).max(300).describe('Tên cơ quan'),
  shortName: z.string().trim().min(1).max(30).describe('Chữ viết tắt tên cơ quan (dùng trong ký hiệu văn bản, ví dụ UBND)'),
  level: z.enum(AGENCY_LEVELS).describe('Cấp'),
  governingName: z.string().trim().max(300).nullable().optional()
    .describe('Tên cơ quan, tổ chức chủ quản trực tiếp in trên văn bản (NĐ 30, Phụ lục I); để trống nếu không có. Khi tạo mới mà không gửi: tên cơ quan cấp trên, trừ Ủy ban nhân dân, Hội đồng nhân dân'),
  placeName: z.string().trim().max(100).default('').describe('Địa danh ghi trên văn bản'),
  address: z.string().trim().max(300).default('').describe('Địa chỉ'),
  phone: z.string().trim().max(50).default('').describe('Điện thoại'),
  email: z.union([z.email(), z.literal('')]).default('').describe('Thư điện tử'),
  website: z.string().trim().max(200).default('').describe('Trang thông tin điện tử'),
}).strict();
export type TCreateAgencyBody = Omit<z.infer<typeof ZCreateAgencyBody>, 'parentId'> & { parentId: string | null };

export const ZUpdateAgencyBody = ZCreateAgencyBody.omit({ parentId: true, code: true, level: true }).partial().strict();

export const ZUnitBody = z.object({
  name: z.string().trim().min(1).max(300).describe('Tên đơn vị'),
  shortName: z.string().trim().max(30).default('').describe('Chữ viết tắt (ví dụ VP)'),
  parentId: z.uuid().nullable().default(null).describe('Đơn vị cấp trên trong cơ quan'),
  sortOrder: z.number().int().min(0).max(10_000).default(0).describe('Thứ tự hiển thị'),
}).strict();
export type TUnitBody = z.infer<typeof ZUnitBody>;
export const ZUpdateUnitBody = ZUnitBody.partial().strict();

export const ZIdParam = z.object({ id: z.uuid().describe('Mã') });
