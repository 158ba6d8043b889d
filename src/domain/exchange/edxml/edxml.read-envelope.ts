import type { z } from 'zod';
import { edxmlInvalidHeader, edxmlNotEdxml } from './edxml.errors.ts';
import { isStatusMessageHeader, MESSAGE_HEADER, readSpec, STATUS_MESSAGE_HEADER, TRACE_HEADER_LIST } from './edxml.header.ts';
import { ZEdxmlHeader, ZStatusHeader, type TEdxmlHeader, type TStatusHeader } from './edxml.schemas.ts';
import { findSignature, normalizeContentId, signaturePlan } from './edxml.signature.ts';
import { childNamed, childrenNamed, textOf, type XElement } from './edxml.xml.ts';

/** What the parser learns from the (small, in-memory) edXMLEnvelope. */
export type EnvelopeInfo = {
  kind: 'edoc' | 'status';
  element: XElement;
  header: TEdxmlHeader | TStatusHeader;
  manifest: Map<string, { name?: string; contentType?: string; description?: string }>;
  signature?: XElement;
  plan: ReturnType<typeof signaturePlan>;
};

function validated<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw edxmlInvalidHeader({ issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return parsed.data;
}

function readTraceList(list: XElement | undefined, path: string) {
  if (!list) return undefined;
  return { traceHeader: [], ...readSpec(TRACE_HEADER_LIST, list, path) };
}

function readManifest(envelope: XElement): EnvelopeInfo['manifest'] {
  const out: EnvelopeInfo['manifest'] = new Map();
  const body = childNamed(envelope, 'edXMLBody');
  const manifest = body && childNamed(body, 'edXMLManifest', 'Manifest');
  for (const ref of manifest ? childrenNamed(manifest, 'Reference') : []) {
    const text = (name: string) => {
      const el = childNamed(ref, name);
      return el ? textOf(el) : undefined;
    };
    const cid = text('ContentId') ?? ref.attrs.find((a) => a.local === 'href')?.value;
    if (cid === undefined) continue;
    out.set(normalizeContentId(cid), { name: text('AttachmentName'), contentType: text('ContentType'), description: text('Description') });
  }
  return out;
}

/**
 * Reads header JSON, manifest and signature from an edXMLEnvelope tree.
 * Throws edxml.not_edxml, edxml.invalid_header.
 */
export function readEnvelope(envelope: XElement): EnvelopeInfo {
  const header = childNamed(envelope, 'edXMLHeader');
  const messageHeader = header && childNamed(header, 'MessageHeader');
  if (!header || !messageHeader) throw edxmlNotEdxml({ reason: 'no edXMLHeader/MessageHeader' });
  const kind = isStatusMessageHeader(messageHeader) ? 'status' : 'edoc';
  const traceHeaderList = readTraceList(childNamed(header, 'TraceHeaderList'), 'traceHeaderList');
  const json = kind === 'status'
    ? validated(ZStatusHeader, {
      messageHeader: readSpec(STATUS_MESSAGE_HEADER, messageHeader, 'messageHeader'),
      ...(traceHeaderList ? { traceHeaderList: { traceHeader: traceHeaderList.traceHeader } } : {}),
    })
    : validated(ZEdxmlHeader, {
      messageHeader: readSpec(MESSAGE_HEADER, messageHeader, 'messageHeader'),
      traceHeaderList: traceHeaderList ?? { traceHeader: [] },
    });
  const signature = findSignature(header);
  // The manifest and the signature's plan are read when first asked for: a relay reading only the
  // header (the axis's readEdxmlHeader on every sendEdoc) needs neither. Both are pure reads of the tree.
  let manifest: EnvelopeInfo['manifest'] | undefined;
  let plan: EnvelopeInfo['plan'] | undefined;
  return {
    kind, element: envelope, header: json, signature,
    get manifest() { return manifest ??= readManifest(envelope); },
    get plan() { return plan ??= signature ? signaturePlan(signature) : { digests: new Map(), wholeDocument: false }; },
  };
}
