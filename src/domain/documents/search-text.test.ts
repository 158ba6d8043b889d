import { describe, expect, test } from 'vitest';
import { codeWords, indexedText, normalizeSearch } from './search-text.ts';

describe('the search text of a document', () => {
  test('holds its words as written and again without diacritics, so «chuyen doi so» finds «Chuyển đổi số»', () => {
    expect(indexedText(['Về việc Chuyển đổi số'])).toBe('về việc chuyển đổi số ve viec chuyen doi so');
  });

  test('a text without diacritics is kept once', () => {
    expect(indexedText(['UBND', null, 'ke hoach'])).toBe('ubnd ke hoach');
  });

  test('what the user types reads as the stored text: NFC, lower case, single spaces', () => {
    expect(normalizeSearch('  CHUYỂN   Đổi ')).toBe('chuyển đổi');
    expect(normalizeSearch('Chuye\u0302\u0309n')).toBe('chuyển');
  });

  test('a số/ký hiệu is indexed whole and in parts, each way its number is written', () => {
    expect(codeWords(['07', '7'], 'UBND-VP')).toEqual(['07/UBND-VP', '07', '7', 'UBND-VP', 'UBND VP']);
    expect(codeWords([undefined], 'QĐ-UBND')).toEqual(['QĐ-UBND', 'QĐ-UBND', 'QĐ UBND']);
    expect(codeWords([], null)).toEqual([]);
  });
});
