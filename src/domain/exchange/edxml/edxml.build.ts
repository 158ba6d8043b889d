import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { z } from 'zod';
import { edxmlInvalidHeader, edxmlIo } from './edxml.errors.ts';
import { checkEdxmlHeader, checkStatusHeader, type HeaderIssue } from './edxml.format.ts';
import { MESSAGE_HEADER, STATUS_MESSAGE_HEADER, TRACE_HEADER_LIST, writeSpec } from './edxml.header.ts';
import { withOutput, writeWithBackpressure, type Sink } from './edxml.io.ts';
import { ZEdxmlHeader, ZStatusHeader, type TEdxmlHeader, type TStatusHeader } from './edxml.schemas.ts';
import { createSignature, type EdxmlSigner } from './edxml.signature.ts';
import { EDXML_NS, escapeText, serializeXml, XLINK_NS, xattr, xel, xtext, type XElement } from './edxml.xml.ts';

/** One attachment to pack: its bytes come from a file path, a buffer or a stream (read once). */
export type EdxmlAttachmentInput = {
  name: string;
  contentType: string;
  description?: string;
  source: string | Uint8Array | Readable;
};

export type EdxmlBuildOptions = { signer?: EdxmlSigner };

export type EdxmlBuildResult = {
  attachments: { contentId: string; name: string; contentType: string; size: number; sha256: string }[];
  signed: boolean;
};

type Prepared = { contentId: string; input: EdxmlAttachmentInput; size: number; sha256: Buffer; path?: string; temp?: boolean };

// 48 KiB of raw bytes = 64 KiB of base64: a multiple of 3, so chunks encode without padding.
const RAW_CHUNK = 3 * 16 * 1024;

const ed = (name: string, children: XElement['children'] = [], attrs: XElement['attrs'] = []) =>
  xel(`edXML:${name}`, EDXML_NS, children, attrs);

function validate<T>(schema: z.ZodType<T>, value: unknown, check: (v: T) => HeaderIssue[]): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw edxmlInvalidHeader({ issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const issues = check(parsed.data);
  if (issues.length > 0) throw edxmlInvalidHeader({ issues });
  return parsed.data;
}

async function hashFile(path: string): Promise<{ size: number; sha256: Buffer }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (cause) {
    throw edxmlIo({ path }, { cause });
  }
  return { size, sha256: hash.digest() };
}

/** Spools a one-shot stream to a temp file while hashing it, so it can be written after signing. */
async function spoolStream(source: Readable): Promise<{ path: string; size: number; sha256: Buffer }> {
  const path = join(tmpdir(), `vanthu-edxml-${randomBytes(8).toString('hex')}.bin`);
  const hash = createHash('sha256');
  let size = 0;
  const file = createWriteStream(path, { flags: 'wx' });
  try {
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      hash.update(buf);
      size += buf.length;
      await writeWithBackpressure(file, buf);
    }
    await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (cause) {
    file.destroy();
    await rm(path, { force: true });
    throw edxmlIo({ path }, { cause });
  }
  return { path, size, sha256: hash.digest() };
}

async function prepare(input: EdxmlAttachmentInput): Promise<Prepared> {
  const contentId = randomUUID();
  if (input.source instanceof Uint8Array) {
    return { contentId, input, size: input.source.length, sha256: createHash('sha256').update(input.source).digest() };
  }
  if (typeof input.source === 'string') {
    const info = await stat(input.source).catch((cause: unknown) => { throw edxmlIo({ path: input.source }, { cause }); });
    if (!info.isFile()) throw edxmlIo({ path: input.source });
    return { contentId, input, path: input.source, ...(await hashFile(input.source)) };
  }
  return { contentId, input, temp: true, ...(await spoolStream(input.source)) };
}

function manifest(prepared: Prepared[]): XElement {
  return ed('edXMLBody', [ed('edXMLManifest', prepared.map((p) => ed('Reference', [
    ed('ContentId', [xtext(`cid:${p.contentId}`)]),
    ed('ContentType', [xtext(p.input.contentType)]),
    ed('AttachmentName', [xtext(p.input.name)]),
    ...(p.input.description === undefined ? [] : [ed('Description', [xtext(p.input.description)])]),
  ], [
    { prefix: 'xlink', local: 'href', uri: XLINK_NS, value: `cid:${p.contentId}` },
    { prefix: 'xlink', local: 'type', uri: XLINK_NS, value: 'simple' },
  ])), [xattr('version', '1.0')])]);
}

function envelopeOf(headerChildren: XElement[], body?: XElement): XElement {
  const envelope = ed('edXMLEnvelope', [ed('edXMLHeader', headerChildren), ...(body ? [body] : [])]);
  envelope.ns = body ? { edXML: EDXML_NS, xlink: XLINK_NS } : { edXML: EDXML_NS };
  return envelope;
}

async function sign(envelope: XElement, prepared: Prepared[], signer: EdxmlSigner | undefined): Promise<void> {
  if (!signer) return;
  const header = envelope.children[0] as XElement;
  header.children.push(await createSignature(envelope, prepared.map((p) => ({ contentId: p.contentId, sha256: p.sha256 })), signer));
}

/** Writes an attachment as base64 text: ASCII, so handed over as latin1 (no UTF-8 encoder pass) and as strings, which an in-memory output copies once. */
async function writeBase64(sink: Sink, p: Prepared): Promise<void> {
  const source = p.input.source;
  if (source instanceof Uint8Array) {
    const view = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    for (let i = 0; i < p.size; i += RAW_CHUNK) await sink.write(view.subarray(i, i + RAW_CHUNK).toString('base64'), 'latin1');
    return;
  }
  let carry = Buffer.alloc(0);
  try {
    for await (const chunk of createReadStream(p.path ?? '', { highWaterMark: RAW_CHUNK })) {
      const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const whole = buf.length - (buf.length % 3);
      if (whole > 0) await sink.write(buf.subarray(0, whole).toString('base64'), 'latin1');
      carry = Buffer.from(buf.subarray(whole));
    }
  } catch (cause) {
    throw edxmlIo({ path: p.path }, { cause });
  }
  if (carry.length) await sink.write(carry.toString('base64'), 'latin1');
}

function attachmentStart(p: Prepared): string {
  return `<Attachment><ContentId>${escapeText(p.contentId)}</ContentId><AttachmentName>${escapeText(p.input.name)}</AttachmentName>`
    + `<ContentType>${escapeText(p.input.contentType)}</ContentType>`
    + (p.input.description === undefined ? '' : `<Description>${escapeText(p.input.description)}</Description>`)
    + '<ContentTransferEncoded>';
}

/** Writes the package in few, large pieces: the markup between two attachments' base64 is one write. */
async function writePackage(sink: Sink, envelope: XElement, prepared: Prepared[]): Promise<void> {
  let markup = `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NS}">${serializeXml(envelope)}`;
  if (prepared.length > 0) {
    markup += '<AttachmentEncoded>';
    for (const p of prepared) {
      await sink.write(markup + attachmentStart(p));
      await writeBase64(sink, p);
      markup = '</ContentTransferEncoded></Attachment>';
    }
    markup += '</AttachmentEncoded>';
  }
  await sink.write(`${markup}</edXML>\n`);
}

/**
 * Builds a document package (new, revocation, update, replacement: `traceHeaderList.bussiness`) and
 * streams it to `out` (a path, written atomically, or a Writable, left open). Attachments are hashed in a
 * first pass and base64-encoded chunk by chunk in a second, so memory does not grow with their size.
 * With `signer` the package carries an XML-DSig (see docs/edxml.md). Throws edxml.invalid_header,
 * edxml.signer_invalid, edxml.io.
 */
export async function buildEdxml(
  header: TEdxmlHeader, attachments: EdxmlAttachmentInput[], options: EdxmlBuildOptions, out: Writable | string,
): Promise<EdxmlBuildResult> {
  const valid = validate(ZEdxmlHeader, header, checkEdxmlHeader);
  const prepared: Prepared[] = [];
  try {
    for (const input of attachments) prepared.push(await prepare(input));
    const envelope = envelopeOf([
      ed('MessageHeader', writeSpec(MESSAGE_HEADER, valid.messageHeader)),
      ed('TraceHeaderList', writeSpec(TRACE_HEADER_LIST, valid.traceHeaderList)),
    ], manifest(prepared));
    await sign(envelope, prepared, options.signer);
    await withOutput(out, (sink) => writePackage(sink, envelope, prepared));
    return {
      signed: options.signer !== undefined,
      attachments: prepared.map((p) => ({
        contentId: p.contentId, name: p.input.name, contentType: p.input.contentType, size: p.size, sha256: p.sha256.toString('hex'),
      })),
    };
  } finally {
    await Promise.all(prepared.filter((p) => p.temp && p.path).map((p) => rm(p.path ?? '', { force: true })));
  }
}

/**
 * Builds a status package (gói tin trạng thái: StatusCode 01–06, 13, 15, 16) and writes it to `out`.
 * Throws edxml.invalid_header, edxml.signer_invalid, edxml.io.
 */
export async function buildStatusEdxml(header: TStatusHeader, options: EdxmlBuildOptions, out: Writable | string): Promise<{ signed: boolean }> {
  const valid = validate(ZStatusHeader, header, checkStatusHeader);
  const children = [ed('MessageHeader', writeSpec(STATUS_MESSAGE_HEADER, valid.messageHeader))];
  if (valid.traceHeaderList) children.push(ed('TraceHeaderList', writeSpec(TRACE_HEADER_LIST, valid.traceHeaderList)));
  const envelope = envelopeOf(children);
  await sign(envelope, [], options.signer);
  await withOutput(out, (sink) => writePackage(sink, envelope, []));
  return { signed: options.signer !== undefined };
}
