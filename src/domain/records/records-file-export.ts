import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { audit } from '../../platform/audit/audit.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorFactory } from '../../platform/errors.ts';
import { vietnamParts, vnDay } from '../../platform/dates.ts';
import { escapeAttr, escapeText } from '../exchange/edxml/edxml.xml.ts';
import { embedSerifFonts } from '../documents/pdf-fonts.ts';
import { wrap } from '../registers/register-export.ts';
import { DOCUMENT_TYPES, URGENCIES } from '../registers/document-types.ts';
import type { Db } from '../../platform/db/client.ts';
import { fileIndexForm } from './records-export.service.ts';
import { formsPdf } from './records-forms.ts';
import { recordsExportRepo, type ExportFileRow } from './records-export.repository.ts';
import { auditActor, type RecordsCtx } from './records.context.ts';
import type { TFiledDocumentView, TRecordsFileView } from './records.present.ts';
import { getRecordsFile } from './records.service.ts';

const run = promisify(execFile);

export const recordsExportUnavailable = errorFactory({ code: 'records.export_unavailable', status: 503, message: 'Máy chủ chưa cài qpdf nên chưa kết xuất được hồ sơ sang PDF. Hãy dùng bản XML hoặc báo quản trị hệ thống.' });

/** The note every PDF export carries: it is a copy, its signatures are checked on each original. */
export const EXPORT_COPY_NOTE = 'Bản kết xuất từ hệ thống; chữ ký số kiểm tra trên từng văn bản gốc';

type ExportCtx = RecordsCtx & { deps: AppDeps; id: string };

type IncomingMeta = Awaited<ReturnType<typeof recordsExportRepo.incoming>>[number];
type OutgoingMeta = Awaited<ReturnType<typeof recordsExportRepo.outgoing>>[number];

/** One document of the file as an export holds it: its mục lục line and, when the actor may open it, its metadata and current files. */
type ExportDocument = {
  line: TFiledDocumentView;
  incoming?: IncomingMeta & { toPlaces: string[] };
  outgoing?: OutgoingMeta & { to: { kind: string; agencyCode: string | null; name: string }[] };
  /** The files of record: an incoming document's current files but its OCR'd copy; an outgoing one's issued PDFs. Each knows whether its blob is in the store. */
  files: (ExportFileRow & { isStored: boolean })[];
  /** The PDF printed in the whole-file PDF: the incoming main PDF (else the scan as received, never its OCR'd copy), the outgoing issued one. */
  mainPdf?: ExportFileRow & { isStored: boolean };
};

const isIssuedFile = (f: ExportFileRow) => f.kind === 'signed' && (f.note === 'issued' || f.note.startsWith('issued-appendix-'));
/**
 * The searchable copy the incoming.ocr job makes of a scan without a text layer (kind 'ocr', «…-ocr.pdf»): an aid
 * to read and search the document, derived from it. The scan (or the received PDF) stays the document of record.
 */
const isOcrCopy = (f: ExportFileRow) => f.kind === 'ocr';
/** A file of record, that the XML export carries: any current file of an incoming document but its OCR'd copy; an outgoing document's issued PDFs (not its drafts). */
const isFileOfRecord = (ownerType: 'incoming' | 'outgoing', f: ExportFileRow) => (ownerType === 'incoming' ? !isOcrCopy(f) : isIssuedFile(f));

/**
 * How many files of record (isFileOfRecord) some documents hold, a document counted once for each work file holding it:
 * the «Tổng số tệp tin trong hồ sơ» of the Biên bản giao nhận (Phụ lục V). A count only, Mật documents included.
 */
export async function countFilesOfRecord(db: Db, refs: readonly { ownerType: string; ownerId: string }[]): Promise<number> {
  const perDocument = new Map<string, number>();
  for (const kind of ['incoming', 'outgoing'] as const) {
    const ids = [...new Set(refs.filter((r) => r.ownerType === kind).map((r) => r.ownerId))];
    for (const f of await recordsExportRepo.files(db, kind, ids)) {
      if (isFileOfRecord(kind, f)) perDocument.set(`${kind}:${f.ownerId}`, (perDocument.get(`${kind}:${f.ownerId}`) ?? 0) + 1);
    }
  }
  return refs.reduce((n, r) => n + (perDocument.get(`${r.ownerType}:${r.ownerId}`) ?? 0), 0);
}

/** The PDF a document shows in the whole-file PDF, one of its files of record (oldest first: the last of a kind is its newest). */
function mainPdfOf(ownerType: 'incoming' | 'outgoing', files: ExportDocument['files']) {
  const pdfs = files.filter((f) => f.contentType === 'application/pdf');
  if (ownerType === 'outgoing') return pdfs.filter((f) => f.kind === 'signed' && f.note === 'issued').at(-1);
  for (const kind of ['main', 'scan']) {
    const found = pdfs.filter((f) => f.kind === kind).at(-1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A file the actor may see (else records.file_not_found, as its page answers) with every document in the
 * order of its mục lục (chronological, Phụ lục VI III.4.g). Metadata and files only for the documents the
 * actor may open: a Mật one they may not is only "there", as in the mục lục.
 */
async function loadFileExport(c: ExportCtx) {
  const { file, documents } = await getRecordsFile(c);
  const ids = (kind: 'incoming' | 'outgoing') => documents.filter((d) => d.canOpen && d.ownerType === kind).map((d) => d.ownerId);
  const [inIds, outIds] = [ids('incoming'), ids('outgoing')];
  const [incoming, assignments, outgoing, recipients, inFiles, outFiles] = await Promise.all([
    recordsExportRepo.incoming(c.db, inIds), recordsExportRepo.assignments(c.db, inIds), recordsExportRepo.outgoing(c.db, outIds),
    recordsExportRepo.recipients(c.db, outIds), recordsExportRepo.files(c.db, 'incoming', inIds), recordsExportRepo.files(c.db, 'outgoing', outIds),
  ]);
  const stored = new Map<string, boolean>();
  for (const f of [...inFiles, ...outFiles]) if (!stored.has(f.sha256)) stored.set(f.sha256, await c.deps.blobs.has(f.sha256));
  const docs = documents.map((line): ExportDocument => {
    if (!line.canOpen) return { line, files: [] };
    const all = (line.ownerType === 'incoming' ? inFiles : outFiles).filter((f) => f.ownerId === line.ownerId && isFileOfRecord(line.ownerType, f));
    const files = all.map((f) => ({ ...f, isStored: stored.get(f.sha256) ?? false }));
    const base = { line, files, mainPdf: mainPdfOf(line.ownerType, files) };
    if (line.ownerType === 'incoming') {
      const meta = incoming.find((d) => d.id === line.ownerId);
      const toPlaces = assignments.filter((a) => a.incomingId === line.ownerId).map((a) => [a.fullName ?? a.unitName, ROLE_NAMES[a.role] ?? a.role].filter(Boolean).join(' — '));
      return { ...base, ...(meta && { incoming: { ...meta, toPlaces } }) };
    }
    const meta = outgoing.find((d) => d.id === line.ownerId);
    return { ...base, ...(meta && { outgoing: { ...meta, to: recipients.filter((r) => r.outgoingId === line.ownerId) } }) };
  });
  return { file, documents, docs };
}
type LoadedExport = Awaited<ReturnType<typeof loadFileExport>>;

const ROLE_NAMES: Record<string, string> = { lead: 'chủ trì', support: 'phối hợp', info: 'để biết' };

/** One audit row per export (who took the whole file out, in which format, how many documents with content). */
async function auditExport(c: ExportCtx, x: LoadedExport, format: 'pdf' | 'xml', included: number) {
  await c.db.transaction().execute((tx) => audit(tx, auditActor(c), {
    type: 'RECORDS_FILE_EXPORTED', entityType: 'records_file', entityId: x.file.id, agencyId: c.actor.agencyId,
    data: { format, notation: x.file.notation, year: x.file.year, documents: x.docs.length, included },
  }));
}

/** A file name from the file's year and số/ký hiệu, ASCII only. */
const exportName = (file: TRecordsFileView, ext: string) => `ho-so-${file.year}-${file.notation.replace(/[^A-Za-z0-9.-]/g, '_')}.${ext}`;

/** Why a document's content is not in the PDF (null when it is). */
function leftOutReason(d: ExportDocument): string | null {
  if (!d.line.canOpen) return d.line.isSecret ? 'văn bản mật, không có quyền xem' : 'không có quyền xem';
  if (!d.mainPdf) return 'chưa có tệp PDF';
  if (!d.mainPdf.isStored) return 'tệp PDF không còn trong kho lưu trữ';
  return null;
}

/**
 * The whole file as one PDF (ND 30 Phụ lục VI III.4.g): a cover page (agency, số/ký hiệu and Mã hồ sơ,
 * title, period, retention, người lập, number of documents and pages), the mục lục văn bản trong hồ sơ,
 * then each document's PDF in the mục lục's order, joined by qpdf. A document without a PDF, or that the
 * actor may not open, stays in the mục lục and is named on the cover. It is a copy: signatures do not
 * verify in it (the cover says so). Returns the file on disk as a stream that removes it once read.
 * Throws records.file_not_found, records.export_unavailable.
 */
export async function exportFilePdf(c: ExportCtx) {
  const x = await loadFileExport(c);
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-file-export-'));
  try {
    const included = x.docs.filter((d) => leftOutReason(d) === null).map((d) => ({ d, path: c.deps.blobs.path(d.mainPdf?.sha256 ?? '') }));
    const pages = await Promise.all(included.map(async ({ d, path: p }) => d.mainPdf?.pageCount ?? (await pageCount(p))));
    const index = await formsPdf([fileIndexForm(x.file, x.documents)], `Mục lục văn bản, tài liệu — ${x.file.notation}`);
    const indexPages = (await PDFDocument.load(index)).getPageCount();
    const [cover, indexPath, out] = [path.join(dir, 'cover.pdf'), path.join(dir, 'index.pdf'), path.join(dir, 'export.pdf')];
    await writeFile(cover, await coverPdf(c, x, { indexPages, documentPages: pages.reduce((a, b) => a + b, 0), included: included.length }));
    await writeFile(indexPath, index);
    await qpdf([cover, '--pages', '.', indexPath, ...included.map((i) => i.path), '--', out]);
    await auditExport(c, x, 'pdf', included.length);
    const { size } = await stat(out);
    const stream = createReadStream(out).once('close', () => void rm(dir, { recursive: true, force: true }));
    return { fileName: exportName(x.file, 'pdf'), size, stream };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs qpdf (exit 3: written, with warnings — kept). Throws records.export_unavailable without qpdf. */
async function qpdf(args: string[]): Promise<string> {
  try {
    return (await run('qpdf', args, { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string };
    if (e.code === 'ENOENT') throw recordsExportUnavailable();
    if (e.code === 3) return e.stdout ?? '';
    throw error;
  }
}

/** A PDF's page count when its row does not say. */
const pageCount = async (file: string) => Number((await qpdf(['--show-npages', file])).trim()) || 0;

const [COVER_W, COVER_H, COVER_MARGIN] = [595.28, 841.89, 56];
const STATUS_NAMES: Record<string, string> = { open: 'Đang mở', closed: 'Đã kết thúc', handed_over: 'Đã nộp lưu vào Lưu trữ cơ quan' };

/** The cover page (A4 portrait), as the bìa hồ sơ: agency, Mã/số hồ sơ, title, then the file's facts and what the export holds. */
async function coverPdf(c: ExportCtx, x: LoadedExport, n: { indexPages: number; documentPages: number; included: number }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Hồ sơ ${x.file.notation} — ${x.file.title}`);
  pdf.setCreator('vanthu');
  const fonts = await embedSerifFonts(pdf);
  const page = pdf.addPage([COVER_W, COVER_H]);
  const at = { y: COVER_H - COVER_MARGIN };
  const width = COVER_W - 2 * COVER_MARGIN;
  const lines = (text: string, font: PDFFont, size: number, center = false) => {
    for (const l of wrap(text, font, size, width)) {
      page.drawText(l, { x: center ? (COVER_W - font.widthOfTextAtSize(l, size)) / 2 : COVER_MARGIN, y: at.y - size, size, font });
      at.y -= size + 5;
    }
  };
  lines(x.file.agencyName.toUpperCase(), fonts.bold, 13, true);
  at.y -= 90;
  lines('HỒ SƠ', fonts.bold, 26, true);
  lines(`Số và ký hiệu hồ sơ: ${x.file.notation}`, fonts.regular, 14, true);
  lines(`Mã hồ sơ: ${x.file.fileCode}`, fonts.regular, 11, true);
  at.y -= 20;
  lines(x.file.title, fonts.bold, 16, true);
  at.y -= 40;
  for (const fact of coverFacts(x, n)) lines(fact, fonts.regular, 12);
  at.y -= 16;
  const leftOut = x.docs.flatMap((d) => { const why = leftOutReason(d); return why ? [`STT ${d.line.ordinal}: ${why}`] : []; });
  if (leftOut.length > 0) lines(`Văn bản có trong mục lục nhưng không kèm trong bản kết xuất — ${leftOut.join('; ')}.`, fonts.regular, 11);
  drawFooter(page, fonts, c, width);
  return pdf.save({ useObjectStreams: true });
}

/** The facts of the cover: period, retention, người lập, status, what the export holds. */
function coverFacts(x: LoadedExport, n: { indexPages: number; documentPages: number; included: number }): string[] {
  const dates = x.documents.map((d) => d.documentDate).filter((d): d is string => !!d).sort();
  const [from, to] = [x.file.startDate ?? dates[0], x.file.endDate ?? dates.at(-1)];
  return [
    `Thời gian: ${from && to ? `từ ngày ${vnDay(from)} đến ngày ${vnDay(to)}` : 'chưa có văn bản'}`,
    `Thời hạn bảo quản: ${x.file.retentionText}`,
    `Người lập hồ sơ: ${[x.file.ownerName, x.file.unitName].filter(Boolean).join(' — ')}`,
    `Tình trạng: ${STATUS_NAMES[x.file.status] ?? x.file.status}`,
    n.included === x.docs.length ? `Số lượng: ${x.docs.length} văn bản, ${n.documentPages} trang`
      : `Số lượng: ${x.docs.length} văn bản trong hồ sơ, trong đó ${n.included} văn bản có trong bản kết xuất (${n.documentPages} trang)`,
    `Bản kết xuất gồm: 1 trang bìa, ${n.indexPages} trang mục lục văn bản, ${n.documentPages} trang văn bản — ${1 + n.indexPages + n.documentPages} trang`,
  ];
}

function drawFooter(page: PDFPage, fonts: { regular: PDFFont; bold: PDFFont }, c: ExportCtx, width: number) {
  const now = vietnamParts(new Date());
  const when = `Kết xuất lúc ${now.hour}:${now.minute} ngày ${now.day}/${now.month}/${now.year}, người kết xuất: ${c.actor.fullName}`;
  let y = COVER_MARGIN + 40;
  for (const [text, font] of [[`${EXPORT_COPY_NOTE}.`, fonts.bold], [when, fonts.regular]] as const) {
    for (const l of wrap(text, font, 10, width)) {
      page.drawText(l, { x: (COVER_W - font.widthOfTextAtSize(l, 10)) / 2, y, size: 10, font });
      y -= 14;
    }
  }
}

// ---------------------------------------------------------------------------------------------- XML

/** The namespace of the whole-file XML (docs/records.md lists its elements). */
export const FILE_EXPORT_NS = 'urn:vanthu:records-file-export:1';

// Characters XML 1.0 cannot hold (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates): dropped.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const text = (v: string | number | null | undefined) => escapeText(String(v ?? '').replace(NOT_XML, ''));
const attr = (v: string | number | null | undefined) => escapeAttr(String(v ?? '').replace(NOT_XML, ''));
/** An element with text; empty values still appear (the Part II field is there, unknown). */
const el = (name: string, value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? `<${name}/>` : `<${name}>${text(value)}</${name}>`);
const typeName = (code: string | null) => DOCUMENT_TYPES.find((t) => t.code === code)?.name ?? '';
const iso = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d : d.toISOString());
const vnDate = (d: Date | null) => (d ? (({ year, month, day }) => `${year}-${month}-${day}`)(vietnamParts(d)) : null);

/** Priority (Phụ lục VI: «Mức độ khẩn, độ mật», Number 1): the edXML urgency code, with both levels as attributes. */
const priority = (urgency: string, secrecy: string) =>
  `<Priority urgency="${attr(urgency)}" secrecy="${attr(secrecy)}">${URGENCIES.find((u) => u.code === urgency)?.priority ?? 0}</Priority>`;

/** The file's metadata, Phụ lục VI Part II Mục III. */
function fileXml(f: TRecordsFileView, agencyCode: string): string {
  return ['<File>', el('FileCode', f.fileCode), el('OrganId', agencyCode), el('OrganName', f.agencyName), el('FileCatalog', f.year), el('FileNotation', f.notation),
    el('Title', f.title), el('Maintenance', f.retentionText), el('Rights', ''), el('Creator', f.ownerName), el('Unit', f.unitName), el('Language', 'Tiếng Việt'),
    el('StartDate', f.startDate), el('EndDate', f.endDate), el('DocTotal', f.docTotal || null), el('PageTotal', f.pageTotal || null), el('Description', f.description),
    el('Status', f.status), el('ClosedAt', f.closedAt), el('HandedOverAt', f.handedOverAt), '</File>'].join('');
}

/** A document's metadata (Part II Mục I for outgoing, Mục II for incoming), or only its line when the actor may not open it. */
function documentXml(d: ExportDocument): string {
  const l = d.line;
  const open = `<Document kind="${l.ownerType}" id="${attr(l.ownerId)}"${l.isSecret ? ' secret="true"' : ''}${l.canOpen ? '' : ' access="none"'}>${el('DocOrdinal', l.ordinal)}`;
  if (d.incoming) {
    const m = d.incoming;
    return open + [el('TypeName', typeName(m.typeCode)), el('CodeNumber', m.number), el('CodeNotation', m.notation), el('IssuedDate', m.documentDate),
      el('OrganId', m.issuerCode), el('OrganName', m.issuerName), el('Subject', m.subject), el('Language', 'Tiếng Việt'), el('PageAmount', m.pageCount), el('Description', m.notes),
      el('ArrivalDate', vnDate(m.arrivedAt)), el('ArrivalNumber', m.arrivalNumber), `<SignerInfo>${el('Position', m.signerPosition)}${el('FullName', m.signerName)}</SignerInfo>`,
      priority(m.urgency, m.secrecy), el('ToPlaces', m.toPlaces.join('; ')),
      `<TraceHeaderList>${m.direction ? `<Direction by="${attr(m.directorName)}" at="${attr(iso(m.directedAt))}">${text(m.direction)}</Direction>` : ''}${el('Status', m.status)}</TraceHeaderList>`,
      el('DueDate', m.dueDate)].join('');
  }
  if (d.outgoing) {
    const m = d.outgoing;
    // A deputy signing on the signer's behalf (KT.) is named with their own position (as the issue's metadata).
    const position = m.approvedBy && m.approvedBy !== m.signerId ? m.approverPosition : m.signerPosition || m.approverPosition;
    const to = m.to.map((r) => `<Recipient kind="${attr(r.kind)}">${el('OrganId', r.agencyCode)}${el('OrganName', r.name)}</Recipient>`).join('');
    return open + [el('TypeName', typeName(m.typeCode)), el('CodeNumber', l.number.split('/')[0]), el('CodeNotation', m.notation), el('IssuedDate', vnDate(m.issuedAt)),
      el('OrganId', m.agencyCode), el('OrganName', m.agencyName), el('Subject', m.subject), el('Language', 'Tiếng Việt'), el('PageAmount', d.mainPdf?.pageCount), el('Description', m.note),
      `<SignerInfo>${el('Position', position)}${el('FullName', m.approverName)}</SignerInfo>`, `<To>${to}</To>`, priority(m.urgency, m.secrecy),
      el('IssuedAmount', m.copies), el('DueDate', m.dueDate), el('Status', m.status)].join('');
  }
  // not to be opened by this actor: only the mục lục's line (a Mật one: nothing but that it is there)
  return open + (l.subject === null ? '' : [el('TypeName', l.typeName), el('CodeNumber', l.number), el('IssuedDate', l.documentDate), el('OrganName', l.author), el('Subject', l.subject)].join(''));
}

// 48 KiB of raw bytes = 64 KiB of base64: a multiple of 3, so chunks encode without padding.
const RAW_CHUNK = 3 * 16 * 1024;

/** A stored file's bytes as base64 text, chunk by chunk (a 3-byte remainder carried over), never whole in memory. */
async function* base64Of(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let carry = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = buf.length - (buf.length % 3);
    for (let i = 0; i < whole; i += RAW_CHUNK) yield buf.subarray(i, Math.min(i + RAW_CHUNK, whole)).toString('base64');
    carry = Buffer.from(buf.subarray(whole));
  }
  if (carry.length) yield carry.toString('base64');
}

/** The XML, element by element: the file, then each document in order with its files embedded (base64). */
async function* xmlParts(c: ExportCtx, x: LoadedExport, agencyCode: string): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<RecordsFileExport xmlns="${FILE_EXPORT_NS}" version="1" exportedAt="${new Date().toISOString()}" exportedBy="${attr(c.actor.username)}">\n`;
  yield `${fileXml(x.file, agencyCode)}\n<Documents count="${x.docs.length}">\n`;
  for (const d of x.docs) {
    yield documentXml(d);
    yield '<Files>';
    for (const f of d.files) {
      const head = `<Attachment kind="${attr(f.kind)}" version="${f.version}" name="${attr(f.fileName)}" contentType="${attr(f.contentType)}" size="${f.size}" sha256="${f.sha256}"`;
      if (!f.isStored) {
        yield `${head} missing="true"/>`;
        continue;
      }
      yield `${head} encoding="base64">`;
      yield* base64Of(c.deps.blobs.stream(f.sha256));
      yield '</Attachment>';
    }
    yield '</Files></Document>\n';
  }
  yield '</Documents>\n</RecordsFileExport>\n';
}

/**
 * The whole file as one XML document (ND 30 Phụ lục VI III.4.g): the file's Part II metadata, then each
 * document in chronological order with its Part II metadata and its files (name, size, SHA-256, content
 * in base64), so the XML alone is the whole file. Streamed: nothing grows with the files' size.
 * Throws records.file_not_found.
 */
export async function exportFileXml(c: ExportCtx) {
  const x = await loadFileExport(c);
  const agencyCode = x.file.fileCode.slice(0, x.file.fileCode.length - `.${x.file.year}.${x.file.notation}`.length);
  await auditExport(c, x, 'xml', x.docs.filter((d) => d.files.length > 0).length);
  return { fileName: exportName(x.file, 'xml'), stream: Readable.from(xmlParts(c, x, agencyCode), { objectMode: false }) };
}
