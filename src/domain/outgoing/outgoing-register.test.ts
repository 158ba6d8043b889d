import { describe, expect, test } from 'vitest';
import { archiveNoteOf } from './outgoing-register.service.ts';

describe('the register\'s column "Đơn vị, người nhận bản lưu"', () => {
  test('is what the drafter filled in', () => {
    expect(archiveNoteOf({ archiveNote: ' VT, TH (02 bản) ', recipientsText: '- Như trên;\n- Lưu: VT.' })).toBe('VT, TH (02 bản)');
  });

  test('left empty, it is read from the "Lưu:" line of the Nơi nhận printed on the document', () => {
    expect(archiveNoteOf({ archiveNote: '', recipientsText: '- Như trên;\n- Lưu: VT, VP.' })).toBe('VT, VP');
    expect(archiveNoteOf({ archiveNote: '', recipientsText: '- Sở Nội vụ;\r\n-  lưu : VT, TH;' })).toBe('VT, TH');
  });

  test('stays empty when neither says it', () => {
    expect(archiveNoteOf({ archiveNote: '', recipientsText: '- Sở Nội vụ;\n- Lưu trữ lịch sử tỉnh;' })).toBe('');
  });
});
