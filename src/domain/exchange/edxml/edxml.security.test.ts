import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { needTool } from '../../../test/tools.ts';
import { buildEdxml } from './edxml.build.ts';
import { parseEdxml } from './edxml.parse.ts';
import { sampleHeader } from './edxml.testing.ts';
import { excC14n, type XElement } from './edxml.xml.ts';
import { createEdxmlSax } from './edxml.sax.ts';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-sec-'));
const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  return isAppError(error) ? error.code : String(error);
}

const minimal = (inner = '') => `<edXML xmlns="${NS}"><edXML:edXMLEnvelope xmlns:edXML="${NS}"><edXML:edXMLHeader><edXML:MessageHeader>`
  + '<edXML:From><edXML:OrganId>000.00.00.H49</edXML:OrganId></edXML:From><edXML:To><edXML:OrganId>000.00.00.G22</edXML:OrganId></edXML:To>'
  + '<edXML:Code><edXML:CodeNumber>1</edXML:CodeNumber><edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>'
  + '<edXML:PromulgationInfo><edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate></edXML:PromulgationInfo>'
  + `<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType><edXML:Subject>${inner}</edXML:Subject>`
  + '</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>';

describe('hostile packages are refused quickly with the right error code', () => {
  test('XXE: an external entity in a DOCTYPE is refused before anything is resolved', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${minimal('&xxe;')}`;
    expect(await codeOf(parseEdxml(Buffer.from(xxe)))).toBe('edxml.doctype_refused');
  });

  test('billion laughs: nested entity definitions are refused', async () => {
    const defs = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE edXML [${defs}]>${minimal('&lol9;')}`;
    const started = performance.now();
    expect(await codeOf(parseEdxml(Buffer.from(bomb)))).toBe('edxml.doctype_refused');
    expect(performance.now() - started).toBeLessThan(2000); // loose sanity bound: refused before any expansion
  });

  test('a plain DOCTYPE is refused, also when split across stream chunks', async () => {
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE edXML SYSTEM "http://example.invalid/edxml.dtd">${minimal()}`;
    const pieces = Readable.from(doc.match(/.{1,7}/gs)?.map((s) => Buffer.from(s)) ?? []);
    expect(await codeOf(parseEdxml(pieces))).toBe('edxml.doctype_refused');
  });

  test('an undeclared entity reference is refused', async () => {
    expect(await codeOf(parseEdxml(Buffer.from(minimal('&undeclared;'))))).toBe('edxml.entity_refused');
  });

  test('the predefined and numeric character references are read normally', async () => {
    const parsed = await parseEdxml(Buffer.from(minimal('A &amp; B &lt;C&gt; &#272;&#x1EA1;')));
    expect(parsed.header.messageHeader).toMatchObject({ subject: 'A & B <C> Đạ' });
  });

  test('an oversize package is refused by size (file, buffer and stream), without reading it all', async () => {
    const big = join(dir, 'big.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'x.bin', contentType: 'application/octet-stream', source: new Uint8Array(3 * 1024 * 1024) }], {}, big);
    expect(await codeOf(parseEdxml(big, { maxBytes: 1024 * 1024 }))).toBe('edxml.too_large');
    expect(await codeOf(parseEdxml(Buffer.alloc(2048), { maxBytes: 1024 }))).toBe('edxml.too_large');
    let served = 0;
    const endless = new Readable({ read() { served += 65536; this.push(Buffer.alloc(65536, 0x20)); } });
    expect(await codeOf(parseEdxml(endless, { maxBytes: 1024 * 1024 }))).toBe('edxml.too_large');
    expect(served).toBeLessThan(4 * 1024 * 1024);
  });

  test('an oversize or too deeply nested envelope is refused', async () => {
    const huge = minimal('x'.repeat(200_000));
    expect(await codeOf(parseEdxml(Buffer.from(huge), { maxHeaderChars: 100_000 }))).toBe('edxml.header_too_large');
    const deep = minimal(`${'<edXML:X>'.repeat(100)}${'</edXML:X>'.repeat(100)}`);
    expect(await codeOf(parseEdxml(Buffer.from(deep)))).toBe('edxml.header_too_large');
  });

  test('malformed XML, a wrong root, a non-UTF-8 encoding and bad base64 each have their code', async () => {
    expect(await codeOf(parseEdxml(Buffer.from(minimal().replace('</edXML:Subject>', ''))))).toBe('edxml.malformed');
    expect(await codeOf(parseEdxml(Buffer.from('<html><body/></html>')))).toBe('edxml.not_edxml');
    expect(await codeOf(parseEdxml(Buffer.from(`<edXML xmlns="urn:other">${minimal()}</edXML>`)))).toBe('edxml.not_edxml');
    expect(await codeOf(parseEdxml(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${minimal()}`)))).toBe('edxml.unsupported_encoding');
    expect(await codeOf(parseEdxml(Buffer.from(`\ufeff${minimal()}`, 'utf16le')))).toBe('edxml.unsupported_encoding');
    const badBase64 = minimal().replace('</edXML>', '<AttachmentEncoded><Attachment><ContentId>1</ContentId><ContentTransferEncoded>QUJD$$$</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>');
    expect(await codeOf(parseEdxml(Buffer.from(badBase64)))).toBe('edxml.bad_base64');
    expect(await codeOf(parseEdxml(join(dir, 'does-not-exist.edxml')))).toBe('edxml.io');
  });

  test('a refused package leaves no extracted attachment behind', async () => {
    const out = join(dir, 'partial');
    const doc = minimal().replace('</edXML>', '<AttachmentEncoded><Attachment><ContentId>1</ContentId><ContentTransferEncoded>QUJD</ContentTransferEncoded></Attachment>'
      + '<Attachment><ContentId>2</ContentId><ContentTransferEncoded>QUJD!!</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>');
    expect(await codeOf(parseEdxml(Buffer.from(doc), { attachmentSink: { dir: out } }))).toBe('edxml.bad_base64');
    expect((await import('node:fs')).readdirSync(out)).toEqual([]);
  });
});

describe.skipIf(!needTool('xmllint'))('exclusive c14n matches libxml2', () => {
  test('our exc-c14n of tricky envelopes equals xmllint --exc-c14n', () => {
    const cases = [
      `<a:root xmlns:a="urn:a" xmlns="urn:d" xmlns:unused="urn:u"><a:x b="2" a:c="1" z="&lt;&quot;&#9;&#10;">t &amp; &lt; &gt; \r</a:x><y xmlns="">plain</y><z/></a:root>`,
      `<edXML:edXMLEnvelope xmlns:edXML="${NS}" xmlns:xlink="http://www.w3.org/1999/xlink"><edXML:R xlink:href="cid:1" xlink:type="simple" version="1.0"><edXML:N>Tiếng Việt có dấu</edXML:N></edXML:R><inner xmlns="urn:x"><deeper/></inner></edXML:edXMLEnvelope>`,
      `<p:r xmlns:p="urn:p" xmlns:q="urn:q"><q:s xmlns:p="urn:p2"><p:t q:attr="v" xml:lang="vi"/></q:s></p:r>`,
    ];
    for (const [i, xml] of cases.entries()) {
      const file = join(dir, `c14n-${i}.xml`);
      writeFileSync(file, xml);
      const expected = execFileSync('xmllint', ['--exc-c14n', file], { encoding: 'utf8' });
      let tree: XElement | undefined;
      // Reuse the package SAX layer so the test covers the same tree building as production.
      const sax = createEdxmlSax({
        onEnvelope: (env) => { tree = env; return { keepDocument: false }; },
        openAttachment: () => ({ data: () => undefined, end: () => undefined }),
        closeAttachment: () => undefined,
      }, { maxHeaderChars: 1e6, maxDocumentChars: 1e6, maxDepth: 64 });
      const wrapped = xml.startsWith('<edXML:edXMLEnvelope') ? xml : `<edXML:edXMLEnvelope xmlns:edXML="${NS}">${xml}</edXML:edXMLEnvelope>`;
      sax.write(wrapped);
      sax.close();
      const apex = xml.startsWith('<edXML:edXMLEnvelope') ? tree : tree?.children.find((c): c is XElement => c.kind === 'element');
      expect(apex ? excC14n(apex) : undefined, `case ${i}`).toBe(expected);
    }
  });
});
