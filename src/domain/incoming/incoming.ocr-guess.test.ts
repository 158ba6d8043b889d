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

describe('reading the register fields off an OCR\'d scan', () => {
  test('a công văn gives its issuer, số and ký hiệu, the date of the place-date line (not one in the body), trích yếu and signer', () => {
    expect(guessFromOcr(CONG_VAN)).toEqual({
      issuerName: 'PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG', number: '214', notation: 'TNMT-ĐĐ', documentDate: '2026-12-02', typeCode: 'cong_van',
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
      issuerName: '', number: '', notation: '', documentDate: null, typeCode: null, subject: '', signerName: '', signerPosition: '', firstLine: 'Biên lai thu tiền',
    });
    expect(guessFromOcr('').firstLine).toBe('');
  });

  test('the mojibake of a text layer without Unicode mapping is no first line (the list then says "Văn bản giấy chưa vào sổ")', () => {
    expect(guessFromOcr('\u202b\u0003<ې\u202c%$1\u00031+1\u0003\'1\u00037\u202bڲ\u202c1+\u00037+,\u0003+$\n1+7ڤ(1 7\'%$1\n').firstLine).toBe('');
  });
});
