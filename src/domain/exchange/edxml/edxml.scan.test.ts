import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { buildEdxml, buildStatusEdxml } from './edxml.build.ts';
import { parseEdxml } from './edxml.parse.ts';
import { readEdxmlHeader } from './edxml.read-header.ts';
import { createScanner, type ScanEvent } from './edxml.scan.ts';
import { makeTestSigner, sampleHeader, sampleStatus } from './edxml.testing.ts';

const signer = makeTestSigner('rsa');

async function bytesOf(produce: (out: Writable) => Promise<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await produce(new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
  return Buffer.concat(chunks);
}

const documentPackage = await bytesOf((out) => buildEdxml(sampleHeader(), [
  { name: 'van-ban.pdf', contentType: 'application/pdf', source: randomBytes(150_001) },
  { name: 'phu-luc.bin', contentType: 'application/octet-stream', description: 'Phụ lục', source: randomBytes(3_002) },
], { signer }, out));
const statusPackage = await bytesOf((out) => buildStatusEdxml(sampleStatus(), { signer }, out));
const doc = documentPackage.toString('utf8');

/** What a parse gives (or the code it throws), comparable between the two ways of reading. */
async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return JSON.parse(JSON.stringify(await read(), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
  } catch (error) {
    return { error: isAppError(error) ? error.code : String(error) };
  }
}

/**
 * A Uint8Array takes the fast scanner (when it can); a stream always goes through saxes, here in the
 * pieces the Uint8Array's saxes way reads (64 KiB for a parse, 2 KiB for a header read).
 */
async function bothWays(text: string) {
  const bytes = Buffer.from(text, 'utf8');
  const stream = (size: number) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));
  return {
    parse: [await outcome(() => parseEdxml(bytes)), await outcome(() => parseEdxml(stream(64 * 1024)))],
    header: [await outcome(() => readEdxmlHeader(bytes)), await outcome(() => readEdxmlHeader(stream(2 * 1024)))],
  };
}

function scanAll(pieces: string[]): ScanEvent[] | undefined {
  const scanner = createScanner();
  const events: ScanEvent[] = [];
  for (const piece of pieces) {
    const more = scanner.push(piece);
    if (!more) return undefined;
    events.push(...more);
  }
  return scanner.end() ? events : undefined;
}

/** Events with adjacent texts joined (where a piece ends cuts text in two, as saxes' chunks do). */
function joined(events: ScanEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const last = out[out.length - 1] as ScanEvent | undefined;
    if (e.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + e.text };
    else out.push(e.kind === 'open' ? { kind: 'open', tag: { ...e.tag, attributes: { ...e.tag.attributes } } } : e);
  }
  return out;
}

describe('the fast scanner reads plain packages as saxes does, and leaves the rest to saxes', () => {
  test('our document and status packages are taken by the scanner whole', () => {
    expect(scanAll([doc])).toBeDefined();
    expect(scanAll([statusPackage.toString('utf8')])).toBeDefined();
  });

  test('cut anywhere into two pieces, a package gives the same events', () => {
    const status = statusPackage.toString('utf8');
    const whole = joined(scanAll([status]) ?? []);
    for (let cut = 1; cut < status.length; cut += 7) {
      expect(joined(scanAll([status.slice(0, cut), status.slice(cut)]) ?? []), `cut at ${cut}`).toEqual(whole);
    }
  });

  test('a well-formed package gives the same header, attachments and signature check either way', async () => {
    const { parse, header } = await bothWays(doc);
    expect(parse[0]).toEqual(parse[1]);
    expect((parse[0] as { signature: { valid: boolean } }).signature.valid).toBe(true);
    expect(header[0]).toEqual(header[1]);
  });

  test('a bad character or a padding deep inside the base64 is refused as bad base64, whitespace in it is not', async () => {
    const at = (insert: string) => doc.replace(/(<ContentTransferEncoded>[^<]{100000})/, `$1${insert}`);
    expect((await bothWays(at('*'))).parse[0]).toEqual({ error: 'edxml.bad_base64' });
    expect((await bothWays(at('A='))).parse[0]).toEqual({ error: 'edxml.bad_base64' });
    const spaced = (await bothWays(at(' \n\t'))).parse[0] as { attachments: unknown[] };
    expect(spaced.attachments).toEqual((await outcome(() => parseEdxml(documentPackage)) as { attachments: unknown[] }).attachments);
  });

  test('a padding followed by a letter at the end of the base64 is refused as bad base64; a proper ending is read the same either way', async () => {
    const end = (tail: string) => doc.replace(/==<\/ContentTransferEncoded>/, `${tail}</ContentTransferEncoded>`);
    for (const tail of ['=A', 'A=A', '=AA', '=A=']) {
      expect((await bothWays(end(tail))).parse, tail).toEqual([{ error: 'edxml.bad_base64' }, { error: 'edxml.bad_base64' }]);
    }
    for (const tail of ['A=', '==', 'AA']) {
      const { parse } = await bothWays(end(tail));
      expect(parse[0], tail).toEqual(parse[1]);
      expect((parse[0] as { attachments: unknown[] }).attachments, tail).toHaveLength(2);
    }
  });

  test('a character Node\'s base64 decoder would read anyway (URL-safe -, _; a letter above U+00FF read by its low byte; é) is refused as bad base64 wherever it falls in a group', async () => {
    for (const bad of ['-', '_', 'Ł', 'ａ', 'é']) {
      for (const offset of [100000, 100001, 100002, 100003]) {
        const changed = doc.replace(new RegExp(`(<ContentTransferEncoded>[^<]{${offset}})`), `$1${bad}`);
        expect((await bothWays(changed)).parse, `${bad} after ${offset}`).toEqual([{ error: 'edxml.bad_base64' }, { error: 'edxml.bad_base64' }]);
      }
    }
  });

  test('wherever the attachment\'s start tag falls against the pieces the scanner reads, the same attachments either way', async () => {
    // The scanner reads the package in pieces of 32 KiB, cut after the start tag of an attachment's content
    // when one begins in a piece (the base64 after it is then taken from the bytes); here the tag is moved
    // across a piece's end, a byte at a time (the subject's 'ệ' is three bytes).
    const expected = (await outcome(() => parseEdxml(documentPackage)) as { attachments: unknown[] }).attachments;
    const tagAt = Buffer.byteLength(doc.slice(0, doc.indexOf('<ContentTransferEncoded>')), 'utf8');
    for (let shift = -30; shift <= 30; shift += 1) {
      const fill = 32 * 1024 + shift - tagAt;
      const changed = doc.replace('<edXML:Subject>', `<edXML:Subject>${'ệ'.repeat(Math.floor(fill / 3))}${'x'.repeat(fill % 3)}`);
      const { parse } = await bothWays(changed);
      expect(parse[0], `shift ${shift}`).toEqual(parse[1]);
      expect((parse[0] as { attachments: unknown[] }).attachments, `shift ${shift}`).toEqual(expected);
    }
  });

  // true: the scanner reads it; false: it is left to saxes (which refuses it or reads it).
  const variants: Record<string, [boolean, (s: string) => string]> = {
    'CRLF between the tags': [false, (s) => s.replace(/></g, '>\r\n<')],
    'base64 wrapped at 76 characters with CRLF': [true, (s) => s.replace(/(<ContentTransferEncoded>)([^<]+)/g, (_m, open: string, b64: string) => open + b64.replace(/.{76}/g, '$&\r\n'))],
    'a comment': [false, (s) => s.replace('<edXML:MessageHeader>', '<edXML:MessageHeader><!-- ghi chú -->')],
    'CDATA in the subject': [false, (s) => s.replace('<edXML:Subject>', '<edXML:Subject><![CDATA[a<b]]>')],
    'a processing instruction': [false, (s) => s.replace('<edXML:MessageHeader>', '<edXML:MessageHeader><?pi x?>')],
    'character references in the subject': [true, (s) => s.replace('<edXML:Subject>', '<edXML:Subject>&#65;&#x42;&amp;&apos;')],
    'an undeclared entity': [false, (s) => s.replace('<edXML:Subject>', '<edXML:Subject>&nbsp;')],
    'a forbidden character reference': [false, (s) => s.replace('<edXML:Subject>', '<edXML:Subject>&#0;')],
    'a forbidden character': [false, (s) => s.replace('<edXML:Subject>', '<edXML:Subject>\u0001')],
    'an unbound prefix': [false, (s) => s.replace('<edXML:MessageHeader>', '<edXML:MessageHeader><x:y/>')],
    'a duplicate attribute': [false, (s) => s.replace('version="1.0"', 'version="1.0" version="1.0"')],
    'an attribute without quotes': [false, (s) => s.replace('version="1.0"', 'version=1.0')],
    'a tab in an attribute': [false, (s) => s.replace('version="1.0"', 'version="1.\t0"')],
    'a mismatched close tag': [false, (s) => s.replace('</edXML:Subject>', '</edXML:Subjet>')],
    'text after the root': [false, (s) => `${s}rác`],
    'a second root': [false, (s) => `${s}<edXML/>`],
    'a cut end': [false, (s) => s.slice(0, s.length - 40)],
    'a cut inside the envelope': [false, (s) => s.slice(0, 3000)],
    'an ampersand in the base64': [false, (s) => s.replace('<ContentTransferEncoded>', '<ContentTransferEncoded>&amp;')],
    'base64 wrapped at 76 characters with LF': [true, (s) => s.replace(/(<ContentTransferEncoded>)([^<]+)/g, (_m, open: string, b64: string) => open + b64.replace(/.{76}/g, '$&\n'))],
    'a space and a tab deep in the base64': [true, (s) => s.replace(/(<ContentTransferEncoded>[^<]{70001})/, '$1 \t')],
    'a bad character deep in the base64': [true, (s) => s.replace(/(<ContentTransferEncoded>[^<]{100000})/, '$1*')],
    'padding in the middle of the base64': [true, (s) => s.replace(/(<ContentTransferEncoded>[^<]{100000})/, '$1=')],
    'bad base64': [true, (s) => s.replace('<ContentTransferEncoded>', '<ContentTransferEncoded>!!')],
    'a DOCTYPE': [false, (s) => s.replace('\n<edXML', '\n<!DOCTYPE edXML><edXML')],
    'a UTF-16 encoding declaration': [true, (s) => s.replace('encoding="UTF-8"', 'encoding="UTF-16"')],
    'no XML declaration': [true, (s) => s.slice(s.indexOf('<edXML'))],
    'single quotes, spaces and xml:lang in tags': [true, (s) => s.replace('<edXML:Subject>', "<edXML:Subject  xml:lang = 'vi' >").replace('</edXML:Subject>', '</edXML:Subject >')],
    'prefixes declared again on a child': [true, (s) => s.replace('<edXML:Subject>', '<edXML:Subject xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:k="urn:k" k:a="1">')],
    'a default namespace and empty elements inside a field': [true, (s) => s.replace('<edXML:Subject>', '<edXML:Subject><p xmlns="urn:p"><q/><r xmlns=""/></p>')],
    'nesting 300 deep after the envelope': [false, (s) => s.replace('</edXML>', `${'<x>'.repeat(300)}${'</x>'.repeat(300)}</edXML>`)],
    '30 000 empty elements after the envelope (more events than a parse keeps)': [true, (s) => s.replace('</edXML>', `${'<x/>'.repeat(30_000)}</edXML>`)],
    'a changed header value': [true, (s) => s.replace('Công văn', 'Công văm')],
    'an emptied prefix declaration': [false, (s) => s.replace('<edXML:Subject>', '<edXML:Subject xmlns:edXML="">')],
  };
  for (const [name, [scanned, change]] of Object.entries(variants)) {
    test(`${name}: the same outcome either way (${scanned ? 'read by the scanner' : 'left to saxes'})`, async () => {
      expect(scanAll([change(doc)]) !== undefined).toBe(scanned);
      const { parse, header } = await bothWays(change(doc));
      expect(parse[0]).toEqual(parse[1]);
      expect(header[0]).toEqual(header[1]);
    });
  }
});
