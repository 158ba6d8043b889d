import type { Context } from 'hono';
import { Readable } from 'node:stream';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { agencyHeading } from '../orgs/orgs.service.ts';
import { fileNameMissing } from './files.errors.ts';
import { storeUpload, type StoredUpload } from './files.service.ts';
import { pageImage } from './page-image.ts';
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

/**
 * Sends a stored file with a safe Content-Disposition (RFC 6266 filename*). A request for one byte range
 * (`Range: bytes=…`) gets that part (206): the PDF viewer draws page 1 of a big scan from the parts it
 * needs instead of the whole file, and a download cut off on a mobile network resumes where it stopped.
 * Its ETag is its SHA-256 (a stored file never changes): the browser keeps the parts it fetched and asks
 * again with If-None-Match (304) after the hour; If-Range with another tag gets the whole file.
 * `?page-image=1`: page 1 of the PDF as an image instead (sendPageImage), behind the same checks.
 */
export function sendFile(c: Context<AppEnv>, file: SentFile, inline = true): Response | Promise<Response> {
  if (isPageImageRequest(c)) return sendPageImage(c, file);
  const etag = `"${file.sha256}"`;
  const headers = { ...fileHeaders(file.fileName, inline), 'Content-Type': file.contentType, 'Cache-Control': 'private, max-age=3600', 'Accept-Ranges': 'bytes', ETag: etag };
  if (c.req.header('if-none-match')?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers });
  const ifRange = c.req.header('if-range');
  const range = ifRange && ifRange !== etag ? null : byteRange(c.req.header('range'), file.size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${file.size}` } });
  const stream = c.var.deps.blobs.stream(file.sha256, range ?? undefined);
  const body = Readable.toWeb(stream) as ReadableStream;
  if (!range) return new Response(body, { headers: { ...headers, 'Content-Length': String(file.size) } });
  return new Response(body, {
    status: 206,
    headers: { ...headers, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` },
  });
}

/**
 * The one range of a `Range` header (RFC 9110 §14.1.2: `bytes=a-b`, `bytes=a-`, `bytes=-n`), clamped to the
 * file; null for none, a header of another unit or several ranges (the whole file is sent); 'unsatisfiable'
 * when it starts past the end.
 */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const length = Math.min(Number(m[2]), size);
    return length > 0 ? { start: size - length, end: size - 1 } : 'unsatisfiable';
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? null : { start, end };
}

/** Whether a file request asks for the image of a PDF's page 1 (`?page-image=1`) rather than the file itself. */
const isPageImageRequest = (c: Context<AppEnv>) => c.req.query('page-image') === '1';

/**
 * Sends page 1 of a stored PDF the caller has already been allowed to read, as a JPEG (pageImage: rendered
 * once per content): what the viewer shows while pdf.js is on its way. It never changes for a given file:
 * kept a week by the browser, then asked again with its tag (304). Throws files.preview_not_pdf,
 * files.preview_unavailable, files.preview_failed (the viewer then waits for pdf.js).
 */
async function sendPageImage(c: Context<AppEnv>, file: SentFile) {
  const { bytes, etag } = await pageImage(c.var.deps, file);
  const headers = { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=604800', ETag: etag, 'X-Content-Type-Options': 'nosniff' };
  if (c.req.header('if-none-match')?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers });
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'Content-Length': String(bytes.length) } });
}

/** Whether a file request asks for the print copy (`?print=1`) rather than the file itself. */
export const isPrintRequest = (c: Context<AppEnv>) => c.req.query('print') === '1';

/** What a file request was, for the access history: a print copy made, page 1 seen (its image), or the file taken. */
export const fileAccessAction = (c: Context<AppEnv>) => (isPrintRequest(c) ? 'print' as const : isPageImageRequest(c) ? 'view' as const : 'download' as const);

/**
 * Sends a print copy of a stored PDF the caller has already been allowed to read: each page marked
 * «Bản in từ Hệ thống … — Người in: … — giờ ngày» (ND 30 Phụ lục VI III.6.k; `printCopy`), never cached,
 * named «ban-in-…». Throws files.print_not_pdf, files.pdf_corrupt.
 */
export async function sendPrintCopy(c: Context<AppEnv>, file: SentFile) {
  const actor = actorOf(c);
  const agency = await agencyHeading(c.var.db, actor.agencyId);
  const bytes = await printCopy(await c.var.deps.blobs.get(file.sha256), file.contentType, { agencyName: agency.name, printedBy: actor.fullName, at: new Date() });
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
