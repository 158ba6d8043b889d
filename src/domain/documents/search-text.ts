/**
 * How documents (incoming and outgoing) are indexed and searched: one normalisation for the stored
 * search text and for what the user types, so both sides of a search read the same way on PGlite and
 * PostgreSQL (done here, not in SQL: PGlite's C locale lowers no Vietnamese capital and has no unaccent).
 */

/**
 * The orders of a document list asked with words (search page, GET /api/incoming, /api/outgoing):
 * relevance («Liên quan nhất»: header matches first, then ts_rank, ties newest first — without words, the
 * list's usual order), newest or oldest first by the document's day.
 */
export const DOCUMENT_ORDERS = ['relevance', 'newest', 'oldest'] as const;
export type DocumentOrder = (typeof DOCUMENT_ORDERS)[number];

/** Lower-cased NFC text for the 'simple' text-search configuration (same on PGlite and PostgreSQL). */
export const normalizeSearch = (text: string): string => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Vietnamese text without its tone and vowel marks, as a phone keyboard without Telex types it: "chuyển đổi số" → "chuyen doi so". */
const withoutDiacritics = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');

/**
 * The text a document is indexed by: normalised, followed by the same without diacritics when it has
 * any. A search typed with marks ("đối") finds the exact words, one typed without ("doi") finds them all,
 * and a search mixing both finds the document that has both.
 */
export function indexedText(parts: readonly (string | null | undefined)[]): string {
  const normal = normalizeSearch(parts.filter(Boolean).join(' '));
  const plain = withoutDiacritics(normal);
  return plain === normal ? normal : `${normal} ${plain}`;
}

/**
 * A document's whole search text: its header (số/ký hiệu, trích yếu, issuer…) on the first line, its body
 * (OCR or PDF text) on the second, each as indexedText makes it. The generated search_vector weighs the
 * first line A and the second D (migration 2026_12_07_0600), so a search ranks a document whose header
 * holds the words above one whose body alone does; a LIKE on the whole text (work files) still reads both.
 * No line break is left inside either part (normalizeSearch), so the first one splits them.
 */
export function documentSearchText(header: readonly (string | null | undefined)[], body: readonly (string | null | undefined)[]): string {
  const text = indexedText(body);
  return text ? `${indexedText(header)}\n${text}` : indexedText(header);
}

/**
 * A số/ký hiệu as words to index: whole ("1187/SKHCN-CĐS") and in parts ("1187", "SKHCN-CĐS", "SKHCN",
 * "CĐS"): the index reads the whole as one word, so a clerk typing the number or the ký hiệu alone
 * found nothing. `numbers` are the ways the number is written (an outgoing one: "07" as printed and "7").
 */
export function codeWords(numbers: readonly (string | null | undefined)[], notation: string | null | undefined): string[] {
  const [printed] = numbers;
  const whole = printed && notation ? `${printed}/${notation}` : notation;
  return [whole, ...new Set(numbers), notation, notation?.replace(/[/-]/g, ' ')].filter((w): w is string => !!w);
}
