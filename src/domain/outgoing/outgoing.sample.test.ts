import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { pdfFonts } from '../documents/pdf-fonts.testing.ts';
import { buildSampleDraft } from './outgoing.sample.ts';

const draft = (subject: string) => buildSampleDraft({
  agencyName: 'Ủy ban nhân dân tỉnh Thái Hòa', notation: 'UBND-VP', typeName: null, subject,
  body: ['Nội dung.'], recipients: ['Như trên'], position: 'Chủ tịch', signerName: 'Trần Văn Minh',
});
const text = (pdf: Uint8Array) => execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });

describe.skipIf(!needTool('pdftotext'))('the sample draft of a công văn', () => {
  test('prints "V/v" before the trích yếu', async () => {
    expect(text(await draft('tổ chức hội nghị'))).toContain('V/v tổ chức hội nghị');
  });

  test('prints "V/v" once when the drafter already typed it', async () => {
    const printed = text(await draft('V/v tổ chức hội nghị'));
    expect(printed).toContain('V/v tổ chức hội nghị');
    expect(printed).not.toContain('V/v V/v');
  });
});

describe.skipIf(!needTool('pdftotext', 'pdffonts'))('the sample draft\'s fonts', () => {
  test('are subsets of Liberation Serif regular and bold with /ToUnicode: the draft weighs under 40 KiB (whole fonts: ~480 KiB)', async () => {
    const pdf = await draft('họp Đảng ủy quý IV');
    expect(pdfFonts(pdf).map((f) => [f.name.replace(/^[A-Z]{6}\+/, '+'), f.isSubset, f.hasToUnicode])).toEqual([['+LiberationSerif', true, true], ['+LiberationSerif-Bold', true, true]]);
    expect(text(pdf)).toContain('V/v họp Đảng ủy quý IV');
    expect(pdf.length).toBeLessThan(40 * 1024);
  });
});

describe.skipIf(!needTool('pdftotext'))('a letter another agency issued (the demo\'s scanned post)', () => {
  const letter = () => buildSampleDraft({
    parentName: 'Bộ Tài chính', agencyName: 'Vụ Ngân sách nhà nước', notation: 'BTC-NSNN', typeName: null,
    subject: 'báo cáo tình hình thực hiện dự toán ngân sách nhà nước năm 2026 và kế hoạch năm 2027 của các địa phương',
    body: ['Nội dung.'], recipients: ['UBND tỉnh Thái Hòa'], position: 'KT. Bộ trưởng\nThứ trưởng', signerName: 'Nguyễn Văn An',
    issued: { numberText: '13250/BTC-NSNN', placeDate: 'Hà Nội, ngày 25 tháng 11 năm 2026' },
  });

  test('prints its số/ký hiệu, place and date, and "(Đã ký)" over the signer', async () => {
    const printed = text(await letter());
    expect(printed).toContain('Số: 13250/BTC-NSNN');
    expect(printed).toContain('Hà Nội, ngày 25 tháng 11 năm 2026');
    expect(printed).toContain('(Đã ký)');
  });

  test('puts each line of the title block on its own line and wraps a long trích yếu', async () => {
    const lines = text(await letter()).split('\n').map((l) => l.trim());
    expect(lines).toContain('KT. BỘ TRƯỞNG');
    expect(lines).toContain('THỨ TRƯỞNG');
    expect(lines.some((l) => l.startsWith('V/v báo cáo'))).toBe(true);
    expect(lines.some((l) => l.endsWith('các địa phương'))).toBe(true);
    expect(lines.every((l) => l.length < 120)).toBe(true);
  });

  test('a draft leaves the number blank and says nothing is signed', async () => {
    const printed = text(await draft('tổ chức hội nghị'));
    expect(printed).toContain('/UBND-VP');
    expect(printed).not.toMatch(/Số:\s*\d/);
    expect(printed).not.toContain('(Đã ký)');
  });
});
