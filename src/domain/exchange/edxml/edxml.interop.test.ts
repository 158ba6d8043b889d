import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { parseEdxml } from './edxml.parse.ts';
import { makeTestSigner } from './edxml.testing.ts';

/**
 * Packages written the way other QCVN 102 implementations write them (hand-written from the public
 * builders studied for this module: the C#-SDK-based Lạng Sơn LGSP builder, the VPCP gateway's manual
 * Java builder, Bkav's edoc SDK, the VNPT SDK signature sample). Our parser must read all of them.
 */

const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-interop-'));
const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pdfBytes = Buffer.from('%PDF-1.4\n% văn bản thử\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'.repeat(40));
const wrap76 = (b64: string) => b64.replace(/(.{76})/g, '$1\r\n');

describe('foreign packages are read', () => {
  test('C#-SDK style (Lạng Sơn LGSP): pretty-printed, xsi/xsd, TraceHeaderList attributes, empty DigitalSignature, AttachmentName after the content', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="${NS}">
  <edXML:edXMLEnvelope xmlns:edXML="${NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.00.H44</edXML:OrganId><edXML:OrganizationInCharge>UBND tỉnh Lạng Sơn</edXML:OrganizationInCharge><edXML:OrganName>Sở Nội vụ</edXML:OrganName></edXML:From>
        <edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId><edXML:OrganName>UBND tỉnh Quảng Ninh</edXML:OrganName></edXML:To>
        <edXML:Code><edXML:CodeNumber>45</edXML:CodeNumber><edXML:CodeNotation>SNV-VP</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Lạng Sơn</edXML:Place><edXML:PromulgationDate>2019/01/08</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>18</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName><edXML:TypeDetail>0</edXML:TypeDetail></edXML:DocumentType>
        <edXML:Subject>V/v phối hợp</edXML:Subject>
        <edXML:Content>V/v phối hợp</edXML:Content>
        <edXML:SignerInfo><edXML:Competence>Truc tiep</edXML:Competence><edXML:Position>Giám đốc</edXML:Position><edXML:FullName>Hoàng Văn D</edXML:FullName></edXML:SignerInfo>
        <edXML:DueDate>2019/01/10</edXML:DueDate>
        <edXML:ToPlaces><edXML:Place>UBND tỉnh Quảng Ninh</edXML:Place></edXML:ToPlaces>
        <edXML:OtherInfo><edXML:Priority>0</edXML:Priority><edXML:SphereOfPromulgation>Lien thong van ban</edXML:SphereOfPromulgation><edXML:TyperNotation>TVC</edXML:TyperNotation><edXML:PromulgationAmount>1</edXML:PromulgationAmount><edXML:PageAmount>1</edXML:PageAmount><edXML:Appendixes><edXML:Appendix></edXML:Appendix></edXML:Appendixes></edXML:OtherInfo>
        <edXML:SteeringType>0</edXML:SteeringType>
        <edXML:DocumentId>000.00.00.H44,2019/01/08,45/SNV-VP</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList id="a1b2c3d4" version="1.0" mustUnderstand="1" actor="http://schemas.xmlsoap.org/soap/actor/next">
        <edXML:TraceHeader><edXML:OrganId>000.00.00.H44</edXML:OrganId><edXML:Timestamp>2019/01/08 10:11:12</edXML:Timestamp></edXML:TraceHeader>
        <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:BussinessDocReason>Van ban dien tu moi</edXML:BussinessDocReason>
          <edXML:StaffInfo><edXML:Department>N/A</edXML:Department><edXML:Staff>Hoàng Văn D</edXML:Staff><edXML:Mobile></edXML:Mobile><edXML:Email></edXML:Email></edXML:StaffInfo>
          <edXML:Paper>0</edXML:Paper></edXML:Bussiness>
      </edXML:TraceHeaderList>
      <edXML:DigitalSignature />
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:4f0e7d5a-1111-4c2b-9a7e-000000000001" xlink:role="XLinkRole" xlink:type="simple">
          <edXML:Description>File dinh kem 1</edXML:Description><edXML:AttachmentName>cv45.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentId>cid:4f0e7d5a-1111-4c2b-9a7e-000000000001</edXML:ContentId>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentType>application/pdf</ContentType>
      <ContentId>4f0e7d5a-1111-4c2b-9a7e-000000000001</ContentId>
      <Description>File dinh kem 1</Description>
      <ContentTransferEncoded>${wrap76(pdfBytes.toString('base64'))}</ContentTransferEncoded>
      <AttachmentName>cv45.pdf</AttachmentName>
    </Attachment>
  </AttachmentEncoded>
</edXML>`;
    const parsed = await parseEdxml(Buffer.from(xml.replace(/\n/g, '\r\n')));
    expect(parsed.kind).toBe('edoc');
    if (parsed.kind !== 'edoc') return;
    expect(parsed.header.messageHeader).toMatchObject({
      from: { organId: '000.00.00.H44', organName: 'Sở Nội vụ' }, code: { codeNumber: '45', codeNotation: 'SNV-VP' },
      documentType: { type: 18, typeDetail: 0, typeName: 'Công văn' }, documentId: '000.00.00.H44,2019/01/08,45/SNV-VP',
      otherInfo: { priority: 0, appendixes: [''] }, toPlaces: ['UBND tỉnh Quảng Ninh'],
    });
    expect(parsed.header.traceHeaderList.traceHeader).toEqual([{ organId: '000.00.00.H44', timestamp: '2019/01/08 10:11:12' }]);
    expect(parsed.header.traceHeaderList.bussiness).toMatchObject({ bussinessDocType: 0, paper: 0, staffInfo: [{ staff: 'Hoàng Văn D', mobile: '' }] });
    expect(parsed.attachments).toEqual([{
      contentId: '4f0e7d5a-1111-4c2b-9a7e-000000000001', name: 'cv45.pdf', contentType: 'application/pdf', description: 'File dinh kem 1',
      size: pdfBytes.length, sha256: sha(pdfBytes),
    }]);
    expect(parsed.signature).toMatchObject({ signed: false, valid: false });
  });

  test.skipIf(!needTool('zip'))('VPCP gateway style: zipped attachment, edXML:ContentTransferEncoded in an unprefixed Attachment, Bussiness before TraceHeader', async () => {
    const pdf = join(dir, 'to-trinh.pdf');
    writeFileSync(pdf, pdfBytes);
    const zipPath = join(dir, 'to-trinh.zip');
    execFileSync('zip', ['-j', '-q', zipPath, pdf]);
    const zipBytes = readFileSync(zipPath);
    const cid = 'cid:9b1c2d3e-2222-4c2b-9a7e-000000000002';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${NS}">
  <edXML:edXMLEnvelope xmlns:edXML="${NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganizationInCharge>Văn phòng Chính phủ</edXML:OrganizationInCharge><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:From>
        <edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId><edXML:OrganizationInCharge>000.00.00.H49</edXML:OrganizationInCharge><edXML:OrganName>000.00.00.H49</edXML:OrganName></edXML:To>
        <edXML:DocumentId>5f3c2a10-8c1e-4d1e-9a51-2b0c7e9d1f00</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>20260302101500</edXML:CodeNumber><edXML:CodeNotation>GW-AUTO</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>Tờ trình</edXML:Subject><edXML:Content>File uploaded via Gateway</edXML:Content>
        <edXML:SignerInfo><edXML:FullName>Gateway Auto</edXML:FullName></edXML:SignerInfo>
        <edXML:OtherInfo><edXML:Priority>0</edXML:Priority><edXML:Direction>false</edXML:Direction></edXML:OtherInfo>
        <edXML:SteeringType>0</edXML:SteeringType>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:Paper>0</edXML:Paper></edXML:Bussiness>
        <edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Timestamp>2026/03/02 10:15:00</edXML:Timestamp></edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0">
      <edXML:Reference><edXML:ContentId>${cid}</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType><edXML:AttachmentName>to-trinh.pdf</edXML:AttachmentName></edXML:Reference>
    </edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>${cid}</ContentId><AttachmentName>to-trinh.pdf</AttachmentName><ContentType>application/pdf</ContentType>
      <edXML:ContentTransferEncoded xmlns:edXML="${NS}">${zipBytes.toString('base64')}</edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>`;
    const out = join(dir, 'gateway-out');
    const parsed = await parseEdxml(Buffer.from(xml), { attachmentSink: { dir: out } });
    expect(parsed.header.messageHeader).toMatchObject({ documentId: '5f3c2a10-8c1e-4d1e-9a51-2b0c7e9d1f00', otherInfo: { priority: 0, direction: false } });
    expect(parsed.kind === 'edoc' && parsed.header.traceHeaderList).toMatchObject({ bussiness: { bussinessDocType: 0 }, traceHeader: [{ organId: '000.00.00.G22' }] });
    const [a] = parsed.attachments;
    expect(a).toMatchObject({ contentId: '9b1c2d3e-2222-4c2b-9a7e-000000000002', name: 'to-trinh.pdf', size: zipBytes.length, sha256: sha(zipBytes) });
    // The bytes are the sender's zip: unzipping them gives back the document.
    expect(execFileSync('unzip', ['-p', a?.path ?? '']).equals(pdfBytes)).toBe(true);
  });

  test('Bkav SDK style and the axis capture form: Business/OrganInCharge spellings, dd/MM/yyyy timestamps, unqualified empty Signature, envelope as root', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><edXML:edXMLEnvelope xmlns:edXML="${NS}"><edXML:edXMLHeader><edXML:MessageHeader>`
      + '<edXML:From><edXML:OrganId>000.00.01.H53</edXML:OrganId><edXML:OrganName>Đơn vị thử nghiệm</edXML:OrganName><edXML:OrganInCharge>UBND tỉnh</edXML:OrganInCharge><edXML:Fax></edXML:Fax></edXML:From>'
      + '<edXML:To><edXML:OrganId>000.00.00.G22</edXML:OrganId></edXML:To>'
      + '<edXML:Code><edXML:CodeNumber>7</edXML:CodeNumber><edXML:CodeNotation>UBND-TH</edXML:CodeNotation></edXML:Code>'
      + '<edXML:PromulgationInfo><edXML:Place>Vĩnh Long</edXML:Place><edXML:PromulgationDate>2020/06/01</edXML:PromulgationDate></edXML:PromulgationInfo>'
      + '<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Cong van</edXML:TypeName></edXML:DocumentType><edXML:Subject>Hồ sơ liên thông</edXML:Subject>'
      + '</edXML:MessageHeader><edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.01.H53</edXML:OrganId><edXML:Timestamp>01/06/2020 08:00:00</edXML:Timestamp></edXML:TraceHeader>'
      + '<edXML:Business><edXML:BusinessDocType>2</edXML:BusinessDocType><edXML:BusinessDocReason>Lý do cập nhật</edXML:BusinessDocReason><edXML:Paper>1</edXML:Paper>'
      + '<edXML:BusinessDocumentInfo><edXML:DocumentInfo></edXML:DocumentInfo><edXML:DocumentReceiver>1</edXML:DocumentReceiver><edXML:ReceiverList><edXML:Receiver><edXML:ReceiverType>1</edXML:ReceiverType><edXML:OrganId>000.01.01.H08</edXML:OrganId></edXML:Receiver></edXML:ReceiverList></edXML:BusinessDocumentInfo></edXML:Business>'
      + '</edXML:TraceHeaderList><Signature xmlns=""><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>'
      + '<Reference URI=""><Transforms/><DigestMethod>http://www.w3.org/2000/09/xmldsig#sha1</DigestMethod><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo></Signature>'
      + '</edXML:edXMLHeader></edXML:edXMLEnvelope>';
    const parsed = await parseEdxml(Buffer.from(xml));
    expect(parsed.kind).toBe('edoc');
    if (parsed.kind !== 'edoc') return;
    expect(parsed.header.messageHeader.from).toEqual({ organId: '000.00.01.H53', organName: 'Đơn vị thử nghiệm', organizationInCharge: 'UBND tỉnh', fax: '' });
    expect(parsed.header.traceHeaderList).toEqual({
      traceHeader: [{ organId: '000.00.01.H53', timestamp: '01/06/2020 08:00:00' }],
      bussiness: { bussinessDocType: 2, bussinessDocReason: 'Lý do cập nhật', paper: 1,
        bussinessDocumentInfo: { documentReceiver: 1, receiverList: [{ organId: '000.01.01.H08', receiverType: 1 }] } },
    });
    expect(parsed.signature).toMatchObject({ signed: false, valid: false });
  });

  test('a status package with the envelope as root (as the axis delivers it) is read as a status', async () => {
    const xml = `<edXML:edXMLEnvelope xmlns:edXML="${NS}"><edXML:edXMLHeader><edXML:MessageHeader>`
      + '<edXML:ResponseFor><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Code>7816/VPCP-TTĐT</edXML:Code><edXML:PromulgationDate>2015/09/30</edXML:PromulgationDate><edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId></edXML:ResponseFor>'
      + '<edXML:From><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:OrganName>UBND Tỉnh Nghệ An</edXML:OrganName></edXML:From>'
      + '<edXML:StatusCode>01</edXML:StatusCode><edXML:Description>Văn thư - Phòng Văn thư - Lưu trữ: Đã đến</edXML:Description><edXML:Timestamp>2026/03/02 08:00:00</edXML:Timestamp>'
      + '<edXML:StaffInfo><edXML:Department>Văn thư văn phòng</edXML:Department><edXML:Staff>Nguyễn Thị Ngọc Trâm</edXML:Staff><edXML:Mobile>84912000001</edXML:Mobile><edXML:Email>vanthuvanphong@gov.vn</edXML:Email></edXML:StaffInfo>'
      + '</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>';
    const parsed = await parseEdxml(Buffer.from(xml));
    expect(parsed.kind).toBe('status');
    expect(parsed.header.messageHeader).toMatchObject({ statusCode: '01', responseFor: { code: '7816/VPCP-TTĐT' }, from: { organId: '000.00.00.H41' } });
  });
});

describe.skipIf(!needTool('xmlsec1'))('an SDK-style RSA-SHA1 signature over the whole document (URI=""), made by xmlsec1', () => {
  test('is verified, and a changed attachment byte breaks it', async () => {
    const signer = makeTestSigner('rsa');
    const template = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${NS}"><edXML:edXMLEnvelope xmlns:edXML="${NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.H20</edXML:OrganId><edXML:OrganName>Sở TT&amp;TT Đồng Tháp</edXML:OrganName></edXML:From><edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId></edXML:To>
<edXML:Code><edXML:CodeNumber>9</edXML:CodeNumber><edXML:CodeNotation>STTTT-VP</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:PromulgationDate>2020/07/03</edXML:PromulgationDate></edXML:PromulgationInfo>
<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Cong van</edXML:TypeName></edXML:DocumentType><edXML:Subject>Hồ sơ liên thông</edXML:Subject></edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness></edXML:TraceHeaderList>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>
<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>
<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509SubjectName/><X509Certificate/></X509Data></KeyInfo></Signature>
</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference><edXML:ContentId>cid:209</edXML:ContentId><edXML:AttachmentName>slide.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>
<AttachmentEncoded><Attachment><ContentId>209</ContentId><AttachmentName>slide.pdf</AttachmentName><ContentType>application/pdf</ContentType><ContentTransferEncoded>${wrap76(pdfBytes.toString('base64'))}</ContentTransferEncoded></Attachment></AttachmentEncoded>
</edXML>`;
    const tmpl = join(dir, 'sdk-template.xml');
    const signed = join(dir, 'sdk-signed.edxml');
    writeFileSync(tmpl, template);
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${signer.keyPath},${signer.certPath}`, '--output', signed, tmpl], { stdio: 'ignore' });
    const parsed = await parseEdxml(signed);
    expect(parsed.signature).toMatchObject({ signed: true, valid: true, signatureMethod: 'rsa-sha1', problems: [] });
    expect(parsed.signature.references).toEqual([{ uri: '', covers: 'document', digest: 'sha1', ok: true }]);
    expect(parsed.attachments[0]).toMatchObject({ contentId: '209', name: 'slide.pdf', sha256: sha(pdfBytes) });
    const bytes = readFileSync(signed, 'utf8');
    const changed = Buffer.from(pdfBytes.toString('base64').replace(/^JVBERi0xLjQ/, 'JVBERi0xLjU'), 'utf8').toString();
    const tampered = bytes.replace(/<ContentTransferEncoded>[^<]*</, `<ContentTransferEncoded>${changed}<`);
    expect((await parseEdxml(Buffer.from(tampered))).signature.valid).toBe(false);
    // Above the keep-limit the whole-document reference cannot be checked and the package is not valid.
    const small = await parseEdxml(signed, { maxDocumentChars: 1000 });
    expect(small.signature.valid).toBe(false);
    expect(small.signature.problems.join()).toMatch(/quá lớn/);
  });
});
