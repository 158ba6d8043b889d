import { splitPairs } from '../i18n/pairs.ts';
/** The archive protection page's strings: [Vietnamese, English] per key, spread into the catalogues. */
const M = {
  'nav.archive': ['Bảo toàn chữ ký lưu trữ', 'Archive signatures'],
  'archive.title': ['Bảo toàn chữ ký số của văn bản lưu trữ', 'Keeping archived signatures verifiable'],
  'archive.subtitle': ['Mỗi đêm hệ thống bổ sung dấu thời gian mới cho văn bản đã phát hành và văn bản đến đã đăng ký trước khi bằng chứng chữ ký hết hạn, để văn bản vẫn kiểm tra được suốt thời hạn bảo quản. Tệp gốc luôn được giữ nguyên.', 'Every night the system adds a new timestamp to issued and registered documents before their signature evidence expires, so they stay verifiable for their whole retention period. The original file is always kept.'],
  'archive.noTsa': ['Chưa cấu hình máy chủ cấp dấu thời gian (biến VANTHU_TSA_URL). Các văn bản đến hạn chưa được gia hạn; hãy báo bộ phận kỹ thuật.', 'No timestamp server is configured (VANTHU_TSA_URL). Documents that are due are not renewed; tell your technical staff.'],
  'archive.protected': ['Đã bảo vệ', 'Protected'],
  'archive.pending': ['Chờ kiểm tra', 'Waiting for a check'],
  'archive.failed': ['Lỗi, sẽ thử lại', 'Failed, will retry'],
  'archive.skipped': ['Bỏ qua (không ký hoặc chữ ký lỗi)', 'Skipped (unsigned or invalid)'],
  'archive.earliest': ['Bảo vệ đến sớm nhất: {date}', 'Earliest protection end: {date}'],
  'archive.nextPass': ['Lượt kiểm tra tiếp theo: {date}', 'Next check: {date}'],
  'archive.margin': ['Gia hạn trước khi hết hạn {days} ngày', 'Renewed {days} days before expiry'],
  'archive.runNow': ['Kiểm tra ngay', 'Check now'],
  'archive.queued': ['Đã xếp lịch kiểm tra, kết quả sẽ hiện sau ít phút.', 'A check is queued; results appear in a few minutes.'],
  'archive.upcoming': ['Sắp đến hạn gia hạn', 'Next renewals'],
  'archive.failures': ['Gia hạn không thành công', 'Failed renewals'],
  'archive.none': ['Không có', 'None'],
  'archive.document': ['Văn bản', 'Document'],
  'archive.file': ['Tệp', 'File'],
  'archive.until': ['Bảo vệ đến', 'Protected until'],
  'archive.dueFrom': ['Gia hạn từ', 'Renew from'],
  'archive.renewals': ['Số lần đã gia hạn', 'Renewals'],
  'archive.error': ['Lỗi', 'Error'],
  'archive.attempts': ['Số lần thử', 'Attempts'],
  'archive.retryAt': ['Thử lại lúc', 'Retry at'],
  'archive.outgoing': ['Văn bản đi', 'Outgoing'],
  'archive.incoming': ['Văn bản đến', 'Incoming'],
} as const satisfies Record<string, readonly [string, string]>;

export const [archiveVi, archiveEn] = splitPairs(M);
