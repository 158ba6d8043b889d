import type { Readable } from 'node:stream';
import { edxmlNotEdxml } from './edxml.errors.ts';
import { isAppError } from '../../../platform/errors.ts';
import { decodePieces, feedSax, openSource } from './edxml.parse.ts';
import { readEnvelope, type EnvelopeInfo } from './edxml.read-envelope.ts';
import { createEdxmlSax } from './edxml.sax.ts';
import { createScanner } from './edxml.scan.ts';

export type EdxmlHeaderOptions = { maxBytes?: number; maxHeaderChars?: number };

/**
 * Reading stops at the end of the chunk in which the envelope closed. The SAX parser reads about
 * 20 MB/s, so a small chunk keeps what it reads past the envelope (a signed envelope is ~5–10 KiB) short.
 */
const CHUNK = 2 * 1024;

/**
 * Reads only a package's edXMLEnvelope (header, manifest, whether it carries a Signature), streaming
 * until the envelope closes and never reading the attachments after it. It neither checks the XML-DSig
 * nor the attachments: that is for whoever takes the document in (`parseEdxml`). For a relay such as the
 * axis, which routes by From/To/DocumentId. Throws what `parseEdxml` throws about the envelope
 * (edxml.doctype_refused, edxml.entity_refused, edxml.malformed, edxml.not_edxml, edxml.invalid_header,
 * edxml.header_too_large, edxml.too_large, edxml.unsupported_encoding).
 */
export async function readEdxmlHeader(source: string | Uint8Array | Readable, options: EdxmlHeaderOptions = {}): Promise<EnvelopeInfo> {
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  if (source instanceof Uint8Array && source.length <= maxBytes) {
    const fast = scanHeader(source, options);
    if (fast) return fast;
  }
  const reader = headerReader(options);
  const input = source instanceof Uint8Array ? chunks(source, maxBytes) : await openSource(source, maxBytes);
  const stopped = await feedSax(input, reader.sax, maxBytes, () => reader.envelope !== undefined);
  if (!stopped) reader.sax.close();
  if (!reader.envelope) throw edxmlNotEdxml();
  return reader.envelope;
}

function headerReader(options: EdxmlHeaderOptions) {
  const reader: { envelope?: EnvelopeInfo; sax: ReturnType<typeof createEdxmlSax> } = {
    sax: createEdxmlSax({
      onEnvelope: (env) => {
        reader.envelope = readEnvelope(env);
        return { keepDocument: false };
      },
      // Attachments inside the envelope (an old layout) are decoded and dropped.
      openAttachment: () => ({ data: () => undefined, end: () => undefined }),
      closeAttachment: () => undefined,
    }, { maxHeaderChars: options.maxHeaderChars ?? 8 * 1024 ** 2, maxDocumentChars: 0, maxDepth: 64 }),
  };
  return reader;
}

/**
 * The fast scanner's way (edxml.scan.ts) through the same 2 KiB chunks, stopping after the same one:
 * each chunk's events are replayed at once (they only build the envelope). Returns undefined where
 * saxes must read the package — from the start, with a fresh reader.
 */
function scanHeader(bytes: Uint8Array, options: EdxmlHeaderOptions): EnvelopeInfo | undefined {
  const reader = headerReader(options);
  const scanner = createScanner();
  try {
    for (const text of decodePieces(bytes, CHUNK)) {
      const events = scanner.push(text);
      if (!events) return undefined;
      reader.sax.replay(events);
      if (reader.envelope) return scanner.stopsCleanly() ? reader.envelope : undefined;
    }
  } catch (error) {
    if (isAppError(error)) throw error; // what the callbacks refuse, saxes' way would refuse too
    return undefined; // not UTF-8: feedSax refuses it with the right error
  }
  if (!scanner.end()) return undefined;
  reader.sax.close();
  if (!reader.envelope) throw edxmlNotEdxml();
  return reader.envelope;
}

function* chunks(bytes: Uint8Array, maxBytes: number): Generator<Uint8Array> {
  if (bytes.length > maxBytes) {
    yield bytes; // feedSax refuses it as too large
    return;
  }
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}
