/**
 * The order of a list of people in Vietnamese: by the given name (tên, the last word), then by the family and
 * middle names (họ và tên đệm, as written), each in the Vietnamese alphabet
 * a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z),
 * with the tone marks as a secondary difference — unmarked, huyền, hỏi, ngã, sắc, nặng — and lowercase before
 * uppercase as a tertiary one. This is CLDR's collation for «vi» (common/collation/vi.xml, standard:
 * `&̀<<̉<<̃<<́<<̣ &a<ă<â &d<đ &e<ê &o<ô<ơ &u<ư`, the order Vietnamese dictionaries use), which
 * Intl.Collator('vi') follows; the tests check the key against it.
 *
 * PGlite has no ICU collations and PostgreSQL's depend on the server's locale, so the order is a key computed
 * here and stored (app_user.name_sort_key, `collate "C"`): comparing two keys byte by byte orders the names as
 * above, and limit/offset paging stays in SQL.
 */

/** Letters written with a mark that makes another letter of the alphabet (ă â đ ê ô ơ ư), by base and mark. */
const MODIFIED: Record<string, string> = {
  'a\u0306': '{', 'a\u0302': '|', // ă, â
  'e\u0302': '|', // ê
  'o\u0302': '|', 'o\u031B': '}', // ô, ơ
  'u\u031B': '}', // ư
};
/** The tone marks in the order of their secondary weight (CLDR vi: grave < hook above < tilde < acute < dot below). */
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const LETTER_MARKS = new Set(['\u0306', '\u0302', '\u031B']);
const COMBINING = /\p{M}/u;

// The key's symbols, in ascending byte order: ' ' ends a level, '-' is a space between words, then digits
// and letters (a Vietnamese letter is its base letter followed by '{', '|' or '}', all above 'z': «ă» sorts
// after every «a…» and before «â»); letters of other scripts keep their own code point, above all of these.
const LEVEL_END = ' ';
const WORD_BREAK = '-';

type Levels = { primary: string; secondary: string; tertiary: string };

/** The three levels of one part of a name (the tên, or the họ and tên đệm). */
function levelsOf(part: string): Levels {
  const levels: Levels = { primary: '', secondary: '', tertiary: '' };
  const chars = [...part.normalize('NFD')];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    const marks: string[] = [];
    while (i + 1 < chars.length && COMBINING.test(chars[i + 1] ?? '')) marks.push(chars[++i] ?? '');
    if (/\s/u.test(char)) {
      if (!levels.primary.endsWith(WORD_BREAK)) levels.primary += WORD_BREAK;
      continue;
    }
    if (/[0-9]/.test(char)) {
      levels.primary += char;
      continue;
    }
    if (!/\p{L}/u.test(char)) continue; // punctuation (a hyphen, a dot) does not order a name
    const lower = char.toLowerCase();
    const letterMark = marks.find((m) => LETTER_MARKS.has(m));
    levels.primary += lower === 'đ' ? 'd{' : lower + (letterMark ? (MODIFIED[lower + letterMark] ?? '') : '');
    levels.secondary += String(TONES.findIndex((t) => marks.includes(t)) + 1);
    levels.tertiary += char === lower ? '0' : '1';
  }
  return levels;
}

/**
 * The key that orders people's names in Vietnamese (see above), from the name as typed (NFC or decomposed,
 * any case, extra spaces). Every write of app_user.full_name stores it in app_user.name_sort_key.
 */
export function nameSortKey(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/u);
  const given = levelsOf(words.at(-1) ?? '');
  const family = levelsOf(words.slice(0, -1).join(' '));
  return [given.primary, given.secondary, given.tertiary, family.primary, family.secondary, family.tertiary].join(LEVEL_END);
}
