import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { loadPkcs12 } from '../../signing/keys.ts';
import { needTool } from '../../../test/tools.ts';
import { buildEdxml, buildStatusEdxml } from './edxml.build.ts';
import { parseEdxml, parseStatus } from './edxml.parse.ts';
import type { TEdxmlHeader } from './edxml.schemas.ts';
import { makeTestSigner, sampleHeader, sampleStatus } from './edxml.testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-build-'));
const signer = makeTestSigner('rsa');
const pdf = join(dir, 'van-ban.pdf');
writeFileSync(pdf, Buffer.from(Array.from({ length: 300_001 }, (_, i) => (i * 31) % 256)));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(isAppError(error) ? error.code : error).toBe(code);
}

describe('building and reading back a document package', () => {
  test('build → parse gives back the same header and the same attachment bytes, signed and valid', async () => {
    const out = join(dir, 'roundtrip.edxml');
    const text = new TextEncoder().encode('Tệp văn bản kèm theo');
    const built = await buildEdxml(sampleHeader(), [
      { name: 'van-ban.pdf', contentType: 'application/pdf', source: pdf, description: 'Văn bản chính' },
      { name: 'ghi-chu.txt', contentType: 'text/plain', source: text },
      { name: 'luong.bin', contentType: 'application/octet-stream', source: Readable.from([Buffer.from('abc'), Buffer.from('defg')]) },
    ], { signer }, out);
    const outDir = join(dir, 'extracted');
    const parsed = await parseEdxml(out, { attachmentSink: { dir: outDir } });
    expect(parsed.kind).toBe('edoc');
    expect(parsed.header).toEqual(sampleHeader());
    expect(parsed.attachments.map((a) => [a.contentId, a.name, a.contentType, a.size, a.sha256]))
      .toEqual(built.attachments.map((a) => [a.contentId, a.name, a.contentType, a.size, a.sha256]));
    expect(parsed.attachments[0]?.description).toBe('Văn bản chính');
    expect(sha(readFileSync(parsed.attachments[0]?.path ?? ''))).toBe(sha(readFileSync(pdf)));
    expect(readFileSync(parsed.attachments[1]?.path ?? '', 'utf8')).toBe('Tệp văn bản kèm theo');
    expect(readFileSync(parsed.attachments[2]?.path ?? '', 'utf8')).toBe('abcdefg');
    expect(parsed.signature).toMatchObject({ signed: true, valid: true, signatureMethod: 'rsa-sha256', problems: [] });
    expect(Buffer.from(parsed.signature.certificate ?? [])).toEqual(Buffer.from(signer.certificate));
    expect(parsed.signature.references.map((r) => r.covers)).toEqual(['envelope', 'attachment', 'attachment', 'attachment']);
  });

  test('the package uses the namespace, the explicit edXML: prefixes and the order of the standard', async () => {
    const out = join(dir, 'layout.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'a.txt', contentType: 'text/plain', source: new Uint8Array([65]) }], { signer }, out);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<edXML xmlns="http:\/\/www.mic.gov.vn\/TBT\/QCVN_102_2016"><edXML:edXMLEnvelope xmlns:edXML="http:\/\/www.mic.gov.vn\/TBT\/QCVN_102_2016"/);
    const order = ['<edXML:edXMLHeader>', '<edXML:MessageHeader>', '<edXML:From>', '<edXML:To>', '<edXML:DocumentId>', '<edXML:Code>',
      '<edXML:PromulgationInfo>', '<edXML:DocumentType>', '<edXML:Subject>', '<edXML:TraceHeaderList>', '<edXML:TraceHeader>',
      '<edXML:Bussiness>', '<edXML:BussinessDocType>0<', '<edXML:Signature xmlns:ds=', '<ds:SignedInfo>', '<edXML:edXMLBody>',
      '<edXML:edXMLManifest version="1.0">', '<edXML:Reference xlink:href="cid:', '<AttachmentEncoded><Attachment><ContentId>',
      '<ContentTransferEncoded>QQ==</ContentTransferEncoded>'];
    let at = 0;
    for (const marker of order) {
      const found = xml.indexOf(marker, at);
      expect(found, marker).toBeGreaterThanOrEqual(at);
      at = found;
    }
    expect(xml).toContain('<edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>');
    expect(xml).toContain('<edXML:Timestamp>2026/03/02 09:15:00</edXML:Timestamp>');
    expect(xml).toContain('<edXML:DocumentId>000.00.00.H49,2026/03/02,123/UBND-VP</edXML:DocumentId>');
  });

  test('revocation, update and replacement packages (BussinessDocType 1–3) round-trip', async () => {
    const base = sampleHeader();
    const variants: TEdxmlHeader['traceHeaderList']['bussiness'][] = [
      { bussinessDocType: 1, bussinessDocReason: 'Thu hồi do sai nơi nhận', documentId: '000.00.00.H49,2026/03/01,120/UBND-VP', paper: 0 },
      { bussinessDocType: 2, bussinessDocReason: 'Cập nhật nơi nhận', documentId: '000.00.00.H49,2026/03/01,120/UBND-VP',
        bussinessDocumentInfo: { documentInfo: 0, documentReceiver: 1, receiverList: [{ organId: '000.00.00.G17', receiverType: 1 }] } },
      { bussinessDocType: 3, bussinessDocReason: 'Thay thế văn bản sai nội dung', documentId: '000.00.00.H49,2026/03/01,120/UBND-VP',
        replacementInfoList: [{ documentId: '000.00.00.H49,2026/03/01,120/UBND-VP', organIdList: ['000.00.00.G22', '000.00.00.G09'] }] },
    ];
    for (const bussiness of variants) {
      const header = { ...base, traceHeaderList: { ...base.traceHeaderList, bussiness } };
      const out = join(dir, `type-${bussiness?.bussinessDocType}.edxml`);
      await buildEdxml(header, [], { signer }, out);
      const parsed = await parseEdxml(out);
      expect(parsed.header).toEqual(header);
      expect(parsed.signature.valid).toBe(true);
    }
  });

  test('a status package round-trips and parseStatus refuses a document package', async () => {
    const out = join(dir, 'status.edxml');
    await buildStatusEdxml(sampleStatus(), { signer }, out);
    const parsed = await parseStatus(out);
    expect(parsed.header).toEqual(sampleStatus());
    expect(parsed.signature.valid).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('<edXML:StatusCode>03</edXML:StatusCode>');
    const doc = join(dir, 'doc-for-status.edxml');
    await buildEdxml(sampleHeader(), [], {}, doc);
    await expectCode(parseStatus(doc), 'edxml.not_status');
  });

  test('wrong formats are refused with edxml.invalid_header and no output file is left', async () => {
    const out = join(dir, 'invalid.edxml');
    const bad = sampleHeader();
    bad.messageHeader.promulgationInfo.promulgationDate = '02/03/2026';
    bad.messageHeader.from.organId = 'H49';
    const error = await buildEdxml(bad, [], {}, out).catch((e: unknown) => e);
    expect(isAppError(error, 'edxml.invalid_header')).toBe(true);
    const paths = ((error as { details: { issues: { path: string }[] } }).details.issues).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['messageHeader.from.organId', 'messageHeader.promulgationInfo.promulgationDate']));
    const revoke = sampleHeader();
    revoke.traceHeaderList.bussiness = { bussinessDocType: 1 };
    await expectCode(buildEdxml(revoke, [], {}, out), 'edxml.invalid_header');
    const status = sampleStatus();
    status.messageHeader.statusCode = '09';
    await expectCode(buildStatusEdxml(status, {}, out), 'edxml.invalid_header');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  test('a missing attachment file gives edxml.io and leaves nothing behind', async () => {
    const out = join(dir, 'missing.edxml');
    await expectCode(buildEdxml(sampleHeader(), [{ name: 'x', contentType: 'a/b', source: join(dir, 'nope.pdf') }], {}, out), 'edxml.io');
    expect(existsSync(out)).toBe(false);
  });

  test('an ECDSA P-256 agency key signs ecdsa-sha256 and verifies', async () => {
    const out = join(dir, 'ec.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'a.pdf', contentType: 'application/pdf', source: pdf }], { signer: makeTestSigner('ec') }, out);
    expect((await parseEdxml(out)).signature).toMatchObject({ valid: true, signatureMethod: 'ecdsa-sha256' });
  });

  test('a signer loaded from a PKCS#12 with loadPkcs12 signs, and writing to a stream works', async () => {
    const { privateKey, certificate } = await loadPkcs12(readFileSync(signer.p12Path), signer.password);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await buildEdxml(sampleHeader(), [{ name: 'a.pdf', contentType: 'application/pdf', source: pdf }], { signer: { privateKey, certificate } }, sink);
    expect((await parseEdxml(Buffer.concat(chunks))).signature.valid).toBe(true);
  });
});

describe('tampering is detected', () => {
  test('a changed header, a changed attachment byte or a swapped certificate invalidates the signature', async () => {
    const out = join(dir, 'tamper.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'a.txt', contentType: 'text/plain', source: new TextEncoder().encode('Nội dung gốc của tệp') }], { signer }, out);
    const xml = readFileSync(out, 'utf8');
    const subject = await parseEdxml(Buffer.from(xml.replace('V/v báo cáo', 'V/v BÁO CÁO')));
    expect(subject.signature.valid).toBe(false);
    expect(subject.signature.problems.join()).toMatch(/không khớp/);
    const body = Buffer.from('Nội dung ĐÃ SỬA của tệp').toString('base64');
    const attachment = await parseEdxml(Buffer.from(xml.replace(/<ContentTransferEncoded>[^<]*</, `<ContentTransferEncoded>${body}<`)));
    expect(attachment.signature.valid).toBe(false);
    expect(attachment.signature.references.filter((r) => !r.ok).map((r) => r.covers)).toEqual(['attachment']);
    const other = makeTestSigner('rsa');
    const certB64 = Buffer.from(other.certificate).toString('base64');
    const swapped = await parseEdxml(Buffer.from(xml.replace(/<ds:X509Certificate>[^<]*</, `<ds:X509Certificate>${certB64}<`)));
    expect(swapped.signature.valid).toBe(false);
    expect(swapped.signature.problems.join()).toMatch(/SignatureValue/);
  });

  test('an unsigned package is reported as not signed', async () => {
    const out = join(dir, 'unsigned.edxml');
    await buildEdxml(sampleHeader(), [], {}, out);
    expect((await parseEdxml(out)).signature).toMatchObject({ signed: false, valid: false });
  });
});

describe.skipIf(!needTool('xmllint', 'xmlsec1'))('independent tools', () => {
  test('xmllint finds our packages well-formed', async () => {
    const out = join(dir, 'wellformed.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'a.pdf', contentType: 'application/pdf', source: pdf }], { signer }, out);
    const status = join(dir, 'wellformed-status.edxml');
    await buildStatusEdxml(sampleStatus(), { signer }, status);
    execFileSync('xmllint', ['--noout', out, status]);
  });

  test('xmlsec1 (libxml2/OpenSSL) verifies our envelope signature once edXML:Signature is named ds:Signature', async () => {
    // xmlsec1 looks for a ds:Signature element and cannot resolve cid: URIs, so the check is done on
    // packages without attachments; renaming the container touches neither SignedInfo nor the envelope
    // digest (the enveloped-signature transform removes the container whatever its name).
    for (const [name, build] of [
      ['doc', (p: string) => buildEdxml(sampleHeader(), [], { signer }, p)],
      ['status', (p: string) => buildStatusEdxml(sampleStatus(), { signer }, p)],
    ] as const) {
      const out = join(dir, `xmlsec-${name}.edxml`);
      await build(out);
      const renamed = readFileSync(out, 'utf8').replace('<edXML:Signature xmlns:ds=', '<ds:Signature xmlns:ds=').replace('</edXML:Signature>', '</ds:Signature>');
      writeFileSync(`${out}.xml`, renamed);
      const result = execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', signer.certPath, `${out}.xml`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(result).toBe('');
      // Tampered: xmlsec1 must fail too, so the check above is not vacuous.
      writeFileSync(`${out}.bad.xml`, renamed.replace('000.00.00.H49', '000.00.00.H48'));
      expect(() => execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', signer.certPath, `${out}.bad.xml`], { stdio: 'ignore' })).toThrow();
    }
  });
});
