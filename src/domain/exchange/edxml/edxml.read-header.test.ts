import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { buildEdxml, buildStatusEdxml } from './edxml.build.ts';
import { parseEdxml } from './edxml.parse.ts';
import { readEdxmlHeader } from './edxml.read-header.ts';
import { makeTestSigner, sampleHeader, sampleStatus } from './edxml.testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const signer = makeTestSigner('rsa');

async function codeOf(p: Promise<unknown>): Promise<unknown> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  return isAppError(error) ? error.code : error;
}

describe('reading only the envelope of a package', () => {
  test('gives the same header, manifest and signature element as the full parse', async () => {
    const out = join(dir, 'doc.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'van-ban.pdf', contentType: 'application/pdf', source: randomBytes(200_000) }], { signer }, out);
    const full = await parseEdxml(out);
    const head = await readEdxmlHeader(readFileSync(out));
    expect(head.kind).toBe('edoc');
    expect(head.header).toEqual(full.header);
    expect([...head.manifest.values()].map((m) => m.name)).toEqual(['van-ban.pdf']);
    expect(head.signature).toBeDefined();
    expect((await readEdxmlHeader(out)).header).toEqual(full.header);
  });

  test('stops at the envelope: a broken attachment after it does not matter, the full parse refuses it', async () => {
    const out = join(dir, 'broken.edxml');
    await buildEdxml(sampleHeader(), [{ name: 'a.bin', contentType: 'application/octet-stream', source: randomBytes(300_000) }], {}, out);
    const text = readFileSync(out, 'utf8');
    // Bad base64 and a cut end, deep inside the 400 KB of base64 after the envelope.
    const broken = `${text.slice(0, 250_000)}!!!!${text.slice(250_000, text.length - 1000)}`;
    writeFileSync(out, broken);
    expect((await readEdxmlHeader(new TextEncoder().encode(broken))).header).toEqual(sampleHeader());
    expect(await codeOf(parseEdxml(out))).not.toBeUndefined();
  });

  test('reads a status package', async () => {
    const out = join(dir, 'status.edxml');
    await buildStatusEdxml(sampleStatus(), { signer }, out);
    const head = await readEdxmlHeader(readFileSync(out));
    expect(head.kind).toBe('status');
    expect(head.header).toEqual((await parseEdxml(out)).header);
  });

  test('refuses what is not an edXML envelope, a DOCTYPE and a package over the size limit', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(await codeOf(readEdxmlHeader(enc('<html><body>không phải edXML</body></html>')))).toBe('edxml.not_edxml');
    expect(await codeOf(readEdxmlHeader(enc('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')))).toBe('edxml.doctype_refused');
    expect(await codeOf(readEdxmlHeader(enc('<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope>'), { maxBytes: 10 }))).toBe('edxml.too_large');
    expect(await codeOf(readEdxmlHeader(enc('<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope>')))).toBe('edxml.malformed');
    expect(await codeOf(readEdxmlHeader(enc('<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope></edXML>')))).toBe('edxml.not_edxml');
  });
});
