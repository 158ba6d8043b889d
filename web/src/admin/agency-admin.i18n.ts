import { splitPairs } from '../i18n/pairs.ts';
/** The province admin's dialog that gives an agency of the tree its administrator. [Vietnamese, English] per key. */
const M = {
  'agencyAdmin.create': ['Tạo tài khoản quản trị', 'Create an administrator account'],
  'agencyAdmin.help': ['Người quản trị của {agency} đăng nhập bằng tài khoản này để lập đơn vị, người dùng, chứng thư số của cơ quan. Mật khẩu là mật khẩu tạm: họ phải đổi ở lần đăng nhập đầu.',
    "{agency}'s administrator signs in with this account to set up the agency's units, users and certificates. The password is temporary: it must be changed at the first sign-in."],
  'agencyAdmin.password': ['Mật khẩu tạm', 'Temporary password'],
  'agencyAdmin.created': ['Đã tạo tài khoản {username} cho {agency}. Gửi tên đăng nhập và mật khẩu tạm cho người quản trị của cơ quan.',
    'Account {username} created for {agency}. Give the user name and temporary password to the agency administrator.'],
} as const;

export const [agencyAdminVi, agencyAdminEn] = splitPairs(M);
