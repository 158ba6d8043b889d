import { splitPairs } from '../i18n/pairs.ts';
/** The agency admin's «Sổ văn bản» page: the register books, their series and document types. [Vietnamese, English] per key. */
const M = {
  'nav.registers': ['Sổ văn bản', 'Registers'],
  'registers.title': ['Sổ văn bản', 'Registers'],
  'registers.subtitle': ['Các sổ đăng ký văn bản đi, văn bản đến và bản sao của cơ quan (Nghị định 30/2020, Điều 15, 22). Mỗi sổ đánh số từ 01 mỗi năm; văn bản Mật có sổ riêng. Có thể lập sổ riêng cho một số loại văn bản, ví dụ Quyết định.',
    "The agency's registers of outgoing and incoming documents and copies (Decree 30/2020, Art. 15, 22). Each numbers from 01 every year; Secret documents have their own. A register may be kept for some document types, e.g. decisions."],
  'registers.create': ['Thêm sổ', 'Add a register'],
  'registers.edit': ['Sửa sổ', 'Edit the register'],
  'registers.kind': ['Loại sổ', 'Kind'],
  'registers.kind.outgoing': ['Sổ văn bản đi', 'Outgoing'],
  'registers.kind.incoming': ['Sổ văn bản đến', 'Incoming'],
  'registers.kind.copy': ['Sổ bản sao', 'Copies'],
  'registers.name': ['Tên sổ', 'Name'],
  'registers.secret': ['Sổ riêng cho văn bản Mật', 'A separate register for Secret documents'],
  'registers.types': ['Loại văn bản vào sổ này', 'Document types numbered in it'],
  'registers.types.help': ['Để trống: mọi loại văn bản không có sổ riêng.', 'Empty: every type without a register of its own.'],
  'registers.types.all': ['Mọi loại văn bản', 'Every document type'],
  'registers.active': ['Đang dùng', 'In use'],
  'registers.inactive': ['Ngừng dùng', 'Not in use'],
  'registers.isActive': ['Đang dùng (bỏ chọn để ngừng đánh số vào sổ này)', 'In use (clear to stop numbering in it)'],
  'registers.secretBadge': ['Mật', 'Secret'],
  'registers.last': ['Số cuối năm {year}: {number}', 'Last number of {year}: {number}'],
  'registers.last.none': ['Chưa có văn bản năm {year}', 'Nothing numbered in {year}'],
  'registers.saved': ['Đã lưu sổ văn bản.', 'Register saved.'],
} as const;

export const [registersAdminVi, registersAdminEn] = splitPairs(M);
