import { expect, test } from 'vitest';
import { headerFirstText, parseBboxPages, type PageWord } from './incoming.ocr-layout.ts';

const WIDTH = 595;

/** Words laid out as tesseract boxes them: each line's words from `x`, 16 pt high, the page turned `tilt` pt per 100 pt to the right. */
function line(text: string, x: number, y: number, tilt = 0): PageWord[] {
  let at = x;
  return text.split(' ').map((word) => {
    const w = { xMin: at, xMax: at + word.length * 7, yMin: y - (at * tilt) / 100, yMax: y + 16 - (at * tilt) / 100, text: word };
    at = w.xMax + 4;
    return w;
  });
}

const header = (tilt: number) => [
  ...line('UBND HUYỆN HƯƠNG SƠN', 70, 30, tilt), ...line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 280, 28, tilt),
  ...line('ỦY BAN NHÂN DÂN', 80, 46, tilt), ...line('Độc lập - Tự do - Hạnh phúc', 330, 44, tilt),
  ...line('XÃ SƠN TÂY', 100, 62, tilt),
  ...line('Số: 127/UBND-VP', 90, 86, tilt), ...line('Sơn Tây, ngày 05 tháng 3 năm 2026', 310, 84, tilt),
  ...line('V/v đôn đốc thu nộp thuế', 75, 102, tilt),
  // a speck between the columns read as a word
  ...line('Vu', 255, 86, tilt),
  ...line('Kính gửi: Chi cục Thuế khu vực Hương Sơn.', 150, 130, tilt),
  ...line('Thực hiện Luật Thuế sử dụng đất phi nông nghiệp và hướng dẫn của Chi cục', 90, 150, tilt),
  ...line('Thuế, Ủy ban nhân dân xã đã triển khai thu nộp thuế năm 2026 trên địa bàn.', 60, 166, tilt),
];

test('a two-column header is read left column first — issuer, «Số:», «V/v» — then the motto and the date, then the page; a page scanned a degree askew too, and a speck between the columns does not end the header', () => {
  for (const tilt of [0, 1.7, -1.7]) {
    const text = headerFirstText({ width: WIDTH, words: header(tilt) }) ?? '';
    // every word is kept, the speck on the side it falls
    expect(text.match(/\bVu\b/g)).toHaveLength(1);
    expect(text.replace(/ ?\bVu\b ?/, (m) => (m.length > 3 ? ' ' : '')).split('\n')).toEqual([
      'UBND HUYỆN HƯƠNG SƠN', 'ỦY BAN NHÂN DÂN', 'XÃ SƠN TÂY', 'Số: 127/UBND-VP', 'V/v đôn đốc thu nộp thuế',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Sơn Tây, ngày 05 tháng 3 năm 2026',
      'Kính gửi: Chi cục Thuế khu vực Hương Sơn.', 'Thực hiện Luật Thuế sử dụng đất phi nông nghiệp và hướng dẫn của Chi cục',
      'Thuế, Ủy ban nhân dân xã đã triển khai thu nộp thuế năm 2026 trên địa bàn.',
    ]);
  }
});

test('a page without a two-column header — a letter in one column, a header of one column only — is left as pdftotext reads it', () => {
  const letter = [...line('CÔNG VĂN', 60, 30), ...line('Về việc phòng chống dịch bệnh cúm gia cầm năm 2026 của huyện', 60, 60), ...line('Ủy ban nhân dân huyện Bình Minh đề nghị các xã rà soát đàn gia cầm', 60, 90)];
  expect(headerFirstText({ width: WIDTH, words: letter })).toBeNull();
  const leftOnly = [...line('ỦY BAN NHÂN DÂN', 80, 30), ...line('XÃ TÂN LẬP', 100, 46), ...line('Số: 15/UBND', 95, 62), ...line('Thực hiện kế hoạch công tác năm 2026, Ủy ban nhân dân xã đề nghị', 60, 100), ...line('các thôn rà soát và báo cáo kết quả trước ngày 20 tháng 12 năm 2026.', 60, 116)];
  expect(headerFirstText({ width: WIDTH, words: leftOnly })).toBeNull();
  expect(headerFirstText({ width: WIDTH, words: [] })).toBeNull();
});

test('the words of pdftotext -bbox are read with their boxes and their text unescaped', () => {
  const xhtml = '<doc>\n  <page width="595.440000" height="842.040000">\n    <word xMin="64.8" yMin="32.0" xMax="99.6" yMax="48.2">Số:</word>\n'
    + '    <word xMin="101" yMin="32" xMax="140" yMax="48">&quot;A&amp;B&quot;</word>\n  </page>\n  <page width="595.44" height="842.04">\n  </page>\n</doc>';
  expect(parseBboxPages(xhtml)).toEqual([
    { width: 595.44, words: [{ xMin: 64.8, yMin: 32, xMax: 99.6, yMax: 48.2, text: 'Số:' }, { xMin: 101, yMin: 32, xMax: 140, yMax: 48, text: '"A&B"' }] },
    { width: 595.44, words: [] },
  ]);
});
