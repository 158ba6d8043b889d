import type { Readable } from 'node:stream';
import { parseEdxml, type EdxmlParseOptions } from './edxml.parse.ts';
import type { TEdxmlSignatureCheck } from './edxml.signature.ts';

/**
 * Checks the XML-DSig of a package in one streaming pass (attachments are hashed, not kept): digests,
 * signature value and coverage of the envelope and every attachment. Returns the signer certificate
 * (DER) for a trust decision by the PKI module. Throws what `parseEdxml` throws for unreadable input.
 */
export async function verifyEdxml(
  source: string | Uint8Array | Readable, options: Omit<EdxmlParseOptions, 'attachmentSink'> = {},
): Promise<TEdxmlSignatureCheck & { kind: 'edoc' | 'status' }> {
  const parsed = await parseEdxml(source, { ...options, attachmentSink: 'discard' });
  return { kind: parsed.kind, ...parsed.signature };
}
