import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
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
