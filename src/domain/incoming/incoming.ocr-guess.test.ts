import { describe, expect, test } from 'vitest';
import { guessFromOcr } from './incoming.ocr-guess.ts';

// What ocrmypdf + tesseract (vie) and pdftotext gave for a scanned công văn, noise included.
const CONG_VAN = '._\n\nUBND HUYỆN HƯƠNG SƠN\n\n_\n\nPHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 214/TNMT-ĐĐ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n'
  + 'Độc lập - Tự do - Hạnh phúc.\nHương Sơn, ngày 02 tháng 12 năm 2026\n\n\'Về việc rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất năm 2026\n'
  + 'Kính gửi: Ủy ban nhân dân các xã, thị trấn.\nThực hiện kế hoạch công tác năm 2026, Phòng Tài nguyên và Môi trường đề nghị Ủy ban nhân dân các xã,\n'
  + 'thị trấn khẩn trương rà soát toàn bộ hồ sơ còn tồn đọng và báo cáo kết quả về Phòng trước ngày 20 tháng 12 năm 2026.\n\n'
  + 'Đề nghị các đơn vị quan tâm phối hợp thực hiện./.\nTRƯỞNG PHÒNG\n\nTrần Thị Hoa\n\n\f';

// A decision whose two header columns came out on the same lines, signed on behalf of the chairman.
const QUYET_DINH = 'ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ TÂN LẬP Độc lập - Tự do - Hạnh phúc\n'
  + 'Số: 15/QĐ-UBND Tân Lập, ngày 5 tháng 3 năm 2026\n\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\nchuyển đổi số\n\n'
  + 'CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN LẬP\nCăn cứ Luật Tổ chức chính quyền địa phương;\nQuyết định này có hiệu lực kể từ ngày ký./.\n'
  + 'Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Tám\n';

// What the real OCR path (ocrmypdf + tesseract vie, header read column by column) gave for four documents
// typed in the layout of Nghị định 30, printed, scanned a degree askew at 200 dpi, specked and saved as JPEG.
const SCANNED_CONG_VAN = '-UBND HUYỆN HƯƠNG SƠN: `\n_ỦY BANNHẬN DẪN `.\nXÃ SƠN TÂY\n- Số: 127/UBND- VP\' "¬ Vu\n-Vw đôn. đốc thu nộp thuế sử dũng\n:\n'
  + 'tiệt, phí BỐNg nghiệp năm 2026. si\n. CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n- - ` Độc lập- Từ) do- Hạnh Nhúc.\n_ :\nyẾP Sơn Tây, Hgày 0š thẳng 3 năm 2026.\n'
  + '-Kính Lời Chỉc cục - Thuế khu vực Hương Sơn - Vũ Quang.\n\' “Thực hiện Luật Thuế sử dụng đất phủ nông nghiệp` và \'hướng dẫn của Chỉ. cục Thuế Ùy. ca\n'
  + '- bán nhân dần xã Sơn Tây đã triển khai thư nộp thuế năm. 2026 trên địa bàn: Đến hgày, 28: tháng :\n';
const SCANNED_QUYET_DINH = 'ˆUBND TỈNH HÀ TĨNH __..\nl _SỞNỘI VỤ, ¬\n-S6: 45/QB- SNV.\n- CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆTNAM\nĐộc lập - Tự dọ - Hạnh phúc .\n¬ ¬a.--\n'
  + ': Hà Tĩnh, ngày 12 tháng 1T năm 2026 -\'\n\'QUYẾT ĐỊNH \'\n_Về\' việc cử công chức tham gia lớp- bồi nhượng,\n-Mý năng số hóa tài liệu lưu trữ :\n'
  + '.GIẦM ĐỐC SỞ NỘI VỤ TÍNH HÀ TĨNH:\n\' Căn:cứ Nghị định số \'30/2020/N- CP Tgày: 05 tháng 3. năm 2020 của ‹ Chính phữv về Ê công\n'
  + '- Điều 2 Quyết định này có hiểu lựệ kể từ ngày ký ⁄\nKT. GIẢM ĐỐC\nNơi nhận. PHO GIẢM ĐỐC\n- Như Điều 2\n- ưu: VT, VP.\nTrân Quốc Đạt\n';
const SCANNED_TO_TRINH = 'UBND TỈNH NGHỆ \'AN-\n- SỞ TÀI NGUYÊN VÀ. MỖI\n_TRƯỜN G-\nSố 318/TTr -STNMT\n- CỘNG HÒA XÃ HỘI CHỦ NGHĨA: VIỆT "NAM.\nĐộc lập - -Tự do - Hạnh. phúc:\n1\n'
  + 'Duải An, ngày 21 tháng 10 nắm .2026\nTỜ TRÌNH\nVề việc. c phê duyệt kế hoạch sử dụng € đất năm 2027.\ncủa › Ruyện Nghỉ Lộc ˆ\n_ Kính gửi: Ủy ban nhận dân: tính Nghệ An;\n';
const SCANNED_THONG_BAO = '_ BỘ. TÀI CHÍNH X "\nKHO. ;BẠC NHÀ NƯỚC -. -.\n- KHU VỰCXIHI `\n.Số 09/TB KBNN_\n- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM `\n¬ \'Độc lập- Tự do - Hạnh phúc. " l\n'
  + '¬ - Vĩnh, ngày 02 tháng Ï2 năm 202 n Ầ\n__.-.- THỐNG BÁO :\n. . Lịch nghỉ Tết Dương lh hàn 2027\n'
  + 'N \'Kho bạc Nhà nước khu vực XI thông báo. lịch. nghỉ Tết Dương Tẩh: năm n 2027 như s Sau; \'\n- cán bộ, công chức được nghỉ từ ngày 01 Tháng 01 năm 2027.\n'
  + 'GIẦM ĐỐC\nN ơï nhận:\n- Các đơn vị giao dịch;\n- Lưu: .Ý Ép\nPhạm Thị Lan\n';

describe('reading the register fields off an OCR\'d scan', () => {
  test('a công văn gives its issuer, số and ký hiệu, the date of the place-date line (not one in the body), trích yếu and signer', () => {
    expect(guessFromOcr(CONG_VAN)).toEqual({
      issuerName: 'PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG', governingName: 'UBND HUYỆN HƯƠNG SƠN', number: '214', notation: 'TNMT-ĐĐ', documentDate: '2026-12-02', typeCode: 'cong_van',
      subject: 'Về việc rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất năm 2026', signerName: 'Trần Thị Hoa', signerPosition: 'Trưởng phòng',
      firstLine: 'UBND HUYỆN HƯƠNG SƠN',
    });
  });

  test('a decision gives its type from the heading, the trích yếu under it, and the deputy who signed on behalf (KT.); an issuer or a trích yếu printed over two lines is joined', () => {
    expect(guessFromOcr(QUYET_DINH)).toMatchObject({
      issuerName: 'ỦY BAN NHÂN DÂN XÃ TÂN LẬP',      number: '15', notation: 'QĐ-UBND', documentDate: '2026-03-05', typeCode: 'quyet_dinh',
      subject: 'Về việc thành lập Tổ công tác chuyển đổi số', signerName: 'Lê Văn Tám', signerPosition: 'Phó chủ tịch',
    });
  });

  test('the line under a trích yếu that starts in capitals is not part of it', () => {
    expect(guessFromOcr('CÔNG VĂN\nVề việc phòng chống bão lũ năm 2026\nỦy ban nhân dân huyện Bình Minh\n').subject).toBe('Về việc phòng chống bão lũ năm 2026');
  });

  test('an OCR slip in "Về việc" still gives the trích yếu: the line under the place-date line', () => {
    const slipped = 'PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 88/TNMT-ĐĐ\nHương Sơn, ngày 02 tháng 12 năm 2026\nVàề việc kiểm kê rừng năm 2026\n\nKính gửi: Ủy ban nhân dân các xã.\n';
    expect(guessFromOcr(slipped)).toMatchObject({ subject: 'Vàề việc kiểm kê rừng năm 2026', typeCode: 'cong_van' });
  });

  test('text that is not an administrative document gives empty fields and its first line, never a wrong date', () => {
    expect(guessFromOcr('Biên lai thu tiền\nngày 31 tháng 2 năm 2026\n')).toEqual({
      issuerName: '', governingName: '', number: '', notation: '', documentDate: null, typeCode: null, subject: '', signerName: '', signerPosition: '', firstLine: 'Biên lai thu tiền',
    });
    expect(guessFromOcr('').firstLine).toBe('');
  });

  test('the mojibake of a text layer without Unicode mapping is no first line (the list then says "Văn bản giấy chưa vào sổ")', () => {
    expect(guessFromOcr('\u202b\u0003<ې\u202c%$1\u00031+1\u0003\'1\u00037\u202bڲ\u202c1+\u00037+,\u0003+$\n1+7ڤ(1 7\'%$1\n').firstLine).toBe('');
  });

  test.each([
    ['a công văn: the commune under the district is its issuer and the district its governing body (ô 1) with its name put right («ỦY BANNHẬN DẪN»), «Số: 127/UBND- VP» gives 127 and UBND-VP, «Hgày 0š thẳng 3» the 5th of March, «Vw» the V/v trích yếu', SCANNED_CONG_VAN, {
      issuerName: 'ỦY BAN NHÂN DÂN XÃ SƠN TÂY', governingName: 'UBND HUYỆN HƯƠNG SƠN', number: '127', notation: 'UBND-VP', documentDate: '2026-03-05', typeCode: 'cong_van',
      subject: 'V/v đôn. đốc thu nộp thuế sử dũng tiệt, phí BỐNg nghiệp năm 2026. si',
    }],
    ['a decision: «S6:» is «Số:», «QB» under a QUYẾT ĐỊNH heading is «QĐ», «1T» is 11, the trích yếu goes on after its comma, and the deputy is read beside «Nơi nhận» (KT.)', SCANNED_QUYET_DINH, {
      issuerName: 'SỞ NỘI VỤ', governingName: 'UBND TỈNH HÀ TĨNH', number: '45', notation: 'QĐ-SNV', documentDate: '2026-11-12', typeCode: 'quyet_dinh',
      subject: 'Về việc cử công chức tham gia lớp- bồi nhượng, Mý năng số hóa tài liệu lưu trữ', signerName: 'Trân Quốc Đạt', signerPosition: 'Phó giám đốc',
    }],
    ['a tờ trình: an issuer printed over two lines is joined and put right («SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG»), «Số» without its colon and «TTr -STNMT» are read, a place-date line without its comma too', SCANNED_TO_TRINH, {
      issuerName: 'SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG', governingName: 'UBND TỈNH NGHỆ AN', number: '318', notation: 'TTr-STNMT', documentDate: '2026-10-21', typeCode: 'to_trinh',
      subject: 'Về việc. c phê duyệt kế hoạch sử dụng € đất năm 2027',
    }],
    ['a notice: «THỐNG BÁO» is a thông báo, «09/TB KBNN» is TB-KBNN, and a place-date line OCR garbled («năm 202 n») leaves the date empty — not the date of the body below', SCANNED_THONG_BAO, {
      issuerName: 'KHO BẠC NHÀ NƯỚC KHU VỰC XIHI', governingName: 'BỘ TÀI CHÍNH', number: '09', notation: 'TB-KBNN', documentDate: null, typeCode: 'thong_bao',
      subject: 'Lịch nghỉ Tết Dương lh hàn 2027', signerName: 'Phạm Thị Lan', signerPosition: 'Giám đốc',
    }],
  ])('a scanned %s', (_, text, fields) => {
    expect(guessFromOcr(text)).toMatchObject(fields);
  });

  test('a motto OCR read without its diacritics on the issuer\'s line is left out of the issuer; on behalf of a body (TM.) with the position lost, the signer is kept without a made-up position', () => {
    const text = 'UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\nXÃ TÂN LẬP Doc lap - Tu do - Hanh phuc\nSố: 15/UBND-VP\nKính gửi: các thôn.\nĐề nghị các thôn thực hiện./.\nNơi nhận: 1M, ỦY BẠN NHÂN DÂN\n- Như trên - CHỦ bi na\nLê Văn Tám\n';
    expect(guessFromOcr(text)).toMatchObject({ issuerName: 'ỦY BAN NHÂN DÂN XÃ TÂN LẬP', number: '15', notation: 'UBND-VP', signerName: 'Lê Văn Tám', signerPosition: '' });
  });

});
