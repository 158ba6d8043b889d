import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Db } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { isAppError } from '../../platform/errors.ts';
import { enqueueMany } from '../../platform/jobs/jobs.ts';
import { openPdf } from '../signing/pdf/reader.ts';
import { countPages, listSignatures } from '../signing/pdf/structure.ts';
import { filesRepo, type OwnerType } from './files.repository.ts';
import { pageImageJobsFor } from './files.jobs.ts';
import { fileConvertFailed, fileConvertUnavailable, fileEmpty, fileNotPdf, filePdfCorrupt, filePdfEncrypted } from './files.errors.ts';

const run = promisify(execFile);

export type StoredUpload = { sha256: string; size: number; fileName: string; contentType: string };

/**
 * Stores an upload durably (blob written, fsynced, and its row committed) BEFORE anything looks at
 * it, so a later processing failure never loses what the user sent. Throws files.empty, blob.too_large.
 */
export async function storeUpload(deps: AppDeps, o: { source: Uint8Array | Readable | AsyncIterable<Uint8Array>; fileName: string; contentType?: string; maxBytes?: number }): Promise<StoredUpload> {
  const { sha256, size } = await deps.blobs.put(o.source, { maxBytes: o.maxBytes ?? deps.config.maxUploadBytes });
  if (size === 0) throw fileEmpty();
  const head = await readHead(deps, sha256);
  const contentType = sniffContentType(head) ?? o.contentType ?? 'application/octet-stream';
  await recordBlob(deps.db, { sha256, size, contentType });
  return { sha256, size, fileName: safeFileName(o.fileName), contentType };
}

async function readHead(deps: AppDeps, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of deps.blobs.stream(sha256)) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total >= 4096) break;
  }
  return Buffer.concat(chunks).subarray(0, 4096);
}

/** A file name safe to store and to send back in Content-Disposition (no paths, no control characters). */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (base || 'tep').slice(0, 200);
}

/** The real type of a file from its first bytes (never trust the name or the browser's claim). */
export function sniffContentType(head: Uint8Array): string | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.subarray(0, 1024).includes('%PDF-')) return 'application/pdf';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.subarray(0, 4).equals(Buffer.from('II*\0')) || b.subarray(0, 4).equals(Buffer.from('MM\0*'))) return 'image/tiff';
  if (b.subarray(0, 4).equals(Buffer.from('PK\x03\x04'))) {
    return b.includes('word/') ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/zip';
  }
  if (b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'application/msword';
  return undefined;
}

export type PdfFacts = { pageCount: number; isEncrypted: boolean; pdfVersion: string; signatureCount: number };

/**
 * Reads what a document flow needs to know about a PDF, refusing what it cannot use.
 * Throws files.empty, files.not_pdf, files.pdf_encrypted, files.pdf_corrupt.
 */
export function inspectPdf(bytes: Uint8Array): PdfFacts {
  if (bytes.byteLength === 0) throw fileEmpty();
  if (sniffContentType(bytes.subarray(0, 1024)) !== 'application/pdf') throw fileNotPdf();
  try {
    const doc = openPdf(bytes);
    if (doc.encrypted) throw filePdfEncrypted();
    const pageCount = countPages(doc);
    if (pageCount < 1) throw filePdfCorrupt({ reason: 'no pages' });
    return { pageCount, isEncrypted: false, pdfVersion: doc.version, signatureCount: listSignatures(doc).length };
  } catch (error) {
    if (isAppError(error, 'files.pdf_encrypted') || isAppError(error, 'files.pdf_corrupt')) throw error;
    throw filePdfCorrupt({ reason: error instanceof Error ? error.message.slice(0, 200) : String(error) }, { cause: error });
  }
}

export type AttachFileInput = {
  agencyId: string; ownerType: OwnerType; ownerId: string; kind: string; upload: StoredUpload; pageCount?: number | null;
  version?: number; createdBy: string | null; note?: string;
};

const fileRow = (o: AttachFileInput, version: number) => ({
  agencyId: o.agencyId, ownerType: o.ownerType, ownerId: o.ownerId, kind: o.kind, version, fileName: o.upload.fileName,
  contentType: o.upload.contentType, size: o.upload.size, sha256: o.upload.sha256, pageCount: o.pageCount ?? null,
  createdBy: o.createdBy, note: o.note ?? '',
});

/**
 * Records a stored blob as a file of a document (inside the caller's transaction); without a version, the kind's
 * next one. A PDF the viewer opens (opensInViewer) gets its page-1 image rendered ahead, by a job enqueued in the
 * same transaction (once per content).
 */
export async function attachFile(tx: Db, o: AttachFileInput) {
  const version = o.version ?? (await filesRepo.latestVersion(tx, o.ownerType, o.ownerId, o.kind)) + 1;
  const row = await filesRepo.insert(tx, fileRow(o, version));
  await enqueueMany(tx, pageImageJobsFor([row]));
  return row;
}

/** attachFile for several files whose versions the caller gives (new documents' files), in one statement. */
export async function attachFiles(tx: Db, files: readonly (AttachFileInput & { version: number })[]): Promise<void> {
  if (files.length === 0) return;
  const rows = files.map((f) => fileRow(f, f.version));
  await filesRepo.insertMany(tx, rows);
  await enqueueMany(tx, pageImageJobsFor(rows));
}

/** The files of one document (the caller has authorised access to the document). */
export const listFiles = (db: Db, ownerType: OwnerType, ownerId: string) => filesRepo.listByOwner(db, ownerType, ownerId);
export const findFile = (db: Db, id: string) => filesRepo.findById(db, id);

/**
 * Converts a DOCX/DOC/ODT to PDF with LibreOffice headless (a private profile per call, bounded time).
 * Throws files.convert_unavailable when soffice is not installed, files.convert_failed otherwise.
 */
export async function convertToPdf(bytes: Uint8Array, fileName: string, timeoutMs = 120_000): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-convert-'));
  try {
    const input = path.join(dir, safeFileName(fileName).replace(/[^\p{L}\p{N}._-]/gu, '_'));
    await writeFile(input, bytes);
    try {
      await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input], { timeout: timeoutMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw fileConvertUnavailable();
      throw fileConvertFailed({ reason: (error as Error).message.slice(0, 300) });
    }
    const output = input.replace(/\.[^.]+$/, '') + '.pdf';
    return new Uint8Array(await readFile(output).catch(() => {
      throw fileConvertFailed({ reason: 'no output' });
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
