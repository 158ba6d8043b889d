import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from './keys.ts';
import type { Signer } from './keys.ts';
import { createHash } from 'node:crypto';
import { copyDict, isArray, isDict, pdfArray, pdfDict, pdfName, pdfRef } from './pdf/objects.ts';
import { getCatalog, getCatalogRef, openPdf, resolve } from './pdf/reader.ts';
import { createAllocator, writeIncrement } from './pdf/writer.ts';
import { listSignatures } from './pdf/structure.ts';
import { signPdf, signPdfParts } from './signing.pades.ts';
import { revocationOverHttp } from './signing.revocation.ts';
import { timestampFromUrl } from './signing.tsa.ts';
import { checkWithTools, opensslVerify } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki, startTestOcsp, startTestTsa } from './testing/pki.ts';
import type { TestPki, TestServer } from './testing/pki.ts';

const FILES = [
  'pdfLibClassic', 'pdfLibObjStm', 'qpdfObjStm', 'qpdfLinearized', 'qpdfLinearizedObjStm', 'pdf20',
  'ghostscript14', 'ghostscript17', 'hybrid', 'formAndAnnots', 'libreOffice',
] as const;

describe.skipIf(!needTool('qpdf', 'pdfsig', 'openssl', 'gs', 'soffice'))('PAdES signing on real PDFs', () => {
  let pki: TestPki;
  let tsa: TestServer;
  let ocsp: TestServer;
  let leader: Signer;
  let seal: Signer;
  let caFile: string;

  beforeAll(async () => {
    pki = await createTestPki();
    [tsa, ocsp] = await Promise.all([startTestTsa(pki), startTestOcsp(pki)]);
    leader = await createP12Signer(pki.leader.p12, pki.password);
    seal = await createP12Signer(pki.seal.p12, pki.password);
    caFile = join(pki.dir, 'ca-all.pem');
    writeFileSync(caFile, `${pki.root.certPem}\n${pki.intermediate.certPem}\n${pki.tsa.certPem}`);
  });
  afterAll(async () => {
    await Promise.all([tsa?.close(), ocsp?.close()]);
  });

  for (const name of FILES) {
    test(`${name}: approval then agency signature, both valid, xref kind kept, old bytes untouched`, async () => {
      const original = readFileSync(await corpus[name]());
      const kind = openPdf(original).sections[0]?.kind;
      const once = await signPdf(original, { signer: leader, reason: 'Ký duyệt', location: 'Hà Nội' });
      const twice = await signPdf(once, { signer: seal, widget: { page: 0, rect: [300, 100, 120, 60] } });
      expect(Buffer.from(twice.subarray(0, original.length)).equals(original)).toBe(true);
      expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
      expect(openPdf(twice).sections[0]?.kind).toBe(kind);
      const report = checkWithTools(twice);
      expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
      expect(report.signatures.map((s) => [s.type, s.valid])).toEqual([['ETSI.CAdES.detached', true], ['ETSI.CAdES.detached', true]]);
    });
  }

  test('signPdfParts hands back the caller\'s own buffer, untouched, and the appended update: written one after the other they are a valid signed file', async () => {
    const original = readFileSync(await corpus.big5mb());
    const before = Buffer.from(original);
    const parts = await signPdfParts(original, { signer: seal, level: 'B-T', timestamp: timestampFromUrl(tsa.url) });
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(original);
    expect(before.equals(original)).toBe(true);
    const report = checkWithTools(Buffer.concat(parts));
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => [s.type, s.valid])).toEqual([['ETSI.CAdES.detached', true]]);
  });

  test('a file signed by @signpdf keeps its signature valid after ours', async () => {
    // node-forge (inside @signpdf) re-encodes the Vietnamese issuer DN of the test PKI, so its
    // IssuerAndSerialNumber no longer matches: give it a plain ASCII self-signed certificate instead.
    const dir = corpus.scratchDir('signpdf-key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
      '-days', '30', '-subj', '/CN=Signpdf Test/C=VN'], { stdio: 'ignore' });
    const p12 = execFileSync('openssl', ['pkcs12', '-export', '-inkey', join(dir, 'k.pem'), '-in', join(dir, 'c.pem'), '-passout', 'pass:x']);
    const signed = readFileSync(await corpus.signedBySignpdf(p12, 'x'));
    expect(checkWithTools(signed).signatures.map((s) => s.valid)).toEqual([true]);
    const out = await signPdf(signed, { signer: seal });
    const report = checkWithTools(out);
    expect(report.signatures.map((s) => s.valid)).toEqual([true, true]);
  });

  test('the CMS is PAdES baseline: ESS signing-certificate-v2, no signingTime, verifies with openssl', async () => {
    const out = await signPdf(readFileSync(await corpus.pdfLibClassic()), { signer: leader });
    const check = opensslVerify(out, 0, caFile);
    expect(check.ok, check.output).toBe(true);
    expect(check.cmsText).toContain('id-smime-aa-signingCertificateV2');
    expect(check.cmsText).not.toContain('signingTime');
    expect(listSignatures(openPdf(out))[0]?.subFilter).toBe('ETSI.CAdES.detached');
  });

  test('ECDSA and RSA-PSS keys with SHA-384 / SHA-512 sign valid signatures', async () => {
    const ecdsa = await createP12Signer(pki.ecdsa.p12, pki.password);
    const pss = await createP12Signer(pki.rsaPss.p12, pki.password, { algorithm: 'RSA-PSS' });
    const a = await signPdf(readFileSync(await corpus.qpdfObjStm()), { signer: ecdsa, hash: 'SHA-384' });
    const b = await signPdf(a, { signer: pss, hash: 'SHA-512' });
    expect(checkWithTools(b).signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(opensslVerify(b, 1, caFile).ok).toBe(true);
    expect(opensslVerify(b, 0, caFile).ok).toBe(true);
  });

  test('B-T embeds a signature-time-stamp token from the TSA', async () => {
    const out = await signPdf(readFileSync(await corpus.pdfLibObjStm()), { signer: leader, level: 'B-T', timestamp: timestampFromUrl(tsa.url) });
    const check = opensslVerify(out, 0, caFile);
    expect(check.ok, check.output).toBe(true);
    expect(check.cmsText).toContain('id-smime-aa-timeStampToken');
    expect(checkWithTools(out).signatures[0]?.valid).toBe(true);
  });

  test('B-LTA: DSS with revocation data, then a document timestamp; earlier signature stays valid', async () => {
    const out = await signPdf(readFileSync(await corpus.pdfLibClassic()), {
      signer: leader, level: 'B-LTA', timestamp: timestampFromUrl(tsa.url), revocation: revocationOverHttp(),
    });
    const report = checkWithTools(out);
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures[0]?.valid).toBe(true);
    const sigs = listSignatures(openPdf(out));
    expect(sigs.map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached', 'ETSI.RFC3161']);
    const text = Buffer.from(out).toString('latin1');
    expect(text).toMatch(/\/DSS \d+ 0 R/);
    expect(text).toMatch(/\/OCSPs \[/);
    // /VRI: one entry, keyed by the SHA-1 of the signature's /Contents, naming its certificates and OCSP responses.
    const doc = openPdf(out);
    const dss = resolve(doc, getCatalog(doc).entries.get('DSS'));
    const vri = isDict(dss) ? resolve(doc, dss.entries.get('VRI')) : null;
    const key = createHash('sha1').update(sigs[0]?.contents ?? new Uint8Array(0)).digest('hex').toUpperCase();
    expect(isDict(vri) ? [...vri.entries.keys()] : []).toEqual([key]);
    const entry = isDict(vri) ? vri.entries.get(key) : null;
    const listed = (name: string) => (isDict(entry) ? resolve(doc, entry.entries.get(name)) : null);
    const certs = listed('Cert');
    const ocsps = listed('OCSP');
    expect(isArray(certs) && certs.items.length >= 3).toBe(true); // leader, intermediate, root (+ TSA)
    expect(isArray(ocsps) && ocsps.items.length >= 1).toBe(true);
    const dssCerts = isDict(dss) ? resolve(doc, dss.entries.get('Certs')) : null;
    expect(isArray(certs) && isArray(dssCerts) && certs.items.every((r) => dssCerts.items.some((d) => JSON.stringify(d) === JSON.stringify(r)))).toBe(true);
  });

  test('expired, not-yet-valid and wrong-key-usage certificates are refused', async () => {
    const pdf = readFileSync(await corpus.pdfLibClassic());
    for (const [role, code] of [['expired', 'signing.cert_expired'], ['notYetValid', 'signing.cert_not_yet_valid'], ['wrongKeyUsage', 'signing.cert_key_usage']] as const) {
      const signer = await createP12Signer(pki[role].p12, pki.password);
      await expect(signPdf(pdf, { signer })).rejects.toMatchObject({ code });
    }
  });

  test('wrong xref offsets: the file is recovered and the update carries a complete xref (no /Prev)', async () => {
    const bytes = readFileSync(await corpus.qpdfObjStm());
    const broken = Buffer.from(bytes.toString('latin1').replace(/startxref\s+\d+/g, 'startxref\n999999'), 'latin1');
    expect(openPdf(broken).recovered).toBe(true);
    const once = await signPdf(broken, { signer: leader });
    expect(openPdf(once).recovered).toBe(false);
    const twice = await signPdf(once, { signer: seal });
    const report = checkWithTools(twice);
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures.map((s) => s.valid)).toEqual([true, true]);
  });

  test('a truncated file is refused with signing.pdf_invalid and nothing else', async () => {
    const bytes = readFileSync(await corpus.pdfLibClassic());
    await expect(signPdf(bytes.subarray(0, 200), { signer: leader })).rejects.toMatchObject({ code: 'signing.pdf_invalid' });
  });

  test('a document certified with DocMDP P=1 is refused before anything is written', async () => {
    const doc = openPdf(readFileSync(await corpus.pdfLibClassic()));
    const allocate = createAllocator(doc);
    const sigNum = allocate();
    const mdp = pdfDict({ Type: pdfName('Sig'), Reference: pdfArray([pdfDict({ Type: pdfName('SigRef'), TransformMethod: pdfName('DocMDP'), TransformParams: pdfDict({ P: 1, V: pdfName('1.2') }) })]) });
    const catalog = copyDict(getCatalog(doc));
    catalog.entries.set('Perms', pdfDict({ DocMDP: pdfRef(sigNum) }));
    const root = getCatalogRef(doc);
    const update = writeIncrement(doc, [{ num: sigNum, body: mdp }, { num: root.num, body: catalog }], allocate).update;
    const certified = Buffer.concat([doc.bytes, update]);
    await expect(signPdf(certified, { signer: leader })).rejects.toMatchObject({ code: 'signing.pdf_certified_locked' });
  });

  test('an encrypted PDF is refused with signing.pdf_encrypted', async () => {
    const path = join(corpus.scratchDir('enc'), 'enc.pdf');
    execFileSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', await corpus.pdfLibClassic(), path]);
    await expect(signPdf(readFileSync(path), { signer: leader })).rejects.toMatchObject({ code: 'signing.pdf_encrypted' });
  });
});
