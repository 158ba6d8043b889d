import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from './keys.ts';
import { issueDocument, signAttachment, signCopy } from './signing.issue.ts';
import { signPdf } from './signing.pades.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki } from './testing/pki.ts';
import type { TestPki } from './testing/pki.ts';

describe.skipIf(!needTool('soffice', 'pdfsig', 'qpdf', 'pdftotext'))('issuing: number and date in the agency signature update', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  test('approval stays valid; số/ký hiệu and date are annotations that pdftotext extracts', async () => {
    const draft = readFileSync(await corpus.issueTemplate());
    const leader = await createP12Signer(pki.leader.p12, pki.password);
    const seal = await createP12Signer(pki.seal.p12, pki.password);
    const approved = await signPdf(draft, { signer: leader, reason: 'Ký duyệt' });
    const issued = await issueDocument(approved, {
      signer: seal, reason: 'Ký số cơ quan', numberText: '15/QĐ-UBND', dateText: 'Hà Nội, ngày 05 tháng 3 năm 2026',
      numberAnchor: '[SỐ]', dateAnchor: '[NGÀY BAN HÀNH]', mode: 'over',
    });
    const report = checkWithTools(issued);
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => [s.valid, s.total])).toEqual([[true, false], [true, true]]);
    const text = Buffer.from(issued).toString('latin1');
    expect(text).toMatch(/\/Subtype \/Stamp/);
    const path = join(corpus.scratchDir('issue'), 'issued.pdf');
    writeFileSync(path, issued);
    const extracted = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(extracted).toContain('15/QĐ-UBND');
    expect(extracted).toContain('ngày 05 tháng 3 năm 2026');
  });

  test('an attachment and a copy get a text-only agency stamp at the top right of page 1', async () => {
    const seal = await createP12Signer(pki.seal.p12, pki.password);
    const base = readFileSync(await corpus.pdfLibClassic());
    const signedAt = new Date('2026-03-05T07:30:05Z');
    const attachment = await signAttachment(base, { signer: seal, numberText: '15/QĐ-UBND', signingTime: signedAt });
    const copy = await signCopy(base, { signer: seal, kind: 'SAO Y', agency: 'Văn phòng UBND tỉnh Mẫu', signingTime: signedAt });
    for (const [bytes, expected] of [[attachment, '15/QĐ-UBND'], [copy, 'SAO Y']] as const) {
      expect(checkWithTools(bytes).signatures.map((s) => s.valid)).toEqual([true]);
      const path = join(corpus.scratchDir('stamps'), 'out.pdf');
      writeFileSync(path, bytes);
      const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(expected);
      expect(text).toContain('14:30:05');
    }
  });
});
