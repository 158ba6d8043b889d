import { splitPairs } from '../i18n/pairs.ts';
/**
 * Changes of users' access waiting for a leader's confirmation (ND 30 Phụ lục VI III.3.c): the home page's
 * warning and its page. [Vietnamese, English] per key; the shell's catalogues spread them.
 */
const M = {
  'accessChanges.title': ['Thay đổi quyền truy cập', 'Changes of access'],
  'accessChanges.subtitle': ['Vai trò, đơn vị, tài khoản mới hoặc bị khóa — cảnh báo cho đến khi lãnh đạo xác nhận (Nghị định 30/2020/NĐ-CP, Phụ lục VI, mục III.3.c).',
    'Roles, units, new or locked accounts — flagged until a leader confirms them (Decree 30/2020, Appendix VI, III.3.c).'],
  'accessChanges.tile': ['Thay đổi quyền chờ xác nhận', 'Access changes to confirm'],
  'accessChanges.section': ['Quyền truy cập', 'Access'],
  'accessChanges.tab.pending': ['Chờ xác nhận', 'To confirm'],
  'accessChanges.tab.all': ['Gần đây', 'Recent'],
  'accessChanges.empty.pending': ['Không có thay đổi quyền nào chờ xác nhận.', 'No change of access waits for confirmation.'],
  'accessChanges.empty.all': ['Chưa có thay đổi quyền nào.', 'No change of access yet.'],
  'accessChanges.new': ['Tài khoản mới', 'New account'],
  'accessChanges.before': ['Trước', 'Before'],
  'accessChanges.after': ['Sau', 'After'],
  'accessChanges.roles': ['Vai trò', 'Roles'],
  'accessChanges.unit': ['Đơn vị', 'Unit'],
  'accessChanges.noUnit': ['(không thuộc đơn vị)', '(no unit)'],
  'accessChanges.active': ['Được đăng nhập', 'May sign in'],
  'accessChanges.locked': ['Bị khóa', 'Locked'],
  'accessChanges.by': ['{name} thay đổi lúc {at}', 'Changed by {name} at {at}'],
  'accessChanges.bySystem': ['Thay đổi từ dòng lệnh quản trị lúc {at}', 'Changed from the admin command line at {at}'],
  'accessChanges.confirmedBy': ['{name} đã xác nhận lúc {at}', 'Confirmed by {name} at {at}'],
  'accessChanges.confirm': ['Xác nhận', 'Confirm'],
  'accessChanges.isConfirmed': ['Đã xác nhận', 'Confirmed'],
  'accessChanges.confirmed': ['Đã xác nhận thay đổi quyền của {name}.', 'Confirmed the change of access of {name}.'],
  'accessChanges.confirmAll': ['Xác nhận tất cả ({count})', 'Confirm all ({count})'],
  'accessChanges.confirmAll.title': ['Xác nhận {count} thay đổi quyền truy cập', 'Confirm {count} changes of access'],
  'accessChanges.confirmAll.help': ['Bạn xác nhận cả {count} thay đổi quyền dưới đây trong một lần. Mỗi xác nhận được ghi vào nhật ký hệ thống đứng tên bạn.',
    'You confirm all {count} changes of access below at once. Each confirmation is logged in your name.'],
  'accessChanges.confirmAll.done': ['Đã xác nhận {count} thay đổi quyền.', 'Confirmed {count} changes of access.'],
  'accessChanges.confirmAll.skipped': ['Thay đổi của {names} đã được lãnh đạo khác xác nhận trước nên được bỏ qua.', 'The change of {names} had already been confirmed by another leader and was skipped.'],
  'accessChanges.notYours': ['Người thay đổi (hoặc chính người được đổi quyền) không tự xác nhận; một lãnh đạo khác xác nhận.', 'Whoever made the change (or whose access changed) cannot confirm it; another leader does.'],
  'accessChanges.adminNote': ['Quản trị viên xem được; chỉ lãnh đạo cơ quan xác nhận.', 'Administrators see these; only the agency\'s leaders confirm them.'],
  'auditEvent.USER_ACCESS_CHANGE_CONFIRMED': ['Xác nhận thay đổi quyền truy cập', 'Change of access confirmed'],
} as const satisfies Record<string, readonly [string, string]>;

export const [accessChangesVi, accessChangesEn] = splitPairs(M);
