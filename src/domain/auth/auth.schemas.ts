import { z } from 'zod';

export const ZLoginBody = z.object({
  login: z.string().trim().min(1).max(254).describe('Tên đăng nhập hoặc email'),
  password: z.string().min(1).max(256).describe('Mật khẩu'),
  totp: z.string().trim().regex(/^\d{6}$/).optional().describe('Mã xác thực hai lớp (6 số), nếu đã bật'),
}).strict();
export type TLoginBody = z.infer<typeof ZLoginBody>;

export const ZChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256).describe('Mật khẩu hiện tại'),
  newPassword: z.string().min(1).max(256).describe('Mật khẩu mới'),
}).strict();

export const ZForgotPasswordBody = z.object({
  login: z.string().trim().min(1).max(254).describe('Tên đăng nhập hoặc email'),
}).strict();

export const ZResetPasswordBody = z.object({
  token: z.string().min(20).max(100).describe('Mã trong liên kết đã gửi qua email'),
  newPassword: z.string().min(1).max(256).describe('Mật khẩu mới'),
}).strict();

export const ZTotpCodeBody = z.object({ code: z.string().trim().regex(/^\d{6}$/).describe('Mã 6 số') }).strict();
export const ZPasswordBody = z.object({ password: z.string().min(1).max(256).describe('Mật khẩu hiện tại') }).strict();
