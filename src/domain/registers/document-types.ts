/**
 * The administrative document types of Nghị định 30/2020 Art. 7 with the abbreviations of Phụ lục III
 * (verbatim; Công văn and Thư công have none), the copy forms, urgency and secrecy levels.
 */
export const DOCUMENT_TYPES = [
  { code: 'nghi_quyet', name: 'Nghị quyết', abbr: 'NQ' },
  { code: 'quyet_dinh', name: 'Quyết định', abbr: 'QĐ' },
  { code: 'chi_thi', name: 'Chỉ thị', abbr: 'CT' },
  { code: 'quy_che', name: 'Quy chế', abbr: 'QC' },
  { code: 'quy_dinh', name: 'Quy định', abbr: 'QyĐ' },
  { code: 'thong_cao', name: 'Thông cáo', abbr: 'TC' },
  { code: 'thong_bao', name: 'Thông báo', abbr: 'TB' },
  { code: 'huong_dan', name: 'Hướng dẫn', abbr: 'HD' },
  { code: 'chuong_trinh', name: 'Chương trình', abbr: 'CTr' },
  { code: 'ke_hoach', name: 'Kế hoạch', abbr: 'KH' },
  { code: 'phuong_an', name: 'Phương án', abbr: 'PA' },
  { code: 'de_an', name: 'Đề án', abbr: 'ĐA' },
  { code: 'du_an', name: 'Dự án', abbr: 'DA' },
  { code: 'bao_cao', name: 'Báo cáo', abbr: 'BC' },
  { code: 'bien_ban', name: 'Biên bản', abbr: 'BB' },
  { code: 'to_trinh', name: 'Tờ trình', abbr: 'TTr' },
  { code: 'hop_dong', name: 'Hợp đồng', abbr: 'HĐ' },
  { code: 'cong_van', name: 'Công văn', abbr: null },
  { code: 'cong_dien', name: 'Công điện', abbr: 'CĐ' },
  { code: 'ban_ghi_nho', name: 'Bản ghi nhớ', abbr: 'BGN' },
  { code: 'ban_thoa_thuan', name: 'Bản thỏa thuận', abbr: 'BTT' },
  { code: 'giay_uy_quyen', name: 'Giấy ủy quyền', abbr: 'GUQ' },
  { code: 'giay_moi', name: 'Giấy mời', abbr: 'GM' },
  { code: 'giay_gioi_thieu', name: 'Giấy giới thiệu', abbr: 'GGT' },
  { code: 'giay_nghi_phep', name: 'Giấy nghỉ phép', abbr: 'GNP' },
  { code: 'phieu_gui', name: 'Phiếu gửi', abbr: 'PG' },
  { code: 'phieu_chuyen', name: 'Phiếu chuyển', abbr: 'PC' },
  { code: 'phieu_bao', name: 'Phiếu báo', abbr: 'PB' },
  { code: 'thu_cong', name: 'Thư công', abbr: null },
] as const;

export type DocumentTypeCode = (typeof DOCUMENT_TYPES)[number]['code'];
export const DOCUMENT_TYPE_CODES = DOCUMENT_TYPES.map((t) => t.code) as [DocumentTypeCode, ...DocumentTypeCode[]];

export const COPY_FORMS = [
  { code: 'sao_y', name: 'Bản sao y', abbr: 'SY', stamp: 'SAO Y' },
  { code: 'trich_sao', name: 'Bản trích sao', abbr: 'TrS', stamp: 'TRÍCH SAO' },
  { code: 'sao_luc', name: 'Bản sao lục', abbr: 'SL', stamp: 'SAO LỤC' },
] as const;

/** Độ khẩn (Art. 8; Hỏa tốc hẹn giờ exists only in edXML Priority 4). Value = edXML Priority. */
export const URGENCIES = [
  { code: 'thuong', name: 'Thường', priority: 0 },
  { code: 'khan', name: 'Khẩn', priority: 1 },
  { code: 'thuong_khan', name: 'Thượng khẩn', priority: 2 },
  { code: 'hoa_toc', name: 'Hỏa tốc', priority: 3 },
  { code: 'hoa_toc_hen_gio', name: 'Hỏa tốc hẹn giờ', priority: 4 },
] as const;
export type UrgencyCode = (typeof URGENCIES)[number]['code'];
export const URGENCY_CODES = URGENCIES.map((u) => u.code) as [UrgencyCode, ...UrgencyCode[]];

/**
 * Độ mật. Tối mật and Tuyệt mật are listed so they can be recognised and REFUSED with an explanation:
 * such documents are not handled on networked systems.
 */
export const SECRECY_LEVELS = [
  { code: 'thuong', name: 'Thường', isAllowed: true },
  { code: 'mat', name: 'Mật', isAllowed: true },
  { code: 'toi_mat', name: 'Tối mật', isAllowed: false },
  { code: 'tuyet_mat', name: 'Tuyệt mật', isAllowed: false },
] as const;
export type SecrecyCode = (typeof SECRECY_LEVELS)[number]['code'];
export const SECRECY_CODES = SECRECY_LEVELS.map((s) => s.code) as [SecrecyCode, ...SecrecyCode[]];

export function documentType(code: string) {
  return DOCUMENT_TYPES.find((t) => t.code === code);
}

/**
 * The ký hiệu of an outgoing document (Art. 15, Phụ lục I Mục II.3): for a named type,
 * "{type}-{agency}" (15/QĐ-UBND); for Công văn and Thư công, "{agency}-{drafting unit}" (123/UBND-VP).
 */
export function buildNotation(o: { typeCode: string; agencyShort: string; unitShort?: string | null }): string {
  const type = documentType(o.typeCode);
  const parts = type?.abbr ? [type.abbr, o.agencyShort] : [o.agencyShort, o.unitShort ?? null];
  return parts.filter((p): p is string => !!p).join('-');
}

/** Numbers below 10 are written with a leading zero (Phụ lục I: "01", "02" …). */
export const formatDocumentNumber = (n: number): string => String(n).padStart(2, '0');

/**
 * The số as the document prints it (ND 30 Phụ lục I: a số below 10 is written with a leading 0): 2 or «2»
 * is «02»; any other số as given («12», «02», «123a»). What the exchange sends as CodeNumber and what the
 * recipient registers: a sender that transmits the integer (vanthu's own did: «2») is registered as its
 * paper reads. The duplicate check compares số as numbers, so «2» and «02» stay the same số.
 */
export function printedNumber(number: string | number | null | undefined): string {
  const text = String(number ?? '');
  return /^[1-9]$/.test(text.trim()) ? formatDocumentNumber(Number(text)) : text;
}
