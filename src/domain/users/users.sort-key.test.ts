import { describe, expect, test } from 'vitest';
import { nameSortKey } from './users.sort-key.ts';

/** Orders names by their keys byte by byte, as PostgreSQL and PGlite do with `collate "C"`. */
const byKey = (names: string[]) => [...names].sort((a, b) => Buffer.compare(Buffer.from(nameSortKey(a)), Buffer.from(nameSortKey(b))));

/** An independent order: ICU's Vietnamese collation (CLDR vi) of the tên, then of the họ and tên đệm. */
const vi = new Intl.Collator('vi');
const givenName = (n: string) => n.normalize('NFC').trim().split(/\s+/u).at(-1) ?? '';
const familyNames = (n: string) => n.normalize('NFC').trim().split(/\s+/u).slice(0, -1).join(' ');
const byIcu = (names: string[]) => [...names].sort((a, b) => vi.compare(givenName(a), givenName(b)) || vi.compare(familyNames(a), familyNames(b)));

const PEOPLE = [
  'Vũ Thị Lan', 'Đỗ Văn Hùng', 'Đặng Thị Hồng', 'Dương Văn Hùng', 'Nguyễn Văn An', 'Lê Thị Ân', 'Trần Văn Ấn',
  'Phạm Thị Anh', 'Hoàng Văn Anh', 'Bùi Thị Ánh', 'Ngô Ánh', 'Lý Văn Bình', 'Đinh Thị Bình', 'Tạ Văn Ưng',
  'Mai Thị Ứng', 'Hà Văn Út', 'Trịnh Thị Yến', 'Võ Thị Yến', 'Lương Văn Đạt', 'Cao Văn Dũng', 'Châu Thị Dung',
  'Âu Thị Duyên', 'Ông Văn Ơn', 'Quách Thị Oanh', 'Kiều Văn Ô', 'Nguyễn Thị Thủy', 'Lê Thị Thuỷ', 'Phan Thị Thùy',
  'Tô Thị Thúy', 'Huỳnh Văn Thụy', 'Nguyễn Văn Hải', 'Nguyễn Văn Hài', 'Nguyễn Văn Hãi', 'Nguyễn Văn Hái',
  'Nguyễn Văn Hại', 'Nguyễn Văn Hai', 'Giang Văn Gấm', 'Đoàn Hữu Đức', 'Doãn Văn Đức', 'Ưng Văn Đức', 'Ứng Thị Đức',
  'Bạch Văn Thành 2', 'Bạch Văn Thành', 'Yên', 'Hùng',
  // lowercase, capitals and decomposed input (Unikey's «Unicode tổ hợp»)
  'đỗ văn hùng', 'ĐỖ VĂN HÙNG', 'Đo\u0302\u0303 Va\u0306n Hu\u0300ng', 'tran thi yen', 'Tră\u0300n Thi\u0323 Yê\u0301n',
];

describe('people are ordered as a Vietnamese list is: by tên, then họ and tên đệm, in the Vietnamese alphabet', () => {
  test('the key orders real-looking names as ICU\'s Vietnamese collation does', () => {
    expect(byKey(PEOPLE)).toEqual(byIcu(PEOPLE));
  });

  test('the key agrees with ICU on many names made of common họ, tên đệm and tên, in any case and Unicode form', () => {
    const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Âu', 'Ông', 'Ứng', 'Ưng'];
    const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Xuân', 'Thu', ''];
    const GIVEN = ['An', 'Ân', 'Ấn', 'Anh', 'Ánh', 'Ảnh', 'Bình', 'Dũng', 'Dung', 'Đạt', 'Hà', 'Hạ', 'Hải', 'Hài', 'Hùng', 'Hưng', 'Hương', 'Lan', 'Loan', 'Ơn', 'Ưng', 'Ứng', 'Út', 'Uyên', 'Yến', 'Yên', 'Thủy', 'Thuỷ', 'Thúy'];
    let seed = 7;
    const pick = <T,>(list: T[]) => list[(seed = (seed * 1103515245 + 12345) % 2147483648) % list.length] as T;
    const forms = [(n: string) => n, (n: string) => n.toLowerCase(), (n: string) => n.toUpperCase(), (n: string) => n.normalize('NFD')];
    const names = Array.from({ length: 600 }, () => pick(forms)([pick(FAMILY), pick(MIDDLE), pick(GIVEN)].filter(Boolean).join(' ')));
    const nfc = (list: string[]) => list.map((n) => n.normalize('NFC'));
    expect(nfc(byKey(names))).toEqual(nfc(byIcu(names)));
  });

  test('Đ comes after D, and «Đỗ Văn Hùng» before «Vũ Thị Lan» (by tên: Hùng before Lan)', () => {
    expect(byKey(['Vũ Thị Lan', 'Đỗ Văn Hùng', 'Dương Văn Hùng'])).toEqual(['Dương Văn Hùng', 'Đỗ Văn Hùng', 'Vũ Thị Lan']);
    expect(byKey(['Lê Văn Đạt', 'Lê Văn Dũng', 'Lê Văn Dương'])).toEqual(['Lê Văn Dũng', 'Lê Văn Dương', 'Lê Văn Đạt']);
  });

  test('a ă â, o ô ơ and u ư are letters of their own; the tone only decides between the same letters', () => {
    expect(byKey(['Út', 'Ứng', 'Ưng', 'Yến', 'Ấn', 'Anh', 'Ân', 'Ánh', 'Ăn'].map((n) => `Lê ${n}`)))
      .toEqual(['Anh', 'Ánh', 'Ăn', 'Ân', 'Ấn', 'Út', 'Ưng', 'Ứng', 'Yến'].map((n) => `Lê ${n}`));
  });

  test('the tones follow: none, huyền, hỏi, ngã, sắc, nặng', () => {
    expect(byKey(['Hạ', 'Há', 'Hã', 'Hả', 'Hà', 'Ha'])).toEqual(['Ha', 'Hà', 'Hả', 'Hã', 'Há', 'Hạ']);
  });

  test('people with the same tên are ordered by họ, then tên đệm', () => {
    expect(byKey(['Trần Thị Bình', 'Đinh Văn Bình', 'Đinh Thị Bình', 'Lý Bình'])).toEqual(['Đinh Thị Bình', 'Đinh Văn Bình', 'Lý Bình', 'Trần Thị Bình']);
  });

  test('a name typed in lowercase, in capitals, with extra spaces or in decomposed Unicode sits with the same name typed normally', () => {
    const composed = nameSortKey('Đỗ Văn Hùng');
    const key = (n: string) => nameSortKey(n).split(' ').filter((_, i) => i !== 2 && i !== 5).join(' '); // without the case level
    expect(nameSortKey('Đo\u0302\u0303 Va\u0306n Hu\u0300ng')).toBe(composed);
    expect(nameSortKey('  Đỗ   Văn Hùng ')).toBe(composed);
    expect([key('đỗ văn hùng'), key('ĐỖ VĂN HÙNG')]).toEqual([key('Đỗ Văn Hùng'), key('Đỗ Văn Hùng')]);
    expect(byKey(['ĐỖ VĂN HÙNG', 'Đỗ Văn Hùng', 'đỗ văn hùng'])).toEqual(['đỗ văn hùng', 'Đỗ Văn Hùng', 'ĐỖ VĂN HÙNG']);
  });
});
