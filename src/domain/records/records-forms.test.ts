import { describe, expect, test } from 'vitest';
import { numberInWords } from './records-forms.ts';

describe('a count in words, for the mục lục\'s «Viết bằng chữ» (ND 30 Phụ lục V mục III)', () => {
  test.each([
    [0, 'không'], [1, 'một'], [2, 'hai'], [10, 'mười'], [15, 'mười lăm'], [21, 'hai mươi mốt'], [24, 'hai mươi tư'], [55, 'năm mươi lăm'],
    [105, 'một trăm linh năm'], [110, 'một trăm mười'], [1000, 'một nghìn'], [1005, 'một nghìn không trăm linh năm'], [2024, 'hai nghìn không trăm hai mươi tư'],
    [1_000_001, 'một triệu không trăm linh một'],
  ])('%i reads «%s»', (n, words) => {
    expect(numberInWords(n)).toBe(words);
  });
});
