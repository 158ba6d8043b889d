import { createHash } from 'node:crypto';
import { formatEdxmlTimestamp } from '../edxml/edxml.format.ts';
import { readEdxmlHeader } from '../edxml/edxml.read-header.ts';
import type { EnvelopeInfo } from '../edxml/edxml.read-envelope.ts';
import type { TEdxmlHeader, TStatusHeader } from '../edxml/edxml.schemas.ts';
import { escapeText } from '../edxml/edxml.xml.ts';
import { isAppError } from '../../../platform/errors.ts';
import { axisNotEdxml } from './axis.errors.ts';

/** What the axis needs from a package: who sends, who receives, its identity and whether it is signed. */
export type PackageInfo = {
  kind: 'edoc' | 'status';
  fromCode: string;
  recipients: string[];
  /** Identity used to store a rebuilt copy of the same package once (null when the package has none). */
  packageId: string | null;
  title: string;
  notation: string;
  isSigned: boolean;
  traceCount: number;
};

/** A digest of what a MessageHeader says: it tells apart two packages that share their ids (see readPackage). */
const headerDigest = (messageHeader: unknown) => createHash('sha256').update(JSON.stringify(messageHeader)).digest('hex');

/**
 * Reads From/To/DocumentId (or the status ResponseFor) from the package's envelope alone: the axis
 * routes, it does not take documents in, so it neither verifies the XML-DSig nor reads the attachments
 * (the receiving agency does both). Throws axis.not_edxml.
 */
export async function readPackage(bytes: Uint8Array): Promise<PackageInfo> {
  let envelope: EnvelopeInfo;
  try {
    envelope = await readEdxmlHeader(bytes, { maxBytes: bytes.length + 1 });
  } catch (error) {
    if (isAppError(error)) throw axisNotEdxml({ cause: error.code }, { message: `Nội dung gửi lên không phải gói tin edXML hợp lệ: ${error.message}` });
    throw error;
  }
  const isSigned = envelope.signature !== undefined;
  if (envelope.kind === 'status') {
    const header = envelope.header as TStatusHeader;
    const m = header.messageHeader;
    const about = m.responseFor.documentId ?? m.responseFor.code ?? '';
    return {
      kind: 'status', fromCode: m.from.organId, recipients: [m.responseFor.organId],
      // A status has no id of its own and a Timestamp in whole seconds: two of one code in one second (a returned
      // document refusing the waiting recall and update with two «16») differ only in what they say.
      packageId: `status|${m.from.organId}|${about}|${m.statusCode}|${m.timestamp}|${headerDigest(m)}`,
      title: m.description ?? '', notation: m.responseFor.code ?? '', isSigned,
      traceCount: header.traceHeaderList?.traceHeader.length ?? 0,
    };
  }
  const header = envelope.header as TEdxmlHeader;
  const m = header.messageHeader;
  const docType = header.traceHeaderList.bussiness?.bussinessDocType ?? 0;
  return {
    kind: 'edoc', fromCode: m.from.organId, recipients: [...new Set(m.to.map((t) => t.organId.trim()))],
    // Two different updates (type 2) of one document share From + DocumentId + type: what they say tells them apart.
    packageId: m.documentId ? `edoc|${m.from.organId}|${m.documentId}|${docType}${docType === 2 ? `|${headerDigest(m)}` : ''}` : null,
    title: m.subject, notation: `${m.code.codeNumber}/${m.code.codeNotation}`, isSigned,
    traceCount: header.traceHeaderList.traceHeader.length,
  };
}

/**
 * Recipient codes from an `XroadVnpt-to` value: the SDK sends JSON text (`"000.00.00.G22"` with the
 * quotes, or `[{"code":"…"}]`); a bare code or a comma-separated list is accepted too.
 */
export function recipientsFromToHeader(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'string') return splitCodes(parsed);
    if (Array.isArray(parsed)) {
      return parsed.flatMap((item: unknown) => {
        if (typeof item === 'string') return splitCodes(item);
        if (item && typeof item === 'object' && 'code' in item && typeof item.code === 'string') return splitCodes(item.code);
        return [];
      });
    }
  } catch {
    // not JSON: a bare code list
  }
  return splitCodes(value);
}

function splitCodes(value: string): string[] {
  return value.split(/[,;\s]+/).map((c) => c.trim()).filter((c) => c.length > 0);
}

const TRACE_LIST_CLOSE = /<\/([A-Za-z_][\w.-]*:)?TraceHeaderList\s*>/;
const TRACE_LIST_EMPTY = /<([A-Za-z_][\w.-]*:)?TraceHeaderList(\s[^>]*)?\/>/;
const HEADER_CLOSE = /<\/([A-Za-z_][\w.-]*:)?edXMLHeader\s*>/;

function traceElement(prefix: string, organId: string, at: Date): string {
  return `<${prefix}TraceHeader><${prefix}OrganId>${escapeText(organId)}</${prefix}OrganId>`
    + `<${prefix}Timestamp>${formatEdxmlTimestamp(at)}</${prefix}Timestamp></${prefix}TraceHeader>`;
}

function insertTrace(text: string, organId: string, at: Date): string | undefined {
  const close = TRACE_LIST_CLOSE.exec(text);
  if (close) return text.slice(0, close.index) + traceElement(close[1] ?? '', organId, at) + text.slice(close.index);
  const empty = TRACE_LIST_EMPTY.exec(text);
  if (empty) {
    const p = empty[1] ?? '';
    return `${text.slice(0, empty.index)}<${p}TraceHeaderList${empty[2] ?? ''}>${traceElement(p, organId, at)}</${p}TraceHeaderList>${text.slice(empty.index + empty[0].length)}`;
  }
  const header = HEADER_CLOSE.exec(text);
  if (!header) return undefined;
  const p = header[1] ?? '';
  return `${text.slice(0, header.index)}<${p}TraceHeaderList>${traceElement(p, organId, at)}</${p}TraceHeaderList>${text.slice(header.index)}`;
}

/**
 * Appends this hop's TraceHeader (OrganId + yyyy/MM/dd HH:mm:ss) to an UNSIGNED package's
 * TraceHeaderList. A signed package is returned unchanged: the edXML signature covers the whole
 * edXMLEnvelope, TraceHeaderList included, so appending would break the sender's XML-DSig (the hop is
 * then recorded in axis_trace only). The edit is checked by parsing the result: one more TraceHeader,
 * same identity; otherwise the package is returned unchanged. Returns the bytes and whether they changed.
 */
export async function appendTraceHeader(bytes: Uint8Array, info: PackageInfo, organId: string, at: Date): Promise<{ bytes: Uint8Array; appended: boolean }> {
  if (info.isSigned) return { bytes, appended: false };
  // Only the envelope is edited; attachments are base64 text after it and contain no markup.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const edited = insertTrace(text, organId, at);
  if (edited === undefined) return { bytes, appended: false };
  const out = new Uint8Array(Buffer.from(edited, 'utf8'));
  try {
    const check = await readPackage(out);
    const same = check.traceCount === info.traceCount + 1 && check.packageId === info.packageId && check.fromCode === info.fromCode
      && check.recipients.join() === info.recipients.join();
    return same ? { bytes: out, appended: true } : { bytes, appended: false };
  } catch {
    return { bytes, appended: false };
  }
}
