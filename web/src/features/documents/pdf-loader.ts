import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { readError } from '../../api/client.ts';

type PdfJs = typeof import('pdfjs-dist');
/** pdf.js and the worker every document of the app shares. */
export type LoadedPdfJs = { pdfjs: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> };
let loading: Promise<LoadedPdfJs> | null = null;

/**
 * pdf.js and its worker (about 450 KB compressed), kept out of the login bundle and fetched by the viewer
 * (pdf-viewer.tsx) once page 1's image has come, with the file: not from the document page's route, where it
 * would share a slow network with that image. The worker starts at once and serves the app's whole life
 * (given to each document, which therefore does not end it): pdf.js would start one only when given a
 * document, and ask for the file only once it ran.
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

/** Up to this size a PDF comes whole in its first request; above it, pdf.js reads it in parts (the server answers byte ranges). */
export const WHOLE_FILE_MAX_BYTES = 256 * 1024;

/**
 * The parts pdf.js asks for (its default is 64 KB). Before page 1 it reads the dictionary of every page
 * (to find the last), and a scanner writes each next to that page's image: a 20-page scan cost 20 × 64 KB.
 * Adjacent parts still come in one request.
 */
const RANGE_CHUNK_BYTES = 16 * 1024;

/** The first answer for a file: its size and its first bytes (all of it when it is small). */
export type PdfStart = { size: number; head: Uint8Array };

/**
 * Asks for `url`'s first WHOLE_FILE_MAX_BYTES at once, without waiting for pdf.js (which would ask only once
 * its worker ran): a small file comes whole. Every request for the file is a byte range, which the
 * browser keeps with the file's ETag — opened again within the hour, its parts come from the cache.
 * Throws ApiError.
 */
export async function fetchPdfStart(url: string, signal: AbortSignal): Promise<PdfStart> {
  const res = await fetch(url, { headers: { Range: `bytes=0-${WHOLE_FILE_MAX_BYTES - 1}` }, signal });
  if (!res.ok) throw await readError(res);
  const head = new Uint8Array(await res.arrayBuffer());
  // 200: a server that does not send parts sent the whole file
  const size = res.status === 206 ? Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? head.length) : head.length;
  return { size, head };
}

/**
 * What pdf.js opens: the bytes of a file that came whole, or a transport that gives it the first bytes
 * and fetches the parts of the pages it draws (nothing of the others until they are scrolled to).
 * `onError`: a part that could not be fetched, twice.
 */
export function pdfSource(pdfjs: PdfJs, url: string, start: PdfStart, signal: AbortSignal, onError: (error: unknown) => void) {
  if (start.head.length >= start.size) return { data: start.head };
  const range = new pdfjs.PDFDataRangeTransport(start.size, start.head);
  const fetchPart = async (begin: number, end: number, tries: number): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { Range: `bytes=${begin}-${end - 1}` }, signal });
      if (res.status !== 206) throw await readError(res);
      range.onDataRange(begin, new Uint8Array(await res.arrayBuffer()));
    } catch (error) {
      if (signal.aborted) return;
      if (tries > 1) return fetchPart(begin, end, tries - 1);
      onError(error);
    }
  };
  range.requestDataRange = (begin, end) => void fetchPart(begin, end, 2);
  return { range, rangeChunkSize: RANGE_CHUNK_BYTES, disableAutoFetch: true };
}

/** Page 1 of a PDF as the server draws it (a JPEG 800 pixels wide) and its shape (height ÷ width). */
export type PageImage = { src: string; ratio: number };

/**
 * Page 1 of the PDF at `url` as an image (`?page-image=1`: the server renders it once per file, ~26 KB for a
 * typed page), shown before pdf.js and its worker (~450 KB compressed) are asked for: the viewer waits for it.
 * Resolves once it is decoded (drawn at once when put in the page); null when there is none (not a PDF, the
 * server could not draw it, no poppler): the viewer then starts pdf.js at once.
 */
export function loadPageImage(url: string, signal: AbortSignal): Promise<PageImage | null> {
  const img = new Image();
  img.fetchPriority = 'high';
  img.src = `${url}${url.includes('?') ? '&' : '?'}page-image=1`;
  signal.addEventListener('abort', () => img.removeAttribute('src'), { once: true });
  return img.decode().then(
    () => (img.naturalWidth > 0 ? { src: img.src, ratio: img.naturalHeight / img.naturalWidth } : null),
    () => null,
  );
}
