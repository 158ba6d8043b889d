import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from './keys.ts';
import type { Signer } from './keys.ts';
import { isArray, isDict, isStream, textOf } from './pdf/objects.ts';
import { getCatalog, openPdf, resolve } from './pdf/reader.ts';
import { listSignatures } from './pdf/structure.ts';
import { signPdf } from './signing.pades.ts';
import { resolveStamp } from './signing.stamp.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki, startTestOcsp, startTestTsa } from './testing/pki.ts';
import type { TestPki } from './testing/pki.ts';
import { revocationOverHttp } from './signing.revocation.ts';
import { timestampFromUrl } from './signing.tsa.ts';

// qpdf's encryption options for each standard security handler revision we sign in.
const HANDLERS = [
  { name: 'R2 RC4 40-bit', args: ['40', '--allow-weak-crypto'] },
  { name: 'R3 RC4 128-bit', args: ['128', '--use-aes=n', '--allow-weak-crypto'] },
  { name: 'R4 AES-128', args: ['128', '--use-aes=y'] },
  { name: 'R5 AES-256', args: ['256', '--force-R5'] },
  { name: 'R6 AES-256', args: ['256'] },
] as const;

describe.skipIf(!needTool('qpdf', 'pdfsig', 'pdftotext', 'soffice'))('signing password-protected PDFs', () => {
  let pki: TestPki;
  let leader: Signer;
  let seal: Signer;
  const dir = corpus.scratchDir('encrypted');

  beforeAll(async () => {
    pki = await createTestPki();
    leader = await createP12Signer(pki.leader.p12, pki.password);
    seal = await createP12Signer(pki.seal.p12, pki.password);
  });

  async function encrypted(name: string, args: readonly string[], source?: string): Promise<Uint8Array> {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
    const global = args.filter((a) => a === '--allow-weak-crypto' || a.startsWith('--object-streams'));
    const options = args.filter((a) => !global.includes(a));
    execFileSync('qpdf', [...global, '--encrypt', 'mokhoa2026', 'chusohuu', ...options, '--', source ?? (await corpus.pdfLibClassic()), path]);
    return readFileSync(path);
  }

  for (const handler of HANDLERS) {
    test(`${handler.name}: two signatures with the user password, the second visible; qpdf and pdfsig read the encrypted update`, async () => {
      const original = await encrypted(handler.name, handler.args);
      const once = await signPdf(original, { signer: leader, pdfPassword: 'mokhoa2026', reason: 'Ký duyệt', location: 'Hà Nội' });
      const stamp = await resolveStamp(original, { page: 0, rect: [300, 100, 180, 60], lines: ['Nguyễn Văn Án', 'Chủ tịch'] });
      const twice = await signPdf(once, { signer: seal, pdfPassword: 'mokhoa2026', widget: stamp });
      expect(Buffer.from(twice.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
      const report = checkWithTools(twice, 'mokhoa2026');
      expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
      expect(report.signatures.map((s) => [s.type, s.valid])).toEqual([['ETSI.CAdES.detached', true], ['ETSI.CAdES.detached', true]]);
      // Field names come from the encrypted /T strings: poppler decrypts them with the file key.
      expect(report.pdfsig).toContain('Signature Field Name: Signature1');
      expect(report.pdfsig).toContain('Signature Field Name: Signature2');
      // Our own reader, unlocked, reads the encrypted /Reason back.
      const signatures = listSignatures(openPdf(twice, 'mokhoa2026'));
      expect(signatures.map((s) => textOf(s.dict.entries.get('Reason')))).toEqual(['Ký duyệt', undefined]);
      // /Contents stays plain: it is the DER of the CMS (a SEQUENCE).
      expect(signatures.map((s) => s.contents[0])).toEqual([0x30, 0x30]);
      // The widget's appearance stream (and its font) are encrypted too: poppler draws the Vietnamese text.
      const path = join(dir, `${handler.name.replace(/\W+/g, '-')}-signed.pdf`);
      writeFileSync(path, twice);
      const text = spawnSync('pdftotext', ['-upw', 'mokhoa2026', path, '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('Nguyễn Văn Án');
    });
  }

  test('B-LTA in an AES-256 file: the DSS streams and the document timestamp are written encrypted and read back with the password', async () => {
    const [tsa, ocsp] = await Promise.all([startTestTsa(pki), startTestOcsp(pki)]);
    try {
      const original = await encrypted('lta', ['256']);
      const out = await signPdf(original, { signer: leader, pdfPassword: 'mokhoa2026', level: 'B-LTA', timestamp: timestampFromUrl(tsa.url), revocation: revocationOverHttp() });
      const report = checkWithTools(out, 'mokhoa2026');
      expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
      expect(report.signatures[0]?.valid).toBe(true);
      const doc = openPdf(out, 'mokhoa2026');
      const dss = resolve(doc, getCatalog(doc).entries.get('DSS'));
      const certs = isDict(dss) ? resolve(doc, dss.entries.get('Certs')) : null;
      const stored = isArray(certs) ? certs.items.map((r) => resolve(doc, r)).map((c) => (isStream(c) ? Buffer.from(c.raw) : Buffer.alloc(0))) : [];
      expect(stored.some((c) => c.equals(Buffer.from(pki.leader.certDer)))).toBe(true);
      expect(Buffer.from(out).includes(Buffer.from(pki.leader.certDer))).toBe(false); // in the file only encrypted (and hex in /Contents)
      expect(listSignatures(doc).map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached', 'ETSI.RFC3161']);
    } finally {
      await Promise.all([tsa.close(), ocsp.close()]);
    }
  });

  test('a visible signature placed by a text anchor in an encrypted LibreOffice file', async () => {
    const original = await encrypted('anchor', ['256'], await corpus.libreOffice());
    const spec = { anchor: 'CHỦ TỊCH', rect: [0, 0, 160, 60] as [number, number, number, number], lines: ['Đã ký'] };
    await expect(resolveStamp(original, spec)).rejects.toMatchObject({ code: 'signing.pdf_encrypted' });
    await expect(resolveStamp(original, spec, 'sai')).rejects.toMatchObject({ code: 'signing.pdf_password_wrong' });
    const stamp = await resolveStamp(original, spec, 'mokhoa2026');
    expect(stamp.rect[1]).toBeGreaterThan(0);
    const signed = await signPdf(original, { signer: leader, pdfPassword: 'mokhoa2026', widget: stamp });
    const report = checkWithTools(signed, 'mokhoa2026');
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('the owner password opens the file too', async () => {
    const original = await encrypted('owner', ['256']);
    const signed = await signPdf(original, { signer: leader, pdfPassword: 'chusohuu' });
    expect(checkWithTools(signed, 'mokhoa2026').signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('an object-stream file (xref stream) gets an encrypted update with a plain xref stream', async () => {
    const original = await encrypted('objstm', ['128', '--use-aes=y', '--object-streams=generate'], await corpus.qpdfObjStm());
    expect(openPdf(original).sections[0]?.kind).toBe('stream');
    const signed = await signPdf(original, { signer: seal, pdfPassword: 'mokhoa2026' });
    expect(openPdf(signed).sections[0]?.kind).toBe('stream');
    const report = checkWithTools(signed, 'mokhoa2026');
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('without the password the file is refused with signing.pdf_encrypted; a wrong one with signing.pdf_password_wrong', async () => {
    const original = await encrypted('refused', ['256']);
    await expect(signPdf(original, { signer: leader })).rejects.toMatchObject({ code: 'signing.pdf_encrypted' });
    await expect(signPdf(original, { signer: leader, pdfPassword: 'sai' })).rejects.toMatchObject({ code: 'signing.pdf_password_wrong' });
    const rc4 = await encrypted('refused-rc4', ['128', '--use-aes=n', '--allow-weak-crypto']);
    await expect(signPdf(rc4, { signer: leader, pdfPassword: 'sai' })).rejects.toMatchObject({ code: 'signing.pdf_password_wrong' });
  });
});
