import type { Context } from 'hono';
import { Readable } from 'node:stream';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { orgsRepo } from '../orgs/orgs.repository.ts';
import { fileNameMissing } from './files.errors.ts';
import { storeUpload, type StoredUpload } from './files.service.ts';
import { printCopy } from './print-copy.ts';

/**
 * Reads one uploaded file from a request and stores it before anything else: either a raw body
 * (Content-Type of the file, name in the `X-File-Name` header, URL-encoded — streamed, for large scans
 * and API clients) or a multipart form with a `file` field (browsers).
 * Throws files.name_missing, files.empty, blob.too_large.
 */
export async function receiveUpload(c: Context<AppEnv>, field = 'file'): Promise<StoredUpload> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form[field];
    if (!(file instanceof File)) throw fileNameMissing({ field });
    return storeUpload(c.var.deps, { source: new Uint8Array(await file.arrayBuffer()), fileName: file.name, contentType: file.type });
  }
  const name = c.req.header('x-file-name');
  if (!name) throw fileNameMissing();
  const body = c.req.raw.body;
  const source = body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>) : new Uint8Array();
  return storeUpload(c.var.deps, { source, fileName: decodeURIComponent(name), contentType: type });
}

type SentFile = { sha256: string; fileName: string; contentType: string; size: number };

/** Sends a stored file with a safe Content-Disposition (RFC 6266 filename*). */
export function sendFile(c: Context<AppEnv>, file: SentFile, inline = true) {
  const stream = c.var.deps.blobs.stream(file.sha256);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: { ...fileHeaders(file.fileName, inline), 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Cache-Control': 'private, max-age=3600' },
  });
}

/** Whether a file request asks for the print copy (`?print=1`) rather than the file itself. */
export const isPrintRequest = (c: Context<AppEnv>) => c.req.query('print') === '1';

/** What a file request was, for the access history: a print copy made, or the file taken. */
export const fileAccessAction = (c: Context<AppEnv>) => (isPrintRequest(c) ? 'print' as const : 'download' as const);

/**
 * Sends a print copy of a stored PDF the caller has already been allowed to read: each page marked
 * «Bản in từ Hệ thống … — Người in: … — giờ ngày» (ND 30 Phụ lục VI III.6.k; `printCopy`), never cached,
 * named «ban-in-…». Throws files.print_not_pdf, files.pdf_corrupt.
 */
export async function sendPrintCopy(c: Context<AppEnv>, file: SentFile) {
  const actor = actorOf(c);
  const agency = await orgsRepo.findAgency(c.var.db, actor.agencyId);
  const bytes = await printCopy(await c.var.deps.blobs.get(file.sha256), file.contentType, { agencyName: agency?.name ?? '', printedBy: actor.fullName, at: new Date() });
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: { ...fileHeaders(`ban-in-${file.fileName}`, true), 'Content-Type': 'application/pdf', 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store' },
  });
}

function fileHeaders(fileName: string, inline: boolean) {
  const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'file';
  return {
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'X-Content-Type-Options': 'nosniff',
  };
}
