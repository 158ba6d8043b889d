import { isAscii } from 'node:buffer';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { edxmlDoctypeRefused, edxmlIo, edxmlNotEdxml, edxmlNotStatus, edxmlTooLarge, edxmlUnsupportedEncoding } from './edxml.errors.ts';
import { writeWithBackpressure } from './edxml.io.ts';
import { createEdxmlSax, type AttachmentStream } from './edxml.sax.ts';
import { createScanner, type ScanEvent } from './edxml.scan.ts';
import { readEnvelope, type EnvelopeInfo } from './edxml.read-envelope.ts';
import type { TEdxmlHeader, TStatusHeader } from './edxml.schemas.ts';
import { normalizeContentId, type TEdxmlSignatureCheck } from './edxml.signature.ts';
import { verifySignatureElement } from './edxml.verify-signature.ts';
import type { XElement } from './edxml.xml.ts';

/** Where attachment bytes go: nowhere (hash and size only), files in a directory, or caller streams. */
export type AttachmentSink =
  | 'discard'
  | { dir: string }
  | ((meta: { contentId: string; name: string; contentType: string; index: number }) => Writable);

export type EdxmlParseOptions = {
  attachmentSink?: AttachmentSink;
  /** Refuse packages larger than this many bytes (default 1 GiB). */
  maxBytes?: number;
  /** Refuse an edXMLEnvelope larger than this many characters (default 8 Mi). */
  maxHeaderChars?: number;
  /** Keep at most this much of the document for an SDK-style whole-document signature (default 64 Mi). */
  maxDocumentChars?: number;
};

export type TParsedAttachment = {
  contentId: string;
  name: string;
  contentType: string;
  description?: string;
  size: number;
  /** Hex SHA-256 of the decoded bytes. */
  sha256: string;
  /** File written when `attachmentSink` is `{ dir }`. */
  path?: string;
};

type Common = { attachments: TParsedAttachment[]; signature: TEdxmlSignatureCheck; warnings: string[] };
export type EdxmlParseResult =
  | ({ kind: 'edoc'; header: TEdxmlHeader } & Common)
  | ({ kind: 'status'; header: TStatusHeader } & Common);

const DEFAULTS = { maxBytes: 1024 ** 3, maxHeaderChars: 8 * 1024 ** 2, maxDocumentChars: 64 * 1024 ** 2 };
const CHUNK = 64 * 1024;
/** An in-memory package up to this size may be read by the fast scanner (its events are kept until the end). */
const SCAN_WHOLE_MAX = 16 * 1024 ** 2;
// The fast scanner's pieces: 32 Ki bytes decode to at most 64 KiB of string even when two-byte (an envelope
// with Vietnamese text), under V8's 128 KiB limit for the young generation (a larger string is made straight
// into the old one: more major GCs).
const SCAN_PIECE = 32 * 1024;
// More events than this (a package is a few hundred) are not kept: saxes reads such a package as it streams.
const SCAN_MAX_EVENTS = 20_000;

/** An attachment file this parse made, with the stream writing it (removed when the parse fails). */
type CreatedFile = { path: string; stream: Writable };
type Open = { sink?: Writable; path?: string; hashes: Map<string, Hash>; size: number; contentId: string; fields?: Record<string, string> };

/** The package's bytes in chunks: a path or stream as read, bytes in memory as views of CHUNK bytes (made only if read: the fast scanner reads most in-memory packages instead). */
export async function openSource(source: string | Uint8Array | Readable, maxBytes: number): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>> {
  if (source instanceof Uint8Array) {
    if (source.length > maxBytes) throw edxmlTooLarge({ size: source.length, maxBytes });
    return (function* () { for (let i = 0; i < source.length; i += CHUNK) yield source.subarray(i, i + CHUNK); })();
  }
  if (typeof source === 'string') {
    const info = await stat(source).catch((cause: unknown) => { throw edxmlIo({ path: source }, { cause }); });
    if (info.size > maxBytes) throw edxmlTooLarge({ size: info.size, maxBytes });
    return createReadStream(source, { highWaterMark: CHUNK });
  }
  return source;
}

function makeSinkFactory(option: AttachmentSink, created: CreatedFile[]) {
  return async (meta: { contentId: string; name: string; contentType: string; index: number }): Promise<{ sink?: Writable; path?: string }> => {
    if (option === 'discard') return {};
    if (typeof option === 'function') return { sink: option(meta) };
    await mkdir(option.dir, { recursive: true });
    const path = join(option.dir, `${String(meta.index + 1).padStart(3, '0')}-${randomBytes(4).toString('hex')}.bin`);
    const sink = createWriteStream(path, { flags: 'wx' });
    created.push({ path, stream: sink });
    return { sink, path };
  };
}

/** Refuses a DOCTYPE as soon as it appears, before saxes would buffer a (possibly huge) internal subset. */
function makeDoctypeGuard() {
  let tail = '';
  return (text: string) => {
    const window = tail + text;
    if (/<!DOCTYPE/i.test(window) || /<!ENTITY/i.test(window)) throw edxmlDoctypeRefused();
    tail = window.slice(-10);
  };
}

/**
 * Parses an edXML package (document or status) in one streaming pass: the envelope is read into
 * memory (bounded), every attachment is base64-decoded chunk by chunk into `attachmentSink` while its
 * size and SHA-256 (plus any digest the signature needs) are computed, and the XML-DSig is checked
 * (`signature.valid`; trust in the signer certificate is the caller's decision). DTDs, entities,
 * non-UTF-8 and oversize input are refused. Throws edxml.doctype_refused, edxml.entity_refused,
 * edxml.too_large, edxml.header_too_large, edxml.malformed, edxml.not_edxml, edxml.unsupported_encoding,
 * edxml.invalid_header, edxml.bad_base64, edxml.io.
 */
export async function parseEdxml(source: string | Uint8Array | Readable, options: EdxmlParseOptions = {}): Promise<EdxmlParseResult> {
  const limits = { ...DEFAULTS, ...options };
  const created: CreatedFile[] = [];
  try {
    const input = await openSource(source, limits.maxBytes);
    const whole = source instanceof Uint8Array && source.length <= SCAN_WHOLE_MAX ? source : undefined;
    return await runParse(input, whole, options.attachmentSink ?? 'discard', limits, created);
  } catch (error) {
    if (source instanceof Readable) source.destroy();
    // A file stream opens its file asynchronously: removing the path before the stream has opened (and
    // closed) it would leave the file behind, so each is destroyed and awaited first.
    await Promise.all(created.map(async ({ path, stream }) => {
      if (!stream.closed) await new Promise<void>((resolve) => { stream.once('close', () => resolve()); stream.destroy(); });
      await rm(path, { force: true });
    }));
    throw error;
  }
}

async function runParse(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, whole: Uint8Array | undefined, sinkOption: AttachmentSink, limits: typeof DEFAULTS,
  created: CreatedFile[],
): Promise<EdxmlParseResult> {
  const sinkFor = makeSinkFactory(sinkOption, created);
  let envelope: EnvelopeInfo | undefined;
  const opened: Open[] = [];
  const pending: Promise<unknown>[] = [];

  const sax = createEdxmlSax({
    onEnvelope: (env) => {
      envelope = readEnvelope(env);
      return { keepDocument: envelope.plan.wholeDocument };
    },
    openAttachment: (fields, index) => openAttachment(fields, index),
    closeAttachment: (fields, index) => {
      const o = opened[index];
      if (o) o.fields = fields;
    },
  }, { maxHeaderChars: limits.maxHeaderChars, maxDocumentChars: limits.maxDocumentChars, maxDepth: 64 });

  function openAttachment(fields: Record<string, string>, index: number): AttachmentStream {
    const contentId = normalizeContentId(fields.ContentId ?? `attachment-${index + 1}`);
    const algs = new Set(['sha256', ...(envelope?.plan.digests.get(contentId) ?? [])]);
    const o: Open = { contentId, size: 0, hashes: new Map([...algs].map((a) => [a, createHash(a)])) };
    opened[index] = o;
    const ref = envelope?.manifest.get(contentId);
    const ready = sinkFor({ contentId, index, name: fields.AttachmentName ?? ref?.name ?? '', contentType: fields.ContentType ?? ref?.contentType ?? '' })
      .then((s) => { o.sink = s.sink; o.path = s.path; });
    let chain: Promise<unknown> = ready;
    pending.push(ready);
    return {
      data: (bytes) => {
        o.size += bytes.length;
        for (const h of o.hashes.values()) h.update(bytes);
        chain = chain.then(() => writeTo(o.sink, bytes));
        pending.push(chain);
      },
      end: () => {
        chain = chain.then(() => endSink(o.sink));
        pending.push(chain);
      },
    };
  }

  try {
    if (!whole || !scanWhole(whole, sax)) {
      await feedSax(input, sax, limits.maxBytes, async () => {
        // Backpressure: wait until every attachment sink has taken what this chunk produced.
        await Promise.all(pending.splice(0));
        return false;
      });
    }
    sax.close();
    await Promise.all(pending.splice(0));
  } catch (error) {
    // Sinks still being made (their folder, their file) are settled first, so the caller removes every
    // file this package created, not only those that existed when it was refused.
    await Promise.allSettled(pending.splice(0));
    throw error;
  }
  return assemble(envelope, sax.document, opened);
}

/** True when `bytes` start with a UTF-16 byte order mark (refused: edXML is UTF-8). */
function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** The package's bytes as text, in pieces of `chunk` bytes as feedSax decodes them; throws where feedSax refuses (UTF-16 BOM, invalid UTF-8). */
export function* decodePieces(bytes: Uint8Array, chunk: number): Generator<string, void, undefined> {
  if (hasUtf16Bom(bytes)) throw edxmlUnsupportedEncoding({ bom: 'UTF-16' });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i += chunk) yield decoder.decode(bytes.subarray(i, i + chunk), { stream: true });
}

// Where an attachment's base64 starts: a piece of markup is cut right after the '>' that follows this name, so
// that the scanner stops there and the base64 after it is taken from the bytes (found in the bytes: no text).
const CONTENT_TAG = Buffer.from('ContentTransferEncoded');
// Attachment base64 taken from the bytes is handed over in pieces of this many characters (a multiple of 4):
// the text each becomes for the decoder stays small (under V8's limit for the young generation).
const ASCII_PIECE = 64 * 1024;

/**
 * The end of the next piece of markup from `pos`: SCAN_PIECE bytes on, or just after the start tag of an
 * attachment's content when one begins in them, so that the scanner is inside it with nothing left over.
 */
function nextCut(bytes: Buffer, pos: number): number {
  const end = Math.min(pos + SCAN_PIECE, bytes.length);
  const at = bytes.subarray(pos, Math.min(end + CONTENT_TAG.length, bytes.length)).indexOf(CONTENT_TAG);
  if (at < 0 || pos + at >= end) return end;
  const gt = bytes.indexOf(0x3e /* > */, pos + at);
  return gt < 0 || gt >= end + SCAN_PIECE ? end : gt + 1;
}

/** The next '<' from `pos`, or the end. */
function nextLt(bytes: Buffer, pos: number): number {
  const lt = bytes.indexOf(0x3c /* < */, pos);
  return lt < 0 ? bytes.length : lt;
}

/**
 * Where the scanner is inside an attachment's base64, the bytes up to the next '<' when they are ASCII
 * without '&' or CR — the scanner would hand that text over as it is —, as events without decoding them
 * to text (the SAX layer decodes their base64 straight away); 0 when they are something else (the text
 * way then reads them). Returns the end of what it took.
 */
function takeAscii(bytes: Buffer, pos: number, events: ScanEvent[]): number {
  const end = nextLt(bytes, pos);
  const run = bytes.subarray(pos, end);
  if (run.length === 0 || !isAscii(run) || run.indexOf(0x26 /* & */) >= 0 || run.indexOf(0x0d /* CR */) >= 0) return 0;
  for (let i = 0; i < run.length; i += ASCII_PIECE) events.push({ kind: 'ascii', bytes: run.subarray(i, i + ASCII_PIECE) });
  return end;
}

/**
 * Reads an in-memory package with the fast scanner (edxml.scan.ts): the events of the whole package are
 * collected first and replayed only if the scanner took all of it, so that saxes can still read a
 * package the scanner leaves to it from the start. Returns false, having called nothing, in that case.
 * The text is decoded as feedSax does (one streaming UTF-8 decoder, refusing a UTF-16 BOM and invalid
 * UTF-8), except an attachment's plain base64, which is handed over as bytes (`takeAscii`).
 */
function scanWhole(whole: Uint8Array, sax: ReturnType<typeof createEdxmlSax>): boolean {
  if (hasUtf16Bom(whole)) return false; // feedSax refuses it with the right error
  const bytes = Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength);
  const scanner = createScanner();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const events: ScanEvent[] = [];
  let pos = 0;
  let textUntil = 0; // the end of base64 takeAscii left to the text way (not looked at again piece by piece)
  while (pos < bytes.length) {
    let taken = 0;
    if (pos >= textUntil && scanner.inRawText()) {
      taken = takeAscii(bytes, pos, events);
      if (taken === 0) textUntil = nextLt(bytes, pos);
    }
    const cut = taken > 0 ? taken : nextCut(bytes, pos);
    if (taken === 0) {
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(pos, cut), { stream: true });
      } catch {
        return false; // invalid UTF-8: feedSax refuses it with the right error
      }
      const more = scanner.push(text);
      if (!more) return false;
      for (const e of more) events.push(e);
    }
    if (events.length > SCAN_MAX_EVENTS) return false;
    pos = cut;
  }
  if (!scanner.end()) return false;
  sax.replay(events);
  return true;
}

/**
 * Feeds a package's bytes to the SAX layer as UTF-8 text, refusing a UTF-16 BOM, invalid UTF-8, a
 * DOCTYPE before the root and more than `maxBytes`; after each chunk `afterChunk` may stop reading
 * (returns true). Returns whether it was stopped before the end.
 */
export async function feedSax(input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, sax: { started: boolean; write: (text: string) => void }, maxBytes: number, afterChunk: () => Promise<boolean> | boolean): Promise<boolean> {
  const guard = makeDoctypeGuard();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  let first = true;
  for await (const raw of input) {
    const chunk = raw instanceof Uint8Array ? raw : Buffer.from(raw as string);
    total += chunk.length;
    if (total > maxBytes) throw edxmlTooLarge({ maxBytes });
    if (first && hasUtf16Bom(chunk)) throw edxmlUnsupportedEncoding({ bom: 'UTF-16' });
    first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw edxmlUnsupportedEncoding({ reason: 'invalid UTF-8' });
    }
    if (!sax.started) guard(text);
    sax.write(text);
    if (await afterChunk()) return true;
  }
  return false;
}

async function writeTo(sink: Writable | undefined, bytes: Buffer): Promise<void> {
  if (sink) await writeWithBackpressure(sink, bytes);
}

async function endSink(sink: Writable | undefined): Promise<void> {
  if (!sink) return;
  await new Promise<void>((resolve, reject) => {
    sink.once('error', reject);
    sink.end(() => resolve());
  });
}

function describeAttachment(o: Open, envelope: EnvelopeInfo): TParsedAttachment {
  const fields = o.fields ?? {};
  const ref = envelope.manifest.get(o.contentId);
  const description = fields.Description ?? ref?.description;
  return {
    contentId: o.contentId,
    name: fields.AttachmentName ?? ref?.name ?? '',
    contentType: fields.ContentType ?? ref?.contentType ?? 'application/octet-stream',
    ...(description !== undefined ? { description } : {}),
    size: o.size,
    sha256: '',
    ...(o.path ? { path: o.path } : {}),
  };
}

function assemble(envelope: EnvelopeInfo | undefined, documentRoot: XElement | undefined, all: Open[]): EdxmlParseResult {
  if (!envelope) throw edxmlNotEdxml();
  const opened = all.filter((o): o is Open => o !== undefined);
  const digests = opened.map((o) => new Map([...o.hashes.entries()].map(([alg, h]) => [alg, h.digest()] as const)));
  const attachments = opened.map((o, i) => ({ ...describeAttachment(o, envelope), sha256: digests[i]?.get('sha256')?.toString('hex') ?? '' }));
  const warnings: string[] = [];
  for (const cid of envelope.manifest.keys()) {
    if (!attachments.some((a) => a.contentId === cid)) warnings.push(`Manifest có cid:${cid} nhưng không có tệp đính kèm tương ứng`);
  }
  const signature: TEdxmlSignatureCheck = envelope.signature
    ? verifySignatureElement({
      signature: envelope.signature,
      envelope: envelope.element,
      document: envelope.plan.wholeDocument ? documentRoot : undefined,
      attachments: opened.map((o, i) => ({ contentId: o.contentId, digests: digests[i] ?? new Map() })),
    })
    : { signed: false, valid: false, references: [], problems: ['Gói tin không có chữ ký số'] };
  return envelope.kind === 'status'
    ? { kind: 'status', header: envelope.header as TStatusHeader, attachments, signature, warnings }
    : { kind: 'edoc', header: envelope.header as TEdxmlHeader, attachments, signature, warnings };
}

/**
 * Parses a status package; throws edxml.not_status for a document package, and everything
 * `parseEdxml` throws.
 */
export async function parseStatus(source: string | Uint8Array | Readable, options: EdxmlParseOptions = {}) {
  const result = await parseEdxml(source, options);
  if (result.kind !== 'status') throw edxmlNotStatus();
  return result;
}
