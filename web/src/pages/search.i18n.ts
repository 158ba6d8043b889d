/** The search page's and the header's search strings: [Vietnamese, English] per key. The shell's catalogues spread `searchVi` / `searchEn`. */
const M = {
  'search.title': ['Tìm kiếm', 'Search'],
  'search.subtitle': ['Tìm văn bản đến, văn bản đi và hồ sơ công việc bạn được xem', 'Find the incoming and outgoing documents and work files you may see'],
  'search.placeholder': ['Trích yếu, số/ký hiệu, nơi gửi, tiêu đề hồ sơ…', 'Subject, number, sender, file title…'],
  'search.hint': ['Gõ ít nhất 2 ký tự, ví dụ một từ trong trích yếu, số ký hiệu hoặc tên cơ quan gửi, hoặc chọn điều kiện trong «Tìm nâng cao».', 'Type at least 2 characters: a word of the subject, the number or the sender, or choose fields in «Advanced search».'],
  'search.incoming': ['Văn bản đến', 'Incoming documents'],
  'search.outgoing': ['Văn bản đi', 'Outgoing documents'],
  'search.records': ['Hồ sơ công việc', 'Work files'],
  'search.none': ['Không tìm thấy.', 'Nothing found.'],
  'search.arrival': ['Số đến {n}', 'Arrival no. {n}'],
  'search.open': ['Tìm kiếm', 'Search'],
  'search.header': ['Tìm văn bản, hồ sơ…', 'Find documents, files…'],
  'search.saved.title': ['Tìm kiếm đã lưu', 'Saved searches'],
  'search.saved.save': ['Lưu tìm kiếm này', 'Save this search'],
  'search.saved.none': ['Chưa có. Tìm rồi bấm «Lưu tìm kiếm này» để dùng lại sau.', 'None yet. Search, then «Save this search» to run it again later.'],
  'search.saved.name': ['Tên tìm kiếm', 'Name'],
  'search.saved.confirm': ['Lưu', 'Save'],
  'search.saved.cancel': ['Hủy', 'Cancel'],
  'search.saved.delete': ['Xóa tìm kiếm «{name}»', 'Delete the search «{name}»'],
  'search.export': ['Xuất kết quả', 'Export'],
  'search.export.pdf': ['Tệp PDF (để in)', 'PDF (to print)'],
  'search.export.docx': ['Tệp Word (.docx)', 'Word (.docx)'],
  'search.export.limit': ['Tối đa 1000 dòng mỗi loại', 'At most 1000 rows a kind'],
  'search.advanced': ['Tìm nâng cao', 'Advanced search'],
  'search.clear': ['Bỏ các điều kiện', 'Clear the fields'],
  'search.kind.all': ['Tất cả', 'All'],
  'search.kind.incoming': ['Văn bản đến', 'Incoming'],
  'search.kind.outgoing': ['Văn bản đi', 'Outgoing'],
  'search.kind.records': ['Hồ sơ', 'Work files'],
  'search.from': ['Từ ngày', 'From'],
  'search.to': ['Đến ngày', 'To'],
  'search.type': ['Loại văn bản', 'Document type'],
  'search.issuer': ['Cơ quan ban hành', 'Issuing agency'],
  'search.issuer.placeholder': ['Một phần tên, ví dụ Sở Tài chính', 'Part of the name'],
  'search.year': ['Năm hồ sơ', 'File year'],
  'search.status': ['Trạng thái', 'Status'],
  'search.order': ['Thứ tự kết quả', 'Order'],
  'search.order.default': ['Mặc định của từng danh sách', 'Each list’s own'],
  'search.order.newest': ['Mới nhất trước', 'Newest first'],
  'search.order.oldest': ['Cũ nhất trước', 'Oldest first'],
  'search.narrowed': ['Ngày, loại văn bản và cơ quan ban hành không áp dụng cho hồ sơ; cơ quan ban hành chỉ áp dụng cho văn bản đến.', 'Dates, type and issuer do not apply to work files; the issuer applies to incoming documents only.'],
} as const satisfies Record<string, readonly [string, string]>;

type Key = keyof typeof M;
const pick = (i: 0 | 1) => Object.fromEntries(Object.entries(M).map(([k, v]) => [k, v[i]])) as Record<Key, string>;

export const searchVi = pick(0);
export const searchEn = pick(1);
