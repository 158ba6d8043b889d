/** The search page's and the header's search strings: [Vietnamese, English] per key. The shell's catalogues spread `searchVi` / `searchEn`. */
const M = {
  'search.title': ['Tìm kiếm', 'Search'],
  'search.subtitle': ['Tìm văn bản đến, văn bản đi và hồ sơ công việc bạn được xem', 'Find the incoming and outgoing documents and work files you may see'],
  'search.placeholder': ['Trích yếu, số/ký hiệu, nơi gửi, tiêu đề hồ sơ…', 'Subject, number, sender, file title…'],
  'search.hint': ['Gõ ít nhất 2 ký tự, ví dụ một từ trong trích yếu, số ký hiệu hoặc tên cơ quan gửi.', 'Type at least 2 characters: a word of the subject, the number or the sender.'],
  'search.incoming': ['Văn bản đến', 'Incoming documents'],
  'search.outgoing': ['Văn bản đi', 'Outgoing documents'],
  'search.records': ['Hồ sơ công việc', 'Work files'],
  'search.none': ['Không tìm thấy.', 'Nothing found.'],
  'search.arrival': ['Số đến {n}', 'Arrival no. {n}'],
  'search.open': ['Tìm kiếm', 'Search'],
  'search.header': ['Tìm văn bản, hồ sơ…', 'Find documents, files…'],
} as const satisfies Record<string, readonly [string, string]>;

type Key = keyof typeof M;
const pick = (i: 0 | 1) => Object.fromEntries(Object.entries(M).map(([k, v]) => [k, v[i]])) as Record<Key, string>;

export const searchVi = pick(0);
export const searchEn = pick(1);
