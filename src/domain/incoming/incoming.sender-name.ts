import { fold } from './incoming.ocr-guess.ts';

/**
 * The sender OCR read off a scan's header (ô 2, in capitals, with OCR's slips) put to an agency's proper name:
 * matched against names vanthu knows (`matchSender`), or else written as ND 30 writes names (`agencyNameCase`).
 */

/** A name a sender may be: from the axis directory, this install's agencies or earlier incoming documents. */
export type SenderCandidate = {
  name: string;
  /** The agency code (mã định danh), '' when not known. */
  code: string;
  /** The body above it (the directory's parent, the agency's governing body), to compare with ô 1; '' when not known. */
  context: string;
};

export type SenderMatch = SenderCandidate & { score: number };

// a match is taken from this score up (the lower of two similarities of the folded names, below): OCR's slips
// («SỞ TÀI NGUYÊN VÀ MỖI TRƯỜN G», «KHU VỰC XIHI» for XIII) keep 0.85 and more; another agency of the same kind
// («xã Sơn Tiến» for «xã Sơn Tây», the wrong province's «Sở Nội vụ tỉnh Nghệ An») stays under 0.6, another kind
// («Phòng» for «Sở») scores 0 (incoming.sender-name.test.ts)
export const MATCH_THRESHOLD = 0.8;
// two candidates closer than this are not told apart: none is taken (the clerk chooses)
const MARGIN = 0.04;
// the governing line (ô 1) counts against a candidate whose body above is known and unlike it
const CONTEXT_THRESHOLD = 0.7;

const ABBREVIATIONS: readonly [RegExp, string][] = [
  [/\bubnd\b/g, 'uy ban nhan dan'], [/\bhdnd\b/g, 'hoi dong nhan dan'], [/\bkbnn\b/g, 'kho bac nha nuoc'], [/\btp\b/g, 'thanh pho'],
];

/** A name folded for comparing: no diacritics, lower case, abbreviations written out, only letters and digits, one space between words. */
export function senderKey(name: string): string {
  const folded = fold(name).toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  return ABBREVIATIONS.reduce((s, [re, full]) => s.replace(re, full), folded).trim();
}

const bigrams = (s: string) => {
  const bag = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i += 1) bag.set(s.slice(i, i + 2), (bag.get(s.slice(i, i + 2)) ?? 0) + 1);
  return bag;
};

/** Dice's coefficient on the character bigrams of two keys, spaces left out (OCR loses and adds them: «KHU VỰCXIHI», «TRƯỜN G»); 0–1. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a.replace(/ /g, ''));
  const y = bigrams(b.replace(/ /g, ''));
  let total = 0;
  let shared = 0;
  for (const n of x.values()) total += n;
  for (const [gram, n] of y) {
    total += n;
    shared += Math.min(n, x.get(gram) ?? 0);
  }
  return total === 0 ? 0 : (2 * shared) / total;
}

// the place of a governing body that is a people's committee («UBND TỈNH HÀ TĨNH» → «tinh ha tinh»), which a
// directory name may end with («Sở Nội vụ tỉnh Hà Tĩnh»)
const placeOf = (governingKey: string) => (governingKey.startsWith('uy ban nhan dan ') ? governingKey.slice('uy ban nhan dan '.length) : '');
// what tells two governing bodies apart: their names less the words every committee and place has («huong son»
// against «quynh luu», not «uy ban nhan dan huyen …», which they share)
const GENERIC = /\b(uy ban nhan dan|hoi dong nhan dan|tinh|huyen|thanh pho|thi xa|thi tran|quan|phuong|xa)\b/g;
const distinctOf = (key: string) => key.replace(GENERIC, ' ').trim() || key;

// characters OCR takes for each other («XIHI» for XIII, «0» for O): swapping them costs half an edit
const CONFUSED = ['ihl1t', 'o0', 's5', 'b8'];
const isConfused = (a: string, b: string) => CONFUSED.some((set) => set.includes(a) && set.includes(b));

/** 1 less the edit distance (a confusable swap half an edit) over the longer length; 0–1. */
export function editSimilarity(a: string, b: string): number {
  if (!a || !b) return a === b ? 1 : 0;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const swap = a[i - 1] === b[j - 1] ? 0 : isConfused(a[i - 1] ?? '', b[j - 1] ?? '') ? 0.5 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + swap));
    }
    row = next;
  }
  return 1 - (row[b.length] ?? 0) / Math.max(a.length, b.length);
}

// the kinds of agency a name begins with, folded, longest first («uy ban nhan dan», «so», «phong», …)
let kinds: string[] | undefined;
const kindOf = (key: string) => (kinds ??= PHRASES.filter((p) => p.mode !== 'place').map((p) => senderKey(p.text)).sort((a, b) => b.length - a.length))
  .find((k) => key === k || key.startsWith(`${k} `)) ?? '';
// what sets a name apart from others of its kind: less its kind and the words of places («noivuhatinh»)
const PLACE_WORDS = /\b(tinh|huyen|thanh pho|thi xa|thi tran|quan|phuong|xa|khu vuc)\b/g;
const ownPartOf = (key: string) => key.slice(kindOf(key).length).replace(PLACE_WORDS, ' ').replace(/ /g, '');

function scoreOf(issuerKey: string, governingKey: string, c: SenderCandidate): number {
  const nameKey = senderKey(c.name);
  const [kind, nameKind] = [kindOf(issuerKey), kindOf(nameKey)];
  if (kind && nameKind && kind !== nameKind) return 0;
  // the issuer as printed, and with the place of its governing committee, which a directory name may end with
  const place = placeOf(governingKey);
  const readings = place ? [issuerKey, `${issuerKey} ${place}`] : [issuerKey];
  // the whole name much alike (Dice) and its own part too (edits): a long shared kind («Ủy ban nhân dân xã Sơn …»)
  // does not make «Sơn Tiến» «Sơn Tây»
  const score = Math.max(...readings.map((r) => Math.min(similarity(r, nameKey), editSimilarity(ownPartOf(r), ownPartOf(nameKey)))));
  // a body above of the kind printed in ô 1 but not that one is another agency of the same name (another
  // province's «Sở Nội vụ»); one of another kind tells nothing (ô 1 «BỘ TÀI CHÍNH», the directory's parent «Kho bạc Nhà nước»)
  const contextKey = senderKey(c.context);
  const isComparable = !!governingKey && !!contextKey && kindOf(governingKey) === kindOf(contextKey);
  return !isComparable || similarity(distinctOf(governingKey), distinctOf(contextKey)) >= CONTEXT_THRESHOLD ? score : score * 0.7;
}

/**
 * The candidate the OCR'd `issuer` (with its governing line, ô 1) names: the most similar one at MATCH_THRESHOLD
 * or more, when no other comes within MARGIN of it under another name or code; null otherwise.
 */
export function matchSender(issuer: string, governing: string, candidates: readonly SenderCandidate[]): SenderMatch | null {
  const issuerKey = senderKey(issuer);
  if (issuerKey.replace(/ /g, '').length < 3) return null;
  const governingKey = senderKey(governing);
  const scored = candidates.map((c) => ({ ...c, score: scoreOf(issuerKey, governingKey, c) })).sort((a, b) => b.score - a.score);
  const [best] = scored;
  if (!best || best.score < MATCH_THRESHOLD) return null;
  const rival = scored.find((c) => c.code !== best.code || senderKey(c.name) !== senderKey(best.name));
  return rival && best.score - rival.score < MARGIN ? null : best;
}

type Mode = 'field' | 'place' | 'name';
// the words that begin an agency's name or a place in it, as ND 30 writes them, and how the words after them are
// written: 'field' — the first word of each part capitalised («Tài nguyên và Môi trường», «Lao động - Thương binh
// và Xã hội»); 'place' — every word capitalised («xã Sơn Tây», «khu vực XIII»); 'name' — a proper name, the same
const WORDS: readonly [string, Mode][] = [
  ['Ủy ban nhân dân', 'field'], ['Hội đồng nhân dân', 'field'], ['Ủy ban Mặt trận Tổ quốc Việt Nam', 'field'],
  ['Kho bạc Nhà nước', 'field'], ['Ngân hàng Nhà nước', 'field'], ['Ngân hàng Chính sách xã hội', 'field'], ['Bảo hiểm xã hội', 'field'],
  ['Tòa án nhân dân', 'field'], ['Viện kiểm sát nhân dân', 'field'], ['Công an', 'field'], ['Bộ Chỉ huy Quân sự', 'field'], ['Ban Chỉ huy Quân sự', 'field'],
  ['Văn phòng', 'field'], ['Thanh tra', 'field'], ['Tổng cục', 'field'], ['Chi cục', 'field'], ['Cục', 'field'], ['Bộ', 'field'], ['Sở', 'field'],
  ['Phòng', 'field'], ['Vụ', 'field'], ['Ban', 'field'], ['Viện', 'field'], ['Trung tâm', 'field'], ['Chi nhánh', 'field'], ['Bệnh viện', 'field'],
  ['Trường Trung học phổ thông', 'name'], ['Trường Trung học cơ sở', 'name'], ['Trường Tiểu học', 'name'], ['Trường Mầm non', 'name'],
  ['Trường Đại học', 'name'], ['Trường Cao đẳng', 'name'], ['Trường', 'field'], ['Tỉnh ủy', 'name'], ['Thành ủy', 'name'], ['Huyện ủy', 'name'], ['Đảng ủy', 'field'],
  ['thành phố', 'place'], ['thị trấn', 'place'], ['thị xã', 'place'], ['khu vực', 'place'], ['tỉnh', 'place'], ['huyện', 'place'], ['quận', 'place'],
  ['phường', 'place'], ['xã', 'place'],
];
const lower = (w: string) => w.normalize('NFC').toLocaleLowerCase('vi');
const capital = (w: string) => (w ? w.charAt(0).toLocaleUpperCase('vi') + lower(w.slice(1)) : w);
// a word compared with the table: in small letters, the tone mark where ND 30 puts it («UỶ», «HOÀ» as «ủy», «hòa»);
// not folded — «VŨ QUANG» is no «Vụ», «SƠN» no «Sở»
const wordKey = (w: string) => lower(w).replace(/[^\p{L}\d]/gu, '').replace(/u([ỷýỳỹỵ])/g, (_, y: string) => `${{ ỷ: 'ủ', ý: 'ú', ỳ: 'ù', ỹ: 'ũ', ỵ: 'ụ' }[y] ?? 'u'}y`)
  .replace(/o([àáảãạ])/g, (_, a: string) => `${{ à: 'ò', á: 'ó', ả: 'ỏ', ã: 'õ', ạ: 'ọ' }[a] ?? 'o'}a`);
const PHRASES = WORDS.map(([text, mode]) => ({ text, mode, keys: text.split(' ').map(wordKey) })).sort((a, b) => b.keys.length - a.keys.length);
const ROMAN = /^(X{0,3})(IX|IV|V?I{0,3})$/;
// a place word that is a field word here («Lao động - Thương binh và Xã hội»)
const NOT_PLACE = new Set(['xã hội']);

// a kind of agency in one word («SỞ», «VỤ», «BAN») only begins the name or follows another kind («NỘI VỤ» is a field)
function phraseAt(keys: readonly string[], i: number, isNameStart: boolean) {
  return PHRASES.find((p) => p.keys.every((k, j) => keys[i + j] === k)
    && (p.mode === 'place' ? !NOT_PLACE.has(keys.slice(i, i + 2).join(' ')) : p.keys.length > 1 || isNameStart));
}

/**
 * An agency's name printed in capitals («SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH NGHỆ AN») written as ND 30 writes it
 * («Sở Tài nguyên và Môi trường tỉnh Nghệ An»): the kind of agency as the table has it, a place capitalised word by
 * word, Roman numerals kept. A name not in capitals is returned as it is (someone wrote it already).
 */
export function agencyNameCase(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.some((w) => /\p{Ll}/u.test(w))) return name.trim();
  const keys = words.map(wordKey);
  const out: string[] = [];
  let mode: Mode = 'field';
  let partStart = true;
  let afterKind = true;
  let isRegion = false;
  for (let i = 0; i < words.length;) {
    const phrase = phraseAt(keys, i, afterKind);
    afterKind = !!phrase && phrase.mode !== 'place';
    if (phrase) {
      isRegion = phrase.text === 'khu vực';
      // the table's words take the printed ones' place; the first word of the name is always a capital
      out.push(...phrase.text.split(' ').map((w, j) => (out.length === 0 && j === 0 ? capital(w) : w)));
      mode = phrase.mode;
      partStart = true;
      i += phrase.keys.length;
      continue;
    }
    const word = words[i] ?? '';
    const isJoin = keys[i] === 'và' || /^[-,–]+$/.test(word);
    // «KHU VỰC XIHI»: what OCR made of a Roman numeral stays as printed for the clerk to put right
    if ((ROMAN.test(word.replace(/[.,]$/, '')) || (isRegion && /^[IVXLH]+$/.test(word))) && !isJoin) out.push(word);
    else if (isJoin) out.push(lower(word));
    else if (mode === 'field') out.push(partStart ? capital(word) : lower(word));
    else out.push(capital(word));
    partStart = isJoin || word.endsWith(',');
    i += 1;
  }
  return out.join(' ');
}
