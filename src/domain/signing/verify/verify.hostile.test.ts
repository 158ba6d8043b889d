import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { createP12Signer } from '../keys.ts';
import { signPdf } from '../signing.pades.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createTestPki, type TestPki } from '../testing/pki.ts';
import { loadTrustStore, type TrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

/** A classic-xref PDF from object bodies (object i+1 = bodies[i]); trailer /Root 1 0 R. */
function rawPdf(bodies: (string | Buffer)[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(at);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(b) ? b : Buffer.from(b, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    at += chunk.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const PAGE = ['<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];

describe.skipIf(!needTool('openssl'))('verifyPdf on hostile input: a report or a clear error, never a crash or a hang', () => {
  let pki: TestPki;
  let store: TrustStore;
  let signed: Uint8Array;
  beforeAll(async () => {
    pki = await createTestPki();
    store = await loadTrustStore({ files: [pki.root.certPath] });
    signed = await signPdf(await makePdfLib(1), { signer: await createP12Signer(pki.leader.p12, pki.password) });
  }, 60_000);
  const verify = (bytes: Uint8Array) => verifyPdf(bytes, { trustStore: store, offline: true });

  test('a malformed CMS in /Contents is FORMAT_FAILURE', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const at = text.lastIndexOf('/Contents <') + 11;
    const bad = Uint8Array.from(signed);
    bad.set(Buffer.from('3082FFFF0609'.padEnd(400, 'A'), 'latin1'), at);
    const r = await verify(bad);
    expect([r.indication, r.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
  });

  test('not a PDF, an empty file and a truncated header give verify.pdf_unreadable', async () => {
    for (const bytes of [new Uint8Array(), new TextEncoder().encode('hello'), signed.subarray(0, 20)]) {
      await expect(verify(bytes)).rejects.toSatisfy((e: unknown) => isAppError(e, 'verify.pdf_unreadable'));
    }
  });

  test('a huge /Contents (8 MB of hex) and a ByteRange outside the file are FORMAT_FAILURE', async () => {
    const huge = rawPdf([...PAGE, '<< /Fields [5 0 R] /SigFlags 3 >>',
      '<< /FT /Sig /T (s) /V 6 0 R >>', `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 8000000 10] /Contents <${'00'.repeat(4_000_000)}> >>`]);
    const r = await verify(huge);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  test('cyclic references (page tree, field kids, reference chains) end in a report', async () => {
    const cyclic = rawPdf(['<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>', '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
      '<< /Type /Page /Parent 2 0 R /Annots [5 0 R] >>', '<< /Fields [5 0 R 5 0 R] >>', '<< /FT /Sig /T (a) /Kids [5 0 R] /Parent 5 0 R /V 6 0 R >>',
      '7 0 R', '6 0 R']);
    const r = await verify(cyclic);
    expect(r.indication).not.toBe('TOTAL-PASSED');
  });

  test('three thousand signature fields are each reported (beyond the limit as INDETERMINATE)', async () => {
    const n = 3000;
    const fields = Array.from({ length: n }, (_, i) => `<< /FT /Sig /T (f${i}) /V 5 0 R >>`);
    const bodies = [...PAGE, `<< /Fields [${fields.map((_, i) => `${i + 6} 0 R`).join(' ')}] >>`,
      '<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <3000> >>', ...fields];
    const r = await verify(rawPdf(bodies));
    expect(r.signatureCount).toBe(n);
    expect(r.signatures.every((s) => s.indication !== 'TOTAL-PASSED')).toBe(true);
  });

  test('a decompression bomb in an object stream (64 MiB of zeros from 64 KiB) ends in a report or a clear error', async () => {
    const bomb = deflateSync(Buffer.alloc(64 << 20), { level: 9 });
    const bombStream = (dict: string) => Buffer.concat([Buffer.from(`<< ${dict} /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')]);
    // Object 1 is the catalog with a DSS whose certificate and CRL are bombs (we inflate those ourselves, bounded).
    const bodies: (string | Buffer)[] = ['<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R /DSS << /Certs [5 0 R] /CRLs [6 0 R] >> >>', PAGE[1] ?? '', PAGE[2] ?? '',
      '<< /Fields [] >>', bombStream(''), bombStream('/Type /ObjStm /N 1 /First 4')];
    const pdf = rawPdf(bodies);
    const r = await verify(pdf).catch((e: unknown) => e);
    expect(isAppError(r) || (typeof r === 'object' && r !== null && 'indication' in r)).toBe(true);
  });
});
