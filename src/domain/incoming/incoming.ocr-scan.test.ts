import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { ocrPdf } from './incoming.ocr.ts';
import { guessFromOcr } from './incoming.ocr-guess.ts';
import { makePaperScan, nd30Html } from './incoming.paper-scan.testing.ts';

// Paper documents as a clerk scans them — typed in the layout of Nghị định 30, printed, fed a degree
// askew, specked, JPEG — OCR'd as an upload is (ocrPdf), and the register form's guess read off the text.
describe.skipIf(!needTool('soffice', 'gs', 'img2pdf', 'ocrmypdf', 'pdftotext'))('the register fields of a scanned paper document', () => {
  test('a commune\'s công văn gives the commune as its issuer (not the district above it), số and ký hiệu, the date and the «V/v» trích yếu — the header\'s two columns are read one after the other', async () => {
    const scan = await makePaperScan(nd30Html({
      governing: 'UBND HUYỆN HƯƠNG SƠN', issuer: 'ỦY BAN NHÂN DÂN<br>XÃ SƠN TÂY', number: '127/UBND-VP',
      vv: 'V/v đôn đốc thu nộp thuế sử dụng<br>đất phi nông nghiệp năm 2026', placeDate: 'Sơn Tây, ngày 05 tháng 3 năm 2026',
      body: '<p align="center">Kính gửi: Chi cục Thuế khu vực Hương Sơn - Vũ Quang.</p><p>Ủy ban nhân dân xã Sơn Tây đề nghị Chi cục Thuế cử cán bộ phối hợp rà soát, đôn đốc các hộ còn nợ thuế và báo cáo kết quả trước ngày 30 tháng 4 năm 2026.</p><p>Đề nghị Chi cục Thuế quan tâm phối hợp./.</p>',
      position: 'TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH', signer: 'Nguyễn Văn Hùng',
    }), { angle: 0.8, seed: 11 });
    const outcome = await ocrPdf(scan, { pageCount: 1 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    expect(guessFromOcr(outcome.text.normalize('NFC'))).toMatchObject({
      issuerName: 'ỦY BAN NHÂN DÂN XÃ SƠN TÂY', number: '127', notation: expect.stringMatching(/^UBND-V/), documentDate: '2026-03-05', typeCode: 'cong_van',
      subject: expect.stringMatching(/^V\/v đôn\.? đốc thu nộp thuế/),
    });
  });

  test('a notice of a body under a ministry gives the body over its two lines and the «Số:» line a specked copy hides from tesseract\'s usual page reading; a date OCR garbled is left empty, not taken from the body', async () => {
    const scan = await makePaperScan(nd30Html({
      governing: 'BỘ TÀI CHÍNH', issuer: 'KHO BẠC NHÀ NƯỚC<br>KHU VỰC XIII', number: '09/TB-KBNN', placeDate: 'Vinh, ngày 02 tháng 12 năm 2026',
      body: '<p align="center"><b>THÔNG BÁO</b><br><b>Lịch nghỉ Tết Dương lịch năm 2027</b></p><p>Kho bạc Nhà nước khu vực XIII thông báo lịch nghỉ Tết Dương lịch năm 2027 như sau: cán bộ, công chức được nghỉ từ ngày 01 tháng 01 năm 2027.</p><p>Đề nghị các đơn vị chủ động sắp xếp thời gian giao dịch./.</p>',
      position: 'GIÁM ĐỐC', signer: 'Phạm Thị Lan',
    }), { angle: -0.9, seed: 14 });
    const outcome = await ocrPdf(scan, { pageCount: 1 });
    if (outcome.kind !== 'done') throw new Error(JSON.stringify(outcome));
    const guess = guessFromOcr(outcome.text.normalize('NFC'));
    expect(guess).toMatchObject({ issuerName: expect.stringMatching(/^KHO BẠC NHÀ NƯỚC KHU VỰC X/), number: '09', notation: 'TB-KBNN', typeCode: 'thong_bao', subject: expect.stringMatching(/nghỉ\W+Tết Dương lịch năm 2027$/) });
    // the date OCR reads, or none when it garbles it — never the one in the body
    expect([null, '2026-12-02']).toContain(guess.documentDate);
  });
});
