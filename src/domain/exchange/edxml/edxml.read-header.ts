import type { Readable } from 'node:stream';
import { edxmlNotEdxml } from './edxml.errors.ts';
import { feedSax, openSource } from './edxml.parse.ts';
import { readEnvelope, type EnvelopeInfo } from './edxml.read-envelope.ts';
import { createEdxmlSax } from './edxml.sax.ts';

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
  let envelope: EnvelopeInfo | undefined;
  const sax = createEdxmlSax({
    onEnvelope: (env) => {
      envelope = readEnvelope(env);
      return { keepDocument: false };
    },
    // Attachments inside the envelope (an old layout) are decoded and dropped.
    openAttachment: () => ({ data: () => undefined, end: () => undefined }),
    closeAttachment: () => undefined,
  }, { maxHeaderChars: options.maxHeaderChars ?? 8 * 1024 ** 2, maxDocumentChars: 0, maxDepth: 64 });
  const input = source instanceof Uint8Array ? chunks(source, maxBytes) : await openSource(source, maxBytes);
  const stopped = await feedSax(input, sax, maxBytes, () => envelope !== undefined);
  if (!stopped) sax.close();
  if (!envelope) throw edxmlNotEdxml();
  return envelope;
}

function* chunks(bytes: Uint8Array, maxBytes: number): Generator<Uint8Array> {
  if (bytes.length > maxBytes) {
    yield bytes; // feedSax refuses it as too large
    return;
  }
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}
