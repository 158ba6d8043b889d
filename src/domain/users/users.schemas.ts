import { z } from 'zod';
import { ROLES } from '../../policies/actor.ts';

export const ZRole = z.enum(ROLES).describe('Vai trò: clerk (văn thư), leader (lãnh đạo), unit_head (lãnh đạo đơn vị), staff (chuyên viên), archivist (lưu trữ), admin (quản trị), province_admin (quản trị cấp tỉnh)');

export const ZCreateUserBody = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,64}$/, 'Tên đăng nhập 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch').describe('Tên đăng nhập'),
  email: z.union([z.email(), z.literal('')]).optional().describe('Thư điện tử (dùng khi quên mật khẩu)'),
  fullName: z.string().trim().min(1).max(200).describe('Họ và tên'),
  position: z.string().trim().max(200).default('').describe('Chức vụ'),
  unitId: z.uuid().nullable().default(null).describe('Đơn vị'),
  roles: z.array(ZRole).min(1).max(ROLES.length).describe('Vai trò'),
  password: z.string().min(1).max(256).describe('Mật khẩu ban đầu'),
  mustChangePassword: z.boolean().default(true).describe('Bắt đổi mật khẩu khi đăng nhập lần đầu'),
}).strict();
export type TCreateUserBody = z.infer<typeof ZCreateUserBody>;
/** The first administrator of an agency, given by a province admin: the admin role, no unit, a temporary password. */
export const ZCreateAgencyAdminBody = ZCreateUserBody.pick({ username: true, email: true, fullName: true, position: true, password: true });
export type TCreateAgencyAdminBody = z.infer<typeof ZCreateAgencyAdminBody>;

export const ZUpdateUserBody = z.object({
  email: z.union([z.email(), z.literal('')]).optional(),
  fullName: z.string().trim().min(1).max(200).optional(),
  position: z.string().trim().max(200).optional(),
  unitId: z.uuid().nullable().optional(),
  roles: z.array(ZRole).min(1).max(ROLES.length).optional(),
  isActive: z.boolean().optional().describe('Cho phép đăng nhập'),
}).strict();
export type TUpdateUserBody = z.infer<typeof ZUpdateUserBody>;

export const ZAdminResetPasswordBody = z.object({
  newPassword: z.string().min(1).max(256).describe('Mật khẩu tạm thời'),
}).strict();

export const ZListUsersQuery = z.object({
  unitId: z.uuid().optional(),
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZAccessChangesQuery = z.object({
  status: z.enum(['pending', 'all']).default('pending').describe('pending: chờ xác nhận; all: mọi thay đổi gần đây'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ZConfirmAccessChangesBody = z.object({
  ids: z.array(z.uuid()).min(1).max(500).describe('Các thay đổi quyền lãnh đạo đã xem và xác nhận trong một lần («Xác nhận tất cả»)'),
}).strict();
