/**
 * Vietnamese is typed with the tone mark in two places on the syllables ending in «oa», «oe» and «uy»: «hòa» / «hoà»,
 * «khỏe» / «khoẻ», «thủy» / «thuỷ», «hóa» / «hoá» — the old and the new style, both in daily use (Unikey offers either,
 * and documents print either). The words are the same, so a search for one must find the other.
 */
const TONE = '[\u0300\u0301\u0303\u0309\u0323]';
// the last two vowels of a syllable with no final consonant, the tone on either: o+a, o+e, u+y (not «qu»+y, where u is a consonant)
const SYLLABLE_END = new RegExp(`(?<!q)(o|u)(${TONE}?)(a|e|y)(${TONE}?)$`, 'u');

/** The syllable with its tone mark on the other vowel, when it is one of those; else the syllable itself. */
function otherStyle(syllable: string): string {
  const d = syllable.normalize('NFD');
  const m = SYLLABLE_END.exec(d);
  if (!m) return syllable;
  const [, first = '', onFirst = '', second = '', onSecond = ''] = m;
  if (!onFirst === !onSecond) return syllable; // no tone, or (never) two
  if ((first === 'u') !== (second === 'y')) return syllable; // «ua», «ue», «oy» are not these syllables
  return (d.slice(0, m.index) + first + onSecond + second + onFirst).normalize('NFC');
}

/**
 * The ways a search word may be written, itself first: «hoà» → ['hoà', 'hòa'], «thủy» → ['thủy', 'thuỷ'],
 * «hoàng» (a final consonant: one way only) → ['hoàng']. Each syllable of a word written with dashes or dots
 * («hoà-bình») moves its mark; lower-case NFC in, as normalizeSearch gives.
 */
export function toneVariants(word: string): string[] {
  const other = word.replace(/[\p{L}\p{M}]+/gu, otherStyle);
  return other === word ? [word] : [word, other];
}
