import { describe, expect, test } from 'vitest';
import { toneVariants } from './tone-variants.ts';

describe('the two ways a Vietnamese search word may carry its tone mark', () => {
  test('«oa», «oe» and «uy» at the end of a syllable: the mark on either vowel gives the other way', () => {
    expect(toneVariants('hoà')).toEqual(['hoà', 'hòa']);
    expect(toneVariants('hòa')).toEqual(['hòa', 'hoà']);
    expect(toneVariants('hoá')).toEqual(['hoá', 'hóa']);
    expect(toneVariants('khoẻ')).toEqual(['khoẻ', 'khỏe']);
    expect(toneVariants('thủy')).toEqual(['thủy', 'thuỷ']);
    expect(toneVariants('lũy')).toEqual(['lũy', 'luỹ']);
    expect(toneVariants('hoạ')).toEqual(['hoạ', 'họa']);
    // «Ủy ban» / «Uỷ ban»
    expect(toneVariants('ủy')).toEqual(['ủy', 'uỷ']);
  });

  test('a syllable written one way only keeps it', () => {
    for (const word of ['hoàng', 'toán', 'quý', 'thuế', 'hoa', 'tuy', 'của', 'mùa', 'thái', '1187/skhcn-cđs']) expect(toneVariants(word)).toEqual([word]);
  });

  test('each syllable of a word joined by a dash moves its mark', () => {
    expect(toneVariants('hoà-bình')).toEqual(['hoà-bình', 'hòa-bình']);
  });
});
