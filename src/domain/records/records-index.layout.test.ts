import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { fileIndexForm } from './records-export.service.ts';
import { formsPdf } from './records-forms.ts';
import type { TFiledDocumentView, TRecordsFileView } from './records.present.ts';

describe.skipIf(!needTool('pdftotext'))('the printed mục lục văn bản, tài liệu of a file (A4 portrait)', () => {
  test('a long số, ký hiệu and the date each stay on one line of their cells', async () => {
    const doc = (ordinal: number, number: string, subject: string) => ({
      ordinal, number, subject, typeName: 'Công văn', documentDate: '2026-12-02', author: 'Sở Khoa học và Công nghệ tỉnh Thái Hòa', pageCount: 2, ownerType: 'incoming',
    }) as unknown as TFiledDocumentView;
    const form = fileIndexForm({ notation: '02.TH', year: 2026 } as TRecordsFileView,
      [doc(1, '1187/SKHCN-CĐS', 'Góp ý dự thảo Kế hoạch chuyển đổi số tỉnh Thái Hòa năm 2027'), doc(2, '13250/BTC-NSNN', 'Báo cáo tình hình thực hiện dự toán ngân sách nhà nước năm 2026')]);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-index-')), 'muc-luc.pdf');
    await writeFile(file, await formsPdf([form], 'Mục lục'));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toMatch(/^\s*1\s+1187\/SKHCN-CĐS\s+02\/12\/2026\s+Công văn Góp ý/m);
    expect(text).toMatch(/^\s*2\s+13250\/BTC-NSNN\s+02\/12\/2026\s+Công văn Báo cáo/m);
  });
});
