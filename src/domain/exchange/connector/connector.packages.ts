import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { AppDeps } from '../../../platform/deps.ts';
import type { Db } from '../../../platform/db/client.ts';
import { DOCUMENT_TYPES, documentType, printedNumber } from '../../registers/document-types.ts';
import { openSecret } from '../../certificates/certificates.secrets.ts';
import { ensureDemoCertificates, noSealCertificate } from '../../certificates/certificates.service.ts';
import { loadPkcs12 } from '../../signing/keys.ts';
import { buildEdxml, buildStatusEdxml, type EdxmlAttachmentInput } from '../edxml/edxml.build.ts';
import { formatEdxmlDate, formatEdxmlTimestamp, makeDocumentId } from '../edxml/edxml.format.ts';
import type { TEdxmlHeader, TResponseFor, TStatusHeader } from '../edxml/edxml.schemas.ts';
import { incomingAnsweredByMany, type incomingAnsweredBy } from '../../incoming/incoming.service.ts';
import type { EdxmlSigner } from '../edxml/edxml.signature.ts';
import { exchangeNotIssued } from './connector.errors.ts';
import { connectorRepo, type ClaimedRow } from './connector.repository.ts';

/**
 * What the outgoing flow writes into an 'edoc' outbox row (outgoing-issue.service.ts edocPayload, recall, update), read
 * as stored (no schema): keys it no longer reads stay harmless — rows written before carry codeNumber, the integer, and
 * codeNotation (and replacement.codeNumber / .codeNotation), while Code is the document's số as printed and its own ký
 * hiệu (packageIdentity) and a replacement names the replaced document by its DocumentId.
 */
type EdocPayload = {
  promulgationDate?: string | null; documentType?: string; typeCode?: string; subject?: string;
  priority?: number; signerInfo?: { competence?: string; position?: string; fullName?: string }; dueDate?: string | null; pageAmount?: number | null; issuedAmount?: number;
  toPlaces?: string; to?: { organId: string; organName: string }[]; files?: { sha256: string; fileName: string; contentType: string; kind: string }[];
  replacement?: { documentId: string }; reason?: string;
  changes?: { subject?: string; dueDate?: string | null };
};
/** What the incoming flow (and this connector, for 15/16) writes into a 'status' outbox row. */
type StatusPayload = {
  statusCode: string; description?: string; timestamp: string;
  responseFor: { organId: string; code?: string; promulgationDate?: string | null; documentId?: string | null };
  from: { organId: string; organName?: string; organAdd?: string; email?: string; telephone?: string };
  staffInfo?: { department?: string; staff?: string; email?: string; mobile?: string };
};

const REASONS = ['Văn bản mới', 'Thu hồi', 'Cập nhật', 'Thay thế'] as const;

/** `yyyy/MM/dd` from a stored day (`YYYY-MM-DD`), a timestamp or a Date (Vietnam day). */
export function edxmlDay(value: string | Date | null | undefined): string | undefined {
  if (!value) return undefined;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.replace(/-/g, '/');
  if (typeof value === 'string' && /^\d{4}\/\d{2}\/\d{2}$/.test(value)) return value;
  return formatEdxmlDate(new Date(value));
}

const signerCache = new Map<string, Promise<EdxmlSigner>>();

/**
 * The agency seal (server-held PKCS#12) as an XML-DSig signer, cached per certificate. In demo mode an
 * agency that never issued anything (a recipient answering with statuses) gets its demo seal here, as
 * the issue flow would. Throws certificates.no_seal.
 */
export async function sealSigner(deps: AppDeps, agencyId: string): Promise<EdxmlSigner> {
  let row = await connectorRepo.activeSeal(deps.db, agencyId);
  if (!row && deps.config.demo) {
    await ensureDemoCertificates(deps, agencyId);
    row = await connectorRepo.activeSeal(deps.db, agencyId);
  }
  if (!row?.p12Sha256 || !row.p12Secret) throw noSealCertificate();
  const { p12Sha256, p12Secret } = row;
  const key = `${deps.config.dataDir}|${row.id}`;
  let cached = signerCache.get(key);
  if (!cached) {
    cached = (async () => {
      const content = await loadPkcs12(await deps.blobs.get(p12Sha256), await openSecret(deps.config.dataDir, p12Secret));
      return { privateKey: content.privateKey, certificate: content.certificate };
    })();
    cached.catch(() => signerCache.delete(key));
    signerCache.set(key, cached);
  }
  return cached;
}

/**
 * Collects what a builder writes into one buffer of the right size: the pieces are kept as written
 * (strings stay strings, base64 is marked latin1) and copied once, so a package costs one ArrayBuffer
 * instead of one per piece plus their concatenation (V8 starts major GCs from such external memory).
 */
async function toBytes(produce: (out: Writable) => Promise<unknown>, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Promise<Buffer> {
  const pieces: { chunk: string | Buffer; encoding: BufferEncoding; length: number }[] = [];
  let total = 0;
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, encoding: BufferEncoding, done) {
      const length = typeof chunk !== 'string' ? chunk.length : encoding === 'latin1' ? chunk.length : Buffer.byteLength(chunk, encoding);
      pieces.push({ chunk, encoding, length });
      total += length;
      done();
    },
  });
  await produce(out);
  const bytes = alloc(total).subarray(0, total);
  let at = 0;
  for (const { chunk, encoding, length } of pieces) {
    if (typeof chunk === 'string') bytes.write(chunk, at, length, encoding);
    else bytes.set(chunk, at);
    at += length;
  }
  return bytes;
}

export type BuiltPackage = { bytes: Uint8Array; messagetype: 'edoc' | 'status'; documentId: string | null; outgoingId: string | null };

/**
 * Builds the signed edXML of a claimed group (one document package for all its recipients, or one
 * status), signed with `signer` (default: the agency's seal), into a buffer of `alloc` (at least the size
 * asked; default a new one). Throws edxml.*, certificates.no_seal, exchange.not_issued.
 */
export async function buildPackage(deps: AppDeps, rows: ClaimedRow[], sealOfAgency?: EdxmlSigner, documents?: PackageDocuments, alloc?: (size: number) => Buffer): Promise<BuiltPackage> {
  const first = rows[0];
  if (!first) throw new Error('empty package group');
  const signer = sealOfAgency ?? await sealSigner(deps, first.agencyId);
  if (first.packageKind === 'status') {
    const header = statusHeader(first.payload as unknown as StatusPayload);
    return { bytes: await toBytes((out) => buildStatusEdxml(header, { signer }, out), alloc), messagetype: 'status', documentId: null, outgoingId: null };
  }
  const built = await documentHeader(deps.db, rows, documents ?? await loadPackageDocuments(deps.db, rows));
  const attachments = await built.attachments(deps);
  return { bytes: await toBytes((out) => buildEdxml(built.header, attachments, { signer }, out), alloc), messagetype: 'edoc', documentId: built.documentId, outgoingId: first.outgoingId };
}

function statusHeader(p: StatusPayload): TStatusHeader {
  const at = new Date(p.timestamp);
  const from = Object.fromEntries(Object.entries(p.from).filter(([, v]) => v)) as TStatusHeader['messageHeader']['from'];
  const staff = p.staffInfo ? Object.fromEntries(Object.entries(p.staffInfo).filter(([, v]) => v)) : {};
  // The DocumentId starts with the sender's code: a status still finds its way if the row lost the code.
  const organId = p.responseFor.organId || (p.responseFor.documentId ?? '').split(',')[0] || '';
  return {
    messageHeader: {
      responseFor: {
        organId, ...(p.responseFor.code && { code: p.responseFor.code }),
        ...(edxmlDay(p.responseFor.promulgationDate) && { promulgationDate: edxmlDay(p.responseFor.promulgationDate) }),
        ...(p.responseFor.documentId && { documentId: p.responseFor.documentId }),
      },
      from, statusCode: p.statusCode, ...(p.description && { description: p.description }), timestamp: formatEdxmlTimestamp(at),
      ...(Object.keys(staff).length > 0 && { staffInfo: staff }),
    },
    traceHeaderList: { traceHeader: [{ organId: p.from.organId, timestamp: formatEdxmlTimestamp(at) }] },
  };
}

type OutgoingForPackage = Awaited<ReturnType<typeof connectorRepo.outgoingForPackages>>[number];
type AnsweredIncoming = Awaited<ReturnType<typeof incomingAnsweredBy>>;
/** The outgoing documents (their external recipients' names, the incoming documents they answer) of the document packages to build, read together. */
export type PackageDocuments = { outgoing: Map<string, OutgoingForPackage>; recipientNames: Map<string, Map<string, string>>; answered: Map<string, AnsweredIncoming> };

/** Reads the outgoing documents of claimed rows, their external recipients and what they answer: three queries for a whole sending round. */
export async function loadPackageDocuments(db: Db, rows: readonly ClaimedRow[]): Promise<PackageDocuments> {
  const ids = [...new Set(rows.flatMap((r) => (r.packageKind === 'edoc' && r.outgoingId ? [r.outgoingId] : [])))];
  const [docs, recipients, answered] = [await connectorRepo.outgoingForPackages(db, ids), await connectorRepo.externalRecipients(db, ids), await incomingAnsweredByMany(db, ids)];
  const recipientNames = new Map<string, Map<string, string>>();
  for (const r of recipients) {
    const names = recipientNames.get(r.outgoingId) ?? recipientNames.set(r.outgoingId, new Map()).get(r.outgoingId) as Map<string, string>;
    names.set(r.agencyCode ?? '', r.name);
  }
  return { outgoing: new Map(docs.map((d) => [d.id, d])), recipientNames, answered };
}

/**
 * The issued outgoing document of a document package, its Code as the paper prints it (CodeNumber «02»
 * for số 2) and the DocumentId the package carries: the one the document was first sent with, so that a
 * recall, an update, a replacement or a re-send names it as its recipients took it in (documents sent
 * before the số was sent as printed keep their «…,2/…»), else a new one from the printed Code.
 * Throws exchange.not_issued.
 */
function packageIdentity(rows: readonly ClaimedRow[], documents: PackageDocuments) {
  const first = rows[0] as ClaimedRow;
  const p = first.payload as unknown as EdocPayload;
  const doc = first.outgoingId ? documents.outgoing.get(first.outgoingId) : undefined;
  if (!doc || doc.number === null || !doc.issuedAt) throw exchangeNotIssued({ outgoingId: first.outgoingId });
  const [codeNumber, codeNotation] = [printedNumber(doc.number), doc.notation ?? ''];
  const day = edxmlDay(p.promulgationDate ?? doc.issuedAt) ?? formatEdxmlDate(doc.issuedAt);
  return { doc, p, codeNumber, codeNotation, day, documentId: doc.sentDocumentId ?? makeDocumentId(doc.agencyCode, day, `${codeNumber}/${codeNotation}`) };
}

/** The DocumentId each document package of a round will carry (none for a package that cannot be built), known before any is built. */
export function packageDocumentIds(groups: readonly ClaimedRow[][], documents: PackageDocuments): { agencyId: string; documentId: string; outgoingId: string }[] {
  return groups.flatMap((rows) => {
    const first = rows[0];
    if (first?.packageKind !== 'edoc' || !first.outgoingId) return [];
    try {
      return [{ agencyId: first.agencyId, documentId: packageIdentity(rows, documents).documentId, outgoingId: first.outgoingId }];
    } catch {
      return []; // reported when its package is built
    }
  });
}

async function documentHeader(db: Db, rows: ClaimedRow[], documents: PackageDocuments) {
  const first = rows[0] as ClaimedRow;
  const { doc, p, codeNumber, codeNotation, day, documentId } = packageIdentity(rows, documents);
  const names = documents.recipientNames.get(doc.id) ?? new Map<string, string>();
  const type = first.businessDocType;
  const typeName = p.documentType ?? documentType(doc.typeCode)?.name ?? 'Công văn';
  const dueDay = edxmlDay(p.changes?.dueDate ?? p.dueDate ?? doc.dueDate);
  const header: TEdxmlHeader = {
    messageHeader: {
      from: { organId: doc.agencyCode, organName: doc.agencyName },
      to: rows.map((r) => ({ organId: r.recipientAgencyCode, organName: names.get(r.recipientAgencyCode) ?? r.recipientAgencyCode })),
      documentId, code: { codeNumber, codeNotation },
      promulgationInfo: { ...(doc.placeName && { place: doc.placeName }), promulgationDate: day },
      documentType: { type: Math.max(1, DOCUMENT_TYPES.findIndex((t) => t.name === typeName) + 1), typeName },
      subject: p.changes?.subject ?? p.subject ?? doc.subject,
      signerInfo: { ...(p.signerInfo?.competence && { competence: p.signerInfo.competence }), position: p.signerInfo?.position ?? doc.signerPosition, ...(p.signerInfo?.fullName && { fullName: p.signerInfo.fullName }) },
      ...(dueDay && { dueDate: dueDay }),
      ...(p.toPlaces && { toPlaces: p.toPlaces.split('\n').map((s) => s.trim()).filter(Boolean) }),
      otherInfo: { priority: p.priority ?? 0, ...(p.issuedAmount && { promulgationAmount: p.issuedAmount }), ...(p.pageAmount && { pageAmount: p.pageAmount }) },
      steeringType: 0,
      ...responseForOf(documents.answered.get(doc.id) ?? []),
    },
    traceHeaderList: {
      traceHeader: [{ organId: doc.agencyCode, timestamp: formatEdxmlTimestamp(first.createdAt) }],
      bussiness: await bussinessOf(db, type, documentId, p, rows),
    },
  };
  const files = type === 1 ? [] : p.files ?? [];
  const attachments = (deps: AppDeps): Promise<EdxmlAttachmentInput[]> => Promise.all(files.map(async (f) =>
    ({ name: f.fileName, contentType: f.contentType, description: f.kind === 'main' ? 'Văn bản chính' : 'Phụ lục', source: await attachmentSource(deps.blobs.path(f.sha256)) })));
  return { header, documentId, attachments };
}

/** Attachments up to this size are read into memory, once; larger ones are streamed from their file. */
const IN_MEMORY_ATTACHMENT_BYTES = 4 * 1024 ** 2;

/**
 * A stored attachment as the builder's source: its bytes when small (one open and read, where a file
 * path costs a stat and two reads of the file: hashed, then written), else its path. A file that
 * cannot be opened is passed as its path, for the builder to report (edxml.io).
 */
async function attachmentSource(file: string): Promise<string | Uint8Array> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return file;
  try {
    return (await handle.stat()).size <= IN_MEMORY_ATTACHMENT_BYTES ? await handle.readFile() : file;
  } finally {
    await handle.close();
  }
}

/**
 * ResponseFor*: the incoming documents this outgoing document answers (linked by their handlers), so
 * the recipient's system can attach the reply to its own document (QCVN 102 MessageHeader).
 */
function responseForOf(documents: AnsweredIncoming): { responseFor?: TResponseFor[] } {
  const answered = documents.filter((d) => d.issuerCode);
  if (answered.length === 0) return {};
  return {
    responseFor: answered.map((d) => {
      const code = [d.number, d.notation].filter(Boolean).join('/');
      const day = edxmlDay(d.documentDate);
      return {
        organId: d.issuerCode ?? '', ...(code && { code }), ...(day && { promulgationDate: day }),
        ...(d.externalDocumentId ? { documentId: d.externalDocumentId } : day && code ? { documentId: makeDocumentId(d.issuerCode ?? '', day, code) } : {}),
      };
    }),
  };
}

async function bussinessOf(db: Db, type: number, documentId: string, p: EdocPayload, rows: ClaimedRow[]): Promise<TEdxmlHeader['traceHeaderList']['bussiness']> {
  const reason = p.reason || REASONS[type] || REASONS[0];
  if (type === 0) return { bussinessDocType: 0, bussinessDocReason: reason, paper: 0 };
  if (type === 3) {
    const old = p.replacement ? await connectorRepo.documentIdOf(db, p.replacement.documentId) : undefined;
    const oldId = old ?? documentId;
    return { bussinessDocType: 3, bussinessDocReason: reason, documentId: oldId, paper: 0, replacementInfoList: [{ documentId: oldId, organIdList: rows.map((r) => r.recipientAgencyCode) }] };
  }
  if (type === 2) {
    return { bussinessDocType: 2, bussinessDocReason: reason, documentId, paper: 0, bussinessDocumentInfo: { documentInfo: 1, documentReceiver: 0 } };
  }
  return { bussinessDocType: 1, bussinessDocReason: reason, documentId, paper: 0 };
}
