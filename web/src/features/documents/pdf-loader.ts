import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { readError } from '../../api/client.ts';

type PdfJs = typeof import('pdfjs-dist');
/** pdf.js and the worker every document of the app shares. */
export type LoadedPdfJs = { pdfjs: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> };
let loading: Promise<LoadedPdfJs> | null = null;

/**
 * pdf.js and its worker (about 450 KB compressed), kept out of the login bundle and fetched when a page that
 * shows a PDF is opened — from its route (routes.tsx), while the page's own code and data are still on their
 * way. The worker starts at once and serves the app's whole life (given to each document, which therefore
 * does not end it): pdf.js would start one only when given a document, and ask for the file only once it ran.
 */
export function loadPdfJs(): Promise<LoadedPdfJs> {
  loading ??= startPdfJs();
  return loading;
}

function startPdfJs(): Promise<LoadedPdfJs> {
  const port = new Worker(workerUrl, { type: 'module' });
  return import('pdfjs-dist').then((pdfjs) => ({ pdfjs, worker: pdfjs.PDFWorker.create({ port }) }), (error: unknown) => {
    // offline for a moment: the next document tries again
    port.terminate();
    loading = null;
    throw error;
  });
}

/** Above this size a PDF is read in parts (the server answers byte ranges): page 1 of a big scan without the whole file. */
export const WHOLE_FILE_MAX_BYTES = 256 * 1024;

/**
 * The parts pdf.js asks for (its default is 64 KB). Before page 1 it reads the dictionary of every page
 * (to find the last), and a scanner writes each next to that page's image: a 20-page scan cost 20 × 64 KB.
 * Adjacent parts still come in one request.
 */
const RANGE_CHUNK_BYTES = 16 * 1024;

/** What pdf.js opens: a file's bytes, or its address with the parts pdf.js may fetch. */
export type PdfSource = { data: Uint8Array } | { url: string; length: number; rangeChunkSize: number; disableStream: true; disableAutoFetch: true; withCredentials: true };

/**
 * What pdf.js opens for `url`, asked for at once rather than once its worker runs: the file's bytes, or, for
 * a file over WHOLE_FILE_MAX_BYTES that the server sends in parts, its address with pdf.js told to fetch
 * only the parts of the pages it draws (nothing of the others until they are scrolled to). Throws ApiError.
 */
export async function openPdfSource(url: string, signal: AbortSignal): Promise<PdfSource> {
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok) throw await readError(res);
  const size = Number(res.headers.get('content-length'));
  if (res.headers.get('accept-ranges') === 'bytes' && !res.headers.get('content-encoding') && size > WHOLE_FILE_MAX_BYTES) {
    await res.body?.cancel();
    return { url, length: size, rangeChunkSize: RANGE_CHUNK_BYTES, disableStream: true, disableAutoFetch: true, withCredentials: true };
  }
  return { data: new Uint8Array(await res.arrayBuffer()) };
}
