import { describe, expect, test } from 'vitest';
import { agencyNameCase, editSimilarity, matchSender, MATCH_THRESHOLD, senderKey, similarity, type SenderCandidate } from './incoming.sender-name.ts';

describe('an agency name printed in capitals written as ND 30 writes it', () => {
  test.each([
    ['ỦY BAN NHÂN DÂN XÃ SƠN TÂY', 'Ủy ban nhân dân xã Sơn Tây'],
    ['UỶ BAN NHÂN DÂN HUYỆN HƯƠNG SƠN', 'Ủy ban nhân dân huyện Hương Sơn'],
    ['ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH', 'Ủy ban nhân dân tỉnh Hà Tĩnh'],
    ['ỦY BAN NHÂN DÂN THÀNH PHỐ VINH', 'Ủy ban nhân dân thành phố Vinh'],
    ['ỦY BAN NHÂN DÂN THỊ XÃ HỒNG LĨNH', 'Ủy ban nhân dân thị xã Hồng Lĩnh'],
    ['ỦY BAN NHÂN DÂN PHƯỜNG BẾN THỦY', 'Ủy ban nhân dân phường Bến Thủy'],
    ['ỦY BAN NHÂN DÂN THỊ TRẤN PHỐ CHÂU', 'Ủy ban nhân dân thị trấn Phố Châu'],
    ['HỘI ĐỒNG NHÂN DÂN QUẬN BA ĐÌNH', 'Hội đồng nhân dân quận Ba Đình'],
    ['SỞ NỘI VỤ', 'Sở Nội vụ'],
    ['SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG', 'Sở Tài nguyên và Môi trường'],
    ['SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH NGHỆ AN', 'Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An'],
    ['SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH', 'Sở Văn hóa, Thể thao và Du lịch'],
    ['BỘ TÀI CHÍNH', 'Bộ Tài chính'],
    ['BỘ CÔNG AN', 'Bộ Công an'],
    ['PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN HƯƠNG SƠN', 'Phòng Giáo dục và Đào tạo huyện Hương Sơn'],
    ['PHÒNG TÀI CHÍNH - KẾ HOẠCH', 'Phòng Tài chính - Kế hoạch'],
    ['KHO BẠC NHÀ NƯỚC KHU VỰC XIII', 'Kho bạc Nhà nước khu vực XIII'],
    ['KHO BẠC NHÀ NƯỚC KHU VỰC XIHI', 'Kho bạc Nhà nước khu vực XIHI'],
    ['CỤC THUẾ TỈNH HÀ TĨNH', 'Cục Thuế tỉnh Hà Tĩnh'],
    ['CHI CỤC THUẾ KHU VỰC HƯƠNG SƠN - VŨ QUANG', 'Chi cục Thuế khu vực Hương Sơn - Vũ Quang'],
    ['BỆNH VIỆN ĐA KHOA TỈNH HÀ TĨNH', 'Bệnh viện Đa khoa tỉnh Hà Tĩnh'],
    ['TRƯỜNG TRUNG HỌC PHỔ THÔNG PHAN ĐÌNH PHÙNG', 'Trường Trung học phổ thông Phan Đình Phùng'],
    ['BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN', 'Bảo hiểm xã hội tỉnh Nghệ An'],
    ['VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH', 'Văn phòng Ủy ban nhân dân tỉnh'],
    ['CÔNG AN TỈNH HÀ TĨNH', 'Công an tỉnh Hà Tĩnh'],
    ['TỈNH ỦY HÀ TĨNH', 'Tỉnh ủy Hà Tĩnh'],
  ])('%s → %s', (printed, written) => {
    expect(agencyNameCase(printed)).toBe(written);
  });

  test('a name someone wrote already (small letters in it) is left as it is', () => {
    expect(agencyNameCase('  Sở Nội vụ tỉnh Hà Tĩnh ')).toBe('Sở Nội vụ tỉnh Hà Tĩnh');
    expect(agencyNameCase('')).toBe('');
  });
});

describe('the sender OCR read matched to a name vanthu knows', () => {
  test('names are compared without diacritics, case, punctuation and abbreviations', () => {
    expect(senderKey('UBND  tỉnh Hà Tĩnh.')).toBe('uy ban nhan dan tinh ha tinh');
    expect(similarity(senderKey('SỞ TÀI NGUYÊN VÀ MỖI TRƯỜN G'), senderKey('Sở Tài nguyên và Môi trường'))).toBe(1);
    expect(similarity('', '')).toBe(0);
  });

  const directory: SenderCandidate[] = [
    { name: 'Sở Nội vụ tỉnh Hà Tĩnh', code: '000.00.05.H23', context: 'Ủy ban nhân dân tỉnh Hà Tĩnh' },
    { name: 'Sở Nội vụ tỉnh Nghệ An', code: '000.00.05.H40', context: 'Ủy ban nhân dân tỉnh Nghệ An' },
    { name: 'Sở Tài chính tỉnh Hà Tĩnh', code: '000.00.06.H23', context: 'Ủy ban nhân dân tỉnh Hà Tĩnh' },
    { name: 'Ủy ban nhân dân xã Sơn Tây', code: '000.31.20.H23', context: 'Ủy ban nhân dân huyện Hương Sơn' },
    { name: 'Ủy ban nhân dân xã Sơn Tây', code: '000.25.18.H40', context: 'Ủy ban nhân dân huyện Quỳnh Lưu' },
  ];

  test.each([
    ['SỞ NỘI VỤ', 'UBND TỈNH HÀ TĨNH', '000.00.05.H23'],
    ['SỞNỘI VỤ', 'UBND TỈNH NGHỆ AN', '000.00.05.H40'],
    ['ỦY BAN NHÂN DÂN XÃ SƠN TÂY', 'UBND HUYỆN HƯƠNG SƠN', '000.31.20.H23'],
    ['ỦY BAN NHẬN DẪN XÃ SƠN TẤY', 'UBND HUYỆN QUỲNH LƯU', '000.25.18.H40'],
  ])('«%s» under «%s» is %s', (issuer, governing, code) => {
    expect(matchSender(issuer, governing, directory)).toMatchObject({ code });
  });

  test('the same name with no governing line to tell them apart, or under a body none has, is no match', () => {
    expect(matchSender('SỞ NỘI VỤ', '', directory)).toBeNull();
    expect(matchSender('ỦY BAN NHÂN DÂN XÃ SƠN TÂY', '', directory)).toBeNull();
    expect(matchSender('SỞ NỘI VỤ', 'UBND TỈNH QUẢNG BÌNH', directory)).toBeNull();
  });

  test('a Roman numeral OCR misread is the region it is nearest to, counting I read as H a half slip', () => {
    const regions = ['XI', 'XII', 'XIII', 'XIV'].map((n, i) => ({ name: `Kho bạc Nhà nước khu vực ${n}`, code: `000.00.0${i}.G12`, context: 'Kho bạc Nhà nước' }));
    expect(matchSender('KHO BẠC NHÀ NƯỚC KHU VỰC XIHI', 'BỘ TÀI CHÍNH', regions)).toMatchObject({ name: 'Kho bạc Nhà nước khu vực XIII', code: '000.00.02.G12' });
    expect(editSimilarity('xihi', 'xiii')).toBe(0.875);
    expect(editSimilarity('xihi', 'xii')).toBe(0.75);
  });

  test('another commune of a like name, or a body of another kind with the same field, is no match', () => {
    expect(matchSender('ỦY BAN NHÂN DÂN XÃ SƠN TÂY', 'UBND HUYỆN HƯƠNG SƠN', [{ name: 'Ủy ban nhân dân xã Sơn Tiến', code: '000.31.21.H23', context: 'Ủy ban nhân dân huyện Hương Sơn' }])).toBeNull();
    expect(matchSender('PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG', 'UBND HUYỆN HƯƠNG SƠN', [{ name: 'Sở Tài nguyên và Môi trường', code: '000.00.09.H23', context: '' }])).toBeNull();
    expect(matchSender('SỞ TÀI NGUYÊN VÀ MỖI TRƯỜN G', 'UBND TỈNH NGHỆ AN', [{ name: 'Sở Tài nguyên và Môi trường tỉnh Nghệ An', code: '000.00.09.H40', context: '' }]))
      .toMatchObject({ code: '000.00.09.H40', score: 1 });
  });

  test('another agency of the same kind is no match, and scores under the threshold', () => {
    const others = directory.filter((c) => c.code !== '000.00.06.H23');
    expect(matchSender('SỞ TÀI CHÍNH', 'UBND TỈNH HÀ TĨNH', others)).toBeNull();
    expect(matchSender('SỞ NỘI VỤ', 'UBND TỈNH HÀ TĨNH', directory.filter((c) => c.code === '000.00.05.H40'))?.score ?? 0).toBeLessThan(MATCH_THRESHOLD);
    expect(matchSender('SỞ', '', directory)).toBeNull();
  });
});
