import { DOCUMENT_TYPES, type DocumentTypeCode } from '../registers/document-types.ts';

/**
 * What the OCR'd text of a paper document says about its register entry (Nghị định 30/2020, Phụ lục I
 * layout): issuing body, số and ký hiệu, date, type, trích yếu and signer. Every field is a guess the
 * clerk checks; a field not found is empty (null for the date and type).
 */
export type OcrGuess = {
  issuerName: string;
  /** The governing body's line above the issuer (ô 1, «UBND TỈNH HÀ TĨNH» above «SỞ NỘI VỤ»), or ''. */
  governingName: string;
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

/**
 * Text with its diacritics and «Đ» taken off, character for character (same length, so a match in it is a
 * match at the same place in the text): what is left when OCR mistakes «Ò» for «Ó» or «Ố» for «Ô».
 */
export const fold = (s: string) => s.normalize('NFC').replace(/[^\x00-\x7f]/g, (c) => {
  if (c === 'Đ' || c === 'Ð') return 'D';
  if (c === 'đ') return 'd';
  const base = c.normalize('NFD').replace(/\p{M}/gu, '');
  return base.length === 1 ? base : c;
});

// the header's national motto, matched on the folded text («CỘNG HOÀ», «Độc lập- Từ) do- Hạnh Nhúc.»);
// tesseract and pdftotext may put it on the same line as the issuer (two columns)
const MOTTO = [/C\s*O\s*N\s*G\s*H\s*O\s*A\s*X\s*A\s*H\s*O\s*I\s*C\s*H\s*U\s*N\s*G\s*H\s*I\s*A\s*V\s*I\s*E\s*T\s*N\s*A\s*M/g, /D\s*o\s*c\s*l\s*a\s*p\W*T\w?\W*d\s*o\W*H\s*a\s*n\s*h\s*\w?\s*h\s*u\s*c\.?/gi];
// «Số:» as OCR reads it too: «S6:», «Sổ;», «So.»
const NUMBER = /^S[\p{L}60]\s*[:;.,]?\s*((?=[IlOoTÏ|]*\d)[\dIlOoTÏ|]{1,7})\s*\/\s*([\p{L}\d][\p{L}\d\-/.&]*)/u;
// digits OCR reads as letters («3I8», «1T», «0š», «Ï2»)
const DIGIT = '[\\dIlOoTÏÌ|šS]';
const DATE = `[nNñhHT]g\\p{L}y\\s*[:.,]?\\s*(${DIGIT}{1,2})\\s*[tT]h?\\p{L}{1,2}ng\\s*[:.,]?\\s*(${DIGIT}{1,2})\\s*n\\p{L}m\\s*[:.,]?\\s*(\\d{4})`;
// «Hà Tĩnh, ngày …»; OCR may lose the comma after a short place name («Nghệ An ngày …»)
const PLACE_DATE = new RegExp(`^(?:\\p{Lu}[^,\\d]{1,59},|\\p{Lu}\\p{L}*(?:\\s+\\p{Lu}\\p{L}*){0,3})\\s*${DATE}`, 'u');
const ANY_DATE = new RegExp(DATE, 'u');
// «V/v» as OCR reads it too («Vw», «V/V», «Vív»), on the folded line
const VV = /^V\s*([/⁄∕]\s*|[il1|]\s*)?[vVwW]\b/u;
const SUBJECT_START = /^(V\s*([/⁄∕]\s*|[il1|]\s*)?[vVwW]|Ve\W*\s*viec)\b/iu;
const BODY_START = /^(Kinh\s+gui|Can\s+cu|Thuc\s+hien|Theo\s+de\s+nghi)/iu;
// a person's name: 2–6 words, each starting with a capital and not all capitals
const PERSON = /^(\p{Lu}\p{Ll}+)(\s+\p{Lu}\p{Ll}*){1,5}$/u;
const PLACE_ONLY = /^(XA|PHUONG|THI TRAN|HUYEN|QUAN|THI XA|THANH PHO|TINH|KHU\s*VUC)(\s|$|\p{Lu})/u;
// the words an agency's name or a signer's position is made of, in capitals, put back when OCR slipped
// on a diacritic («ỦY BANNHẬN DẪN», «MỖI TRƯỜNG», «GIẦM ĐỐC»)
const NAME_WORDS = ['ỦY BAN NHÂN DÂN', 'HỘI ĐỒNG NHÂN DÂN', 'TÀI NGUYÊN VÀ MÔI TRƯỜNG', 'NỘI VỤ', 'TÀI CHÍNH', 'KẾ HOẠCH VÀ ĐẦU TƯ',
  'GIÁO DỤC VÀ ĐÀO TẠO', 'Y TẾ', 'XÂY DỰNG', 'CÔNG THƯƠNG', 'TƯ PHÁP', 'GIAO THÔNG VẬN TẢI', 'NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN',
  'LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI', 'THÔNG TIN VÀ TRUYỀN THÔNG', 'KHOA HỌC VÀ CÔNG NGHỆ', 'VĂN HÓA, THỂ THAO VÀ DU LỊCH',
  'KHO BẠC NHÀ NƯỚC', 'CHI CỤC THUẾ', 'CỤC THUẾ', 'KHU VỰC', 'VĂN PHÒNG',
  'PHÓ GIÁM ĐỐC', 'GIÁM ĐỐC', 'PHÓ CHỦ TỊCH', 'CHỦ TỊCH', 'TRƯỞNG PHÒNG', 'CHÁNH VĂN PHÒNG']
  // a space between words may be lost, and one may be read inside a word («TRƯỜN G»)
  .map((words) => ({ words, re: new RegExp(`(?<![A-Z])${fold(words).split(/[\s,-]+/).map((w) => [...w].join('\\s?')).join('\\W*')}(?![a-z])`, 'g') }));
const HEAD_LINES = 40;
const MAX_TEXT = 20_000;

const isUpper = (s: string) => /\p{L}/u.test(s) && s === s.toLocaleUpperCase('vi') && s !== s.toLocaleLowerCase('vi');
const sentenceCase = (s: string) => s.toLocaleLowerCase('vi').replace(/^\p{Ll}/u, (c) => c.toLocaleUpperCase('vi'));
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

// OCR noise: specks read as «¬», «ˆ», «‹», quotes, dots, dashes and underlines before or after the text
// (a closing «./.» and a list's «- » lose nothing that is looked for)
function cleanLine(line: string): string {
  const out = MOTTO.reduce((s, re) => replaceFolded(s, fold(s), re, ' '), line);
  return squash(out.replace(/[¬ˆ˜‹›¡¿`^]/gu, ' '))
    .replace(/^[\s'"‘’“”.,:;_|~\-–—]+/u, '')
    .replace(/(\s[.,:;'"‘’“”|~_\-–—]+|[\s'"‘’“”|~_\-–—]+)$/u, '');
}

// replaces what `re` matches in the folded text at the same place in the text (fold keeps the length)
function replaceFolded(text: string, folded: string, re: RegExp, by: string | ((m: string, after: string) => string)): string {
  let out = '';
  let at = 0;
  for (const m of folded.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
    const end = m.index + m[0].length;
    out += text.slice(at, m.index) + (typeof by === 'string' ? by : by(text.slice(m.index, end), text.slice(end, end + 1)));
    at = end;
  }
  return out + text.slice(at);
}

function cleanLines(text: string): string[] {
  return text.normalize('NFC').slice(0, MAX_TEXT).split(/\r?\n|\f/).map(cleanLine).filter(isReadable);
}

// a name or position in capitals as printed: the known words put back, stray dots and semicolons out
function cleanName(line: string): string {
  const spaced = squash(line.replace(/\s*[.;:"'“”]+\s*/g, ' ')).replace(/^[^\p{L}]+|[^\p{L}\d)]+$/gu, '');
  return NAME_WORDS.reduce((s, { words, re }) => replaceFolded(s, fold(s), re, (_, after) => (/\p{L}/u.test(after) ? `${words} ` : words)), spaced)
    .replace(/^SỞ(?=\p{Lu})/u, 'SỞ ');
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

// OCR's letters for digits: «3I8» → 318, «0š» → 05, «Ï2» → 12
const digits = (s: string) => s.replace(/[IlTÏÌ|]/g, '1').replace(/[Oo]/g, '0').replace(/[šS]/g, '5');

function isoDate(d: string, m: string, y: string): string | null {
  const iso = `${y}-${digits(m).padStart(2, '0')}-${digits(d).padStart(2, '0')}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? null : iso;
}

// the name of a type in capitals, as OCR reads it too («THỐNG BÁO», «QUYẾT ĐỊNH:»)
function findType(lines: readonly string[]): { typeCode: DocumentTypeCode | null; at: number } {
  for (const [i, line] of lines.entries()) {
    if (!isUpper(line)) continue;
    const read = fold(line).replace(/[.:]$/, '').replace(/\s+/g, ' ');
    const type = DOCUMENT_TYPES.find((t) => fold(t.name).toUpperCase() === read);
    if (type) return { typeCode: type.code, at: i };
  }
  return { typeCode: null, at: -1 };
}

// the trích yếu: "V/v …" (công văn), else the lines under the type's name, else the line under the
// place-date line (an OCR slip such as "Vàề việc" must not lose it), up to the body
function findSubject(lines: readonly string[], typeAt: number, dateAt: number): string {
  const start = lines.findIndex((l) => SUBJECT_START.test(fold(l)));
  const next = lines[dateAt + 1] ?? '';
  const afterDate = dateAt >= 0 && next && !BODY_START.test(fold(next)) && !isUpper(next) ? dateAt + 1 : -1;
  const from = start >= 0 ? start : typeAt >= 0 ? typeAt + 1 : afterDate;
  if (from < 0 || from >= lines.length) return '';
  const parts: string[] = [];
  for (const line of lines.slice(from, from + 3)) {
    // a trích yếu running over two lines goes on in lower case ("… chứng nhận / quyền sử dụng đất"), or after a comma
    if (parts.length > 0 && !/^\p{Ll}/u.test(line) && !/,$/.test(parts.at(-1) ?? '')) break;
    if (parts.length > 0 && (BODY_START.test(fold(line)) || isUpper(line) || ANY_DATE.test(line))) break;
    parts.push(line);
    if (/[.;:]$/.test(line)) break;
  }
  const subject = squash(parts.join(' ').replace(/\s*['"“”]+\s*/g, ' ')).replace(/[.;:,]+$/, '');
  // «Vw», «V/V», «V⁄v.» as printed: «V/v »
  const vv = VV.exec(fold(subject));
  return (vv ? `V/v ${subject.slice(vv[0].length).replace(/^[\s.:]+/, '')}` : subject).slice(0, 500);
}

// the signature block follows the closing mark "./." (Phụ lục I) — or, when OCR lost it, «Nơi nhận:» beside
// it, on the same line when OCR read the two columns as one («Nơi nhận. PHÓ GIÁM ĐỐC»): position lines in
// capitals, then the name
const RECIPIENTS = /^N\s?\p{L}{1,2}\s?nh\p{L}n\b\s*[.:]?\s*/u;
function findSigner(lines: readonly string[]): { signerName: string; signerPosition: string } {
  const closing = lines.findIndex((l) => /\.\s*\/\s*\.?$/.test(l));
  const recipients = lines.findIndex((l) => RECIPIENTS.test(l));
  const from = closing >= 0 ? closing + 1 : recipients >= 0 ? Math.max(0, recipients - 3) : -1;
  if (from < 0) return { signerName: '', signerPosition: '' };
  let position = '';
  let onBehalf = false;
  for (const read of lines.slice(from, from + 14)) {
    const line = read.replace(RECIPIENTS, '');
    const name = line.replace(/[.,;:]+$/, '');
    if (line === '' || /^(Lưu|[-–•])/iu.test(line)) continue;
    if (isUpper(line) && (line.match(/\p{L}/gu) ?? []).length >= 4) {
      // «TM. ỦY BAN NHÂN DÂN», «KT. GIÁM ĐỐC» (OCR: «M, ỦY BAN…») say on whose behalf: the position is the next line
      const authority = /^(K?T|T?M|TL|TUQ)\W+(?=\p{Lu})/u.exec(cleanName(line.replace(/[.,]/g, '. ')));
      onBehalf ||= !!authority;
      position = authority ? '' : cleanName(line).replace(/^Q\s*[.:]?\s*(?=(PHÓ|GIÁM|CHỦ|TRƯỞNG|CHÁNH|BỘ)\b)/u, '');
    } else if ((position || onBehalf) && PERSON.test(name)) return { signerName: name, signerPosition: sentenceCase(position) };
  }
  return { signerName: '', signerPosition: '' };
}

// the issuing body is the last name in capitals above "Số:" (the governing body, if any, is above it). A
// name may run over lines: one naming only the place ("XÃ TÂN LẬP", "KHU VỰC XIII") or a single word
// continues the one above it, and so does one that completes a known name with it («SỞ TÀI NGUYÊN VÀ MÔI» /
// «TRƯỜNG») or follows «ỦY BAN NHÂN DÂN» or a last «VÀ». A speck read as a small letter beside it («sọ,», «l») is left out.
function issuerAbove(lines: readonly string[]): { issuer: string; governing: string } {
  const names: string[] = [];
  const completes = (a: string, b: string) => NAME_WORDS.some(({ re }) => [`${a} ${b}`, a, b].map((s) => new RegExp(re.source).test(fold(s))).join() === 'true,false,false');
  for (const line of lines.map((l) => cleanName(capitalsOf(l))).filter((l) => (l.match(/\p{L}/gu) ?? []).length >= 2)) {
    const last = names.at(-1);
    const continues = last !== undefined && (PLACE_ONLY.test(fold(line)) || !/\s/.test(line) || completes(last, line) || /\sVÀ$|^(ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)$/u.test(cleanName(last)));
    if (continues) names[names.length - 1] = `${last} ${line}`;
    else names.push(line);
  }
  // a speck beside the governing line reads as a lone capital («BỘ TÀI CHÍNH X»)
  return { issuer: cleanName(names.at(-1) ?? ''), governing: cleanName(names.at(-2) ?? '').replace(/\s\p{Lu}$/u, '') };
}

// a line in capitals less the words with a small letter in it (specks), or '' for a line mostly in small letters
function capitalsOf(line: string): string {
  const words = line.split(' ');
  const upper = words.filter((w) => isUpper(w) || !/\p{L}/u.test(w));
  return upper.filter((w) => /\p{L}/u.test(w)).join('').length >= 0.8 * words.filter((w) => /\p{L}/u.test(w)).join('').length ? upper.join(' ') : '';
}

// the notation's first group is the type's abbreviation (Phụ lục III): OCR's «QB» for «QĐ», «TT» for «TTr»,
// put right when the type's heading was read
function fixNotation(notation: string, typeCode: DocumentTypeCode | null): string {
  const abbr = DOCUMENT_TYPES.find((t) => t.code === typeCode)?.abbr;
  const [group = '', ...rest] = notation.split('-');
  const loose = (s: string) => s.replace(/[BDĐÐ]/g, 'Đ');
  if (!abbr || group === abbr || !(loose(group) === loose(abbr) || group === abbr.replace(/\p{Ll}/gu, ''))) return notation;
  return [abbr, ...rest].join('-');
}

/** Reads the register fields off the OCR'd text of a scanned administrative document (best effort). */
export function guessFromOcr(text: string): OcrGuess {
  const lines = cleanLines(text);
  const head = lines.slice(0, HEAD_LINES);
  // «Số: 127/UBND- VP», «127/UBND: VP», «09/TB KBNN» as OCR reads them: «127/UBND-VP», «09/TB-KBNN»
  const numberLine = (l: string) => l.replace(/\s*([-/])\s*/g, '$1').replace(/(\/[\p{Lu}\d-]*\p{Lu})\s*[:\s–—]\s*(?=\p{Lu}{2,}\b)/gu, '$1-');
  const numberAt = head.findIndex((l) => NUMBER.test(numberLine(l)));
  const numberMatch = numberAt >= 0 ? NUMBER.exec(numberLine(head[numberAt] ?? '')) : null;
  const header = numberAt > 0 ? issuerAbove(head.slice(0, numberAt)) : { issuer: '', governing: '' };
  const placeDateAt = head.findIndex((l) => PLACE_DATE.test(l));
  const type = findType(head);
  // without a place-date line, a date above the type's name and the body — never one in the body
  const bodyAt = head.findIndex((l, i) => BODY_START.test(fold(l)) || i === type.at);
  const dateMatch = PLACE_DATE.exec(head[placeDateAt] ?? '') ?? head.slice(0, bodyAt < 0 ? undefined : bodyAt).map((l) => ANY_DATE.exec(l)).find((m) => m) ?? null;
  const subject = findSubject(head, type.at, placeDateAt);
  // no type heading and a "Kính gửi": a công văn
  const typeCode = type.typeCode ?? (SUBJECT_START.test(fold(subject)) || head.some((l) => /^Kinh\s+gui/iu.test(fold(l))) ? 'cong_van' : null);
  const notation = (numberMatch?.[2] ?? '').replace(/[-/.]+$/, '').slice(0, 30);
  return {
    issuerName: header.issuer.slice(0, 200),
    governingName: header.governing.slice(0, 200),
    number: numberMatch ? digits(numberMatch[1] ?? '') : '',
    notation: type.typeCode ? fixNotation(notation, type.typeCode) : notation,
    documentDate: dateMatch ? isoDate(dateMatch[1] ?? '', dateMatch[2] ?? '', dateMatch[3] ?? '') : null,
    typeCode,
    subject,
    ...findSigner(lines),
    firstLine: (lines[0] ?? '').slice(0, 200),
  };
}
