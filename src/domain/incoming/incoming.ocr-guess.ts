import { DOCUMENT_TYPES, type DocumentTypeCode } from '../registers/document-types.ts';

/**
 * What the OCR'd text of a paper document says about its register entry (Nghị định 30/2020, Phụ lục I
 * layout): issuing body, số and ký hiệu, date, type, trích yếu and signer. Every field is a guess the
 * clerk checks; a field not found is empty (null for the date and type).
 */
export type OcrGuess = {
  issuerName: string;
  number: string;
  notation: string;
  documentDate: string | null;
  typeCode: DocumentTypeCode | null;
  subject: string;
  signerName: string;
  signerPosition: string;
  /** The first meaningful line of the page, to tell unregistered scans apart when nothing else is found. */
  firstLine: string;
};

// the header's national motto; pdftotext may put it on the same line as the issuer (two columns)
const MOTTO = [/CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM/u, /Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc\.?/iu];
const NUMBER = /^Số\s*[:.]?\s*(\d{1,7})\s*\/\s*([\p{Lu}\d][\p{Lu}\d\-/.&]*)/u;
const PLACE_DATE = /^[^,]{2,60},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;
const ANY_DATE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;
const SUBJECT_START = /^(V\/v|Về\s+việc)\b/iu;
const BODY_START = /^(Kính\s+gửi|Căn\s+cứ|Thực\s+hiện|Theo\s+đề\s+nghị)/iu;
// a person's name: 2–6 words, each starting with a capital and not all capitals
const PERSON = /^(\p{Lu}\p{Ll}+)(\s+\p{Lu}\p{Ll}*){1,5}$/u;
const PLACE_ONLY = /^(XÃ|PHƯỜNG|THỊ TRẤN|HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ|TỈNH)\s/u;
const HEAD_LINES = 40;
const MAX_TEXT = 20_000;

const isUpper = (s: string) => /\p{L}/u.test(s) && s === s.toLocaleUpperCase('vi') && s !== s.toLocaleLowerCase('vi');
const sentenceCase = (s: string) => s.toLocaleLowerCase('vi').replace(/^\p{Ll}/u, (c) => c.toLocaleUpperCase('vi'));
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function cleanLines(text: string): string[] {
  return text.normalize('NFC').slice(0, MAX_TEXT).split(/\r?\n|\f/)
    // OCR noise: stray quotes, dots and underlines before the text
    .map((l) => squash(MOTTO.reduce((s, re) => s.replace(re, ' '), l)).replace(/^[\s'"‘’“”`.,_|~]+/u, ''))
    .filter(isReadable);
}

const isReadable = (line: string) => isReadableText(line);

/**
 * Whether text reads as Vietnamese (Latin script) text with at least `minLetters` letters — not OCR
 * noise (rules, stray marks) nor the mojibake of a text layer whose fonts lost their Unicode mapping
 * (seen in real files: "1+7ڤ(1 7'%$1", "&¶QJ YÅQ").
 */
export function isReadableText(text: string, minLetters = 2): boolean {
  const letters = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  const plain = (text.match(/[\p{Script=Latin}\d\s.,:;!?()/&%–—'"“”‘’…*+=-]/gu) ?? []).length;
  return letters >= minLetters && plain >= text.length * 0.9;
}

function isoDate(d: string, m: string, y: string): string | null {
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? null : iso;
}

function findType(lines: readonly string[]): { typeCode: DocumentTypeCode | null; at: number } {
  for (const [i, line] of lines.entries()) {
    if (!isUpper(line)) continue;
    const type = DOCUMENT_TYPES.find((t) => t.name.toLocaleUpperCase('vi') === line.replace(/[.:]$/, ''));
    if (type) return { typeCode: type.code, at: i };
  }
  return { typeCode: null, at: -1 };
}

// the trích yếu: "V/v …" (công văn), else the lines under the type's name, else the line under the
// place-date line (an OCR slip such as "Vàề việc" must not lose it), up to the body
function findSubject(lines: readonly string[], typeAt: number, dateAt: number): string {
  const start = lines.findIndex((l) => SUBJECT_START.test(l));
  const afterDate = dateAt >= 0 && lines[dateAt + 1] && !BODY_START.test(lines[dateAt + 1] ?? '') && !isUpper(lines[dateAt + 1] ?? '') ? dateAt + 1 : -1;
  const from = start >= 0 ? start : typeAt >= 0 ? typeAt + 1 : afterDate;
  if (from < 0 || from >= lines.length) return '';
  const parts: string[] = [];
  for (const line of lines.slice(from, from + 3)) {
    // a trích yếu running over two lines goes on in lower case ("… chứng nhận / quyền sử dụng đất")
    if (parts.length > 0 && !/^\p{Ll}/u.test(line)) break;
    parts.push(line);
    if (/[.;:]$/.test(line)) break;
  }
  return squash(parts.join(' ')).slice(0, 500);
}

// the signature block follows the closing mark "./." (Phụ lục I): position lines in capitals, then the name
function findSigner(lines: readonly string[]): { signerName: string; signerPosition: string } {
  const end = lines.findIndex((l) => /\.\/\.$/.test(l));
  if (end < 0) return { signerName: '', signerPosition: '' };
  let position = '';
  for (const line of lines.slice(end + 1, end + 12)) {
    if (/^(Nơi\s+nhận|[-–•])/iu.test(line)) continue;
    if (isUpper(line)) position = line.replace(/^(KT|TM|TL|TUQ|Q)\.\s*/u, '');
    else if (position && PERSON.test(line)) return { signerName: line, signerPosition: sentenceCase(position) };
  }
  return { signerName: '', signerPosition: '' };
}

// the issuing body is the last line in capitals above "Số:" (the governing body, if any, is above it);
// a line naming only the place ("XÃ TÂN LẬP") continues the one above it ("ỦY BAN NHÂN DÂN")
function issuerAbove(lines: readonly string[]): string {
  const upper = lines.filter(isUpper);
  const last = upper.at(-1) ?? '';
  const before = upper.at(-2);
  return before && PLACE_ONLY.test(last) ? `${before} ${last}` : last;
}

/** Reads the register fields off the OCR'd text of a scanned administrative document (best effort). */
export function guessFromOcr(text: string): OcrGuess {
  const lines = cleanLines(text);
  const head = lines.slice(0, HEAD_LINES);
  const numberAt = head.findIndex((l) => NUMBER.test(l));
  const numberMatch = numberAt >= 0 ? NUMBER.exec(head[numberAt] ?? '') : null;
  const issuerLine = numberAt > 0 ? issuerAbove(head.slice(0, numberAt)) : '';
  const placeDateAt = head.findIndex((l) => PLACE_DATE.test(l));
  const dateMatch = PLACE_DATE.exec(head[placeDateAt] ?? '') ?? head.map((l) => ANY_DATE.exec(l)).find((m) => m) ?? null;
  const type = findType(head);
  const subject = findSubject(head, type.at, placeDateAt);
  // no type heading and a "Kính gửi": a công văn
  const typeCode = type.typeCode ?? (SUBJECT_START.test(subject) || head.some((l) => /^Kính\s+gửi/iu.test(l)) ? 'cong_van' : null);
  return {
    issuerName: issuerLine.slice(0, 200),
    number: numberMatch?.[1] ?? '',
    notation: numberMatch?.[2]?.replace(/[-/.]+$/, '').slice(0, 30) ?? '',
    documentDate: dateMatch ? isoDate(dateMatch[1] ?? '', dateMatch[2] ?? '', dateMatch[3] ?? '') : null,
    typeCode,
    subject,
    ...findSigner(lines),
    firstLine: (lines[0] ?? '').slice(0, 200),
  };
}
