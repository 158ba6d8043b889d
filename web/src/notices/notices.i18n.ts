import { splitPairs } from '../i18n/pairs.ts';
/** The header's «Thông báo» bell: [Vietnamese, English] per key. The shell's catalogues spread `noticesVi` / `noticesEn`. */
const M = {
  'notices.title': ['Thông báo', 'Notifications'],
  'notices.bell': ['Thông báo, {n} chưa đọc', 'Notifications, {n} unread'],
  'notices.markAllRead': ['Đánh dấu tất cả đã đọc', 'Mark all as read'],
  'notices.empty': ['Không có thông báo mới', 'No new notifications'],
  'notices.unread': ['Chưa đọc', 'Unread'],
  'notices.error': ['Không tải được thông báo. Kiểm tra mạng rồi thử lại.', 'Could not load the notifications. Check the network and try again.'],
} as const satisfies Record<string, readonly [string, string]>;

export const [noticesVi, noticesEn] = splitPairs(M);
