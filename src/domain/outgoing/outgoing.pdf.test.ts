import { describe, expect, test } from 'vitest';
import { makeBasePdf } from '../signing/appearance/appearance.test-pdf.ts';
import type { IssueAnchor } from '../signing/signing.issue.ts';
import { makeSignaturePng } from '../signing/appearance/appearance.test-png.ts';
import { approvalPlacement, issueAnchors } from './outgoing.pdf.ts';

const MOTTO = { text: 'Độc lập - Tự do - Hạnh phúc', x: 300, y: 770 };
const dateText = 'Hà Nội, ngày 06 tháng 12 năm 2026';

/** The box an anchor found in the page gives (issueAnchors never returns a text anchor for the number). */
function box(anchor: IssueAnchor) {
  if (typeof anchor === 'string') throw new Error(`expected a box, got the text anchor ${anchor}`);
  return anchor;
}

describe('where issuing writes the number', () => {
  test('a draft printing the register\'s ký hiệu after a blank gets its whole "Số:" line written over', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:        /UBND-TH', x: 72, y: 770 }, MOTTO]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(anchors).toMatchObject({ mode: 'over', numberText: 'Số: 05/UBND-TH' });
    expect(anchors.printed).toBeUndefined();
    expect(box(anchors.numberAnchor).x).toBe(72);
  });

  test('a draft printing another ký hiệu ("/UBND-VP" for the register\'s "UBND-TH") is written over too, and says what it covered', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:', x: 72, y: 770 }, { text: '/UBND-VP', x: 130, y: 770 }, MOTTO, { text: 'Kính gửi: Sở Tài chính', x: 72, y: 600 }]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(anchors).toMatchObject({ mode: 'over', numberText: 'Số: 05/UBND-TH', printed: '/UBND-VP' });
    // The white box reaches the end of the old ký hiệu, so none of it shows beside the new one.
    const { x, width } = box(anchors.numberAnchor);
    expect(x + width).toBeGreaterThan(130 + 50);
    expect(x + width).toBeLessThan(300);
  });

  test('a "Số:" label with nothing after it gets the number written after it, and the date under the motto', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:', x: 72, y: 770 }, MOTTO]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(anchors).toMatchObject({ mode: 'after', numberText: '05/UBND-TH' });
    expect(box(anchors.dateAnchor).y).toBeLessThan(760);
  });

  test('a draft leaving its date line blank ("…, ngày … tháng … năm 2026") gets that whole line written over, not a second date under it', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:        /UBND-TH', x: 72, y: 770 }, MOTTO, { text: '..., ngày ... tháng ... năm 2026', x: 310, y: 754 }]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(anchors.mode).toBe('over');
    const date = box(anchors.dateAnchor);
    // On the draft's line (baseline 754), from its start to past "2026" (13 pt Liberation Serif: ~155 pt long).
    expect(date.baseline).toBeCloseTo(754, 0);
    expect(date.x).toBeLessThanOrEqual(310);
    expect(date.x + date.width).toBeGreaterThan(310 + 150);
  });

  test('a date line left as blanks ("Hà Nội, ngày      tháng      năm 2026") is found as well, with a bare "Số:" written over as "Số: 05/…"', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:', x: 72, y: 770 }, MOTTO, { text: 'Hà Nội, ngày      tháng      năm 2026', x: 305, y: 752 }]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(anchors).toMatchObject({ mode: 'over', numberText: 'Số: 05/UBND-TH' });
    expect(box(anchors.numberAnchor).x).toBe(72);
    expect(box(anchors.dateAnchor).baseline).toBeCloseTo(752, 0);
  });

  test('"ngày" elsewhere on the page (the trích yếu, the body) is not taken for the date line', async () => {
    const pdf = await makeBasePdf([{ text: 'Số:        /UBND-TH', x: 72, y: 770 }, { text: 'V/v họp ngày 20 tháng 12 năm 2026', x: 72, y: 740 }, MOTTO,
      { text: 'Kính gửi: Sở Tài chính, ngày 10 tháng 12 năm 2026', x: 72, y: 600 }]);
    const anchors = await issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' });
    expect(box(anchors.dateAnchor).baseline).toBeLessThan(770 - 13);
    expect(box(anchors.dateAnchor).baseline).toBeGreaterThan(700);
  });

  test('a draft without "Số:" or the motto line cannot be numbered: outgoing.no_number_anchor', async () => {
    const pdf = await makeBasePdf([{ text: 'Báo cáo tình hình', x: 72, y: 770 }]);
    await expect(issueAnchors(pdf, { dateText, number: '05', notation: 'UBND-TH' })).rejects.toMatchObject({ code: 'outgoing.no_number_anchor' });
  });
});

describe('where the approval signature image goes', () => {
  const image = makeSignaturePng();

  test('between the position line and the name even when the position entered is longer than the one printed ("Chủ tịch Ủy ban nhân dân tỉnh" over "CHỦ TỊCH")', async () => {
    const pdf = await makeBasePdf([{ text: 'CHỦ TỊCH', x: 380, y: 300 }, { text: 'Trần Văn Minh', x: 370, y: 240 }]);
    const { placed } = await approvalPlacement(pdf, { names: ['Trần Văn Minh'], position: 'Chủ tịch Ủy ban nhân dân tỉnh', image });
    // Inside the 60 pt between the name line (top ~255) and the position line (bottom ~297): not over «CHỦ TỊCH».
    expect(placed.rect.y).toBeGreaterThan(250);
    expect(placed.rect.y + placed.rect.height).toBeLessThan(300);
  });

  test('a deputy\'s position entered as "Phó Chủ tịch" under a printed "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" still finds its line', async () => {
    const pdf = await makeBasePdf([{ text: 'KT. CHỦ TỊCH', x: 375, y: 320 }, { text: 'PHÓ CHỦ TỊCH', x: 375, y: 304 }, { text: 'Lê Thị Thu', x: 380, y: 240 }]);
    const { placed } = await approvalPlacement(pdf, { names: ['Lê Thị Thu'], position: 'Phó Chủ tịch', image });
    expect(placed.rect.y + placed.rect.height).toBeLessThan(304);
  });

  test('words of the position in the body text just above ("Ủy ban nhân dân tỉnh đề nghị…") are not taken for the position line', async () => {
    const pdf = await makeBasePdf([{ text: 'Ủy ban nhân dân tỉnh đề nghị các cơ quan báo cáo.', x: 72, y: 330 }, { text: 'CHỦ TỊCH', x: 380, y: 300 }, { text: 'Trần Văn Minh', x: 370, y: 240 }]);
    const { placed } = await approvalPlacement(pdf, { names: ['Trần Văn Minh'], position: 'Chủ tịch Ủy ban nhân dân tỉnh', image });
    expect(placed.rect.y + placed.rect.height).toBeLessThan(300);
    expect(placed.rect.x).toBeGreaterThan(300);
  });

  test('the position mentioned only in the body text, far above, is not taken for the position line', async () => {
    const pdf = await makeBasePdf([{ text: 'Theo đề nghị của Chủ tịch Hội đồng thi đua,', x: 72, y: 600 }, { text: 'Trần Văn Minh', x: 370, y: 240 }]);
    const { placed } = await approvalPlacement(pdf, { names: ['Trần Văn Minh'], position: 'Chủ tịch', image });
    expect(placed.rect.y + placed.rect.height).toBeLessThan(400);
  });
});

