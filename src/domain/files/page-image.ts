import { execFile } from 'node:child_process';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AppDeps } from '../../platform/deps.ts';
import { filePreviewFailed, filePreviewNotPdf, filePreviewUnavailable } from './files.errors.ts';

const run = promisify(execFile);

/**
 * Page 1 as an image, sent before pdf.js (~340 KB compressed) has come over a slow network. 800 pixels wide:
 * a 390-pixel phone's viewer (~380 CSS px) at twice the pixel density. JPEG (quality 70, progressive): a
 * typed A4 page is ~26 KB against ~44 KB as PNG, a scanned one ~200 KB against ~1 MB (pdftoppm writes
 * no WebP). Never taller than 3 × its width (a strip-shaped page is cut): at most 800 × 2400 pixels.
 * A render asked for by a viewer is killed after `timeoutMs`; one made ahead of it, when the PDF is stored
 * (job files.page_image, files.jobs.ts), after `aheadTimeoutMs`: nobody waits for it.
 */
export const PAGE_IMAGE = { width: 800, maxHeight: 2400, quality: 70, timeoutMs: 20_000, aheadTimeoutMs: 120_000, maxRunning: 2 } as const;
/** Changes when the image of a PDF would change (size, format): the name of its cached copy and its HTTP tag. */
export const RENDER_VERSION = 'p1-w800-q70';
/** A kept image's modification time is the time it was last sent (pruning drops the least recently used), moved at most this often. */
const TOUCH_EVERY_MS = 3_600_000;

type PdfFile = { sha256: string; contentType: string };

/**
 * Where the images are kept: DATA_DIR/.vanthu-cache/page-image. A backup leaves out DATA_DIR's `.vanthu-*`
 * entries (backup.ts): the images are made again from the PDFs, when asked for. Kept within a size and an
 * age of last use by the hourly prune (page-image-cache.ts).
 */
export const pageImageDir = (dataDir: string) => path.join(dataDir, '.vanthu-cache', 'page-image');

/** The part of a render's temporary file name before pdftoppm's `.jpg`. */
export const PAGE_IMAGE_TMP = '.tmp';

const rendering = new Map<string, Promise<Uint8Array>>();

/**
 * The JPEG of page 1 of a stored PDF, rendered by poppler's pdftoppm once per content (cached in
 * pageImageDir by the PDF's SHA-256, with a mark for a PDF poppler refused, so a bad file costs one run;
 * a render killed at the timeout is not marked) — the caller has authorised access to the file. At most PAGE_IMAGE.maxRunning
 * renders at a time, each killed after `timeoutMs` (PAGE_IMAGE.timeoutMs). Throws files.preview_not_pdf,
 * files.preview_unavailable (pdftoppm not installed), files.preview_failed (also for a render killed at the timeout).
 */
export async function pageImage(deps: AppDeps, file: PdfFile, { timeoutMs = PAGE_IMAGE.timeoutMs }: { timeoutMs?: number } = {}): Promise<{ bytes: Uint8Array; etag: string }> {
  if (file.contentType !== 'application/pdf') throw filePreviewNotPdf();
  const etag = `"${file.sha256}-${RENDER_VERSION}"`;
  const cached = path.join(pageImageDir(deps.config.dataDir), `${file.sha256}-${RENDER_VERSION}`);
  const hit = await readKept(`${cached}.jpg`);
  if (hit) return { bytes: hit, etag };
  if (await stat(`${cached}.failed`).then(() => true, () => false)) throw filePreviewFailed();
  let render = rendering.get(cached);
  if (!render) {
    render = limited(() => renderAndKeep(deps, file.sha256, cached, timeoutMs)).finally(() => rendering.delete(cached));
    rendering.set(cached, render);
  }
  return { bytes: await render, etag };
}

/** A kept image's bytes (null: none), its modification time moved to now when older than TOUCH_EVERY_MS: the prune keeps what is used. */
async function readKept(file: string): Promise<Uint8Array | null> {
  const handle = await open(file).catch(() => null);
  if (!handle) return null;
  try {
    const [bytes, { mtimeMs }] = await Promise.all([handle.readFile(), handle.stat()]);
    const now = Date.now();
    if (now - mtimeMs > TOUCH_EVERY_MS) await handle.utimes(now / 1000, now / 1000).catch(() => undefined);
    return new Uint8Array(bytes);
  } finally {
    await handle.close();
  }
}

/**
 * Renders into a temporary name (`….<pid>.tmp.jpg`, which the prune leaves alone while a render may be
 * writing it) and renames it into place; a failed or killed render's partial output is removed.
 */
async function renderAndKeep(deps: AppDeps, sha256: string, cached: string, timeoutMs: number): Promise<Uint8Array> {
  await mkdir(path.dirname(cached), { recursive: true });
  const out = `${cached}.${process.pid}${PAGE_IMAGE_TMP}`;
  try {
    await run('pdftoppm', renderArgs(deps.blobs.path(sha256), out), { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 });
    const bytes = await readFile(`${out}.jpg`);
    if (bytes.length === 0) throw new Error('no output');
    await rename(`${out}.jpg`, `${cached}.jpg`);
    return new Uint8Array(bytes);
  } catch (error) {
    await rm(`${out}.jpg`, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (error as { path?: string }).path === 'pdftoppm') throw filePreviewUnavailable();
    const reason = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').at(-1)?.slice(0, 300);
    const killed = (error as { killed?: boolean }).killed === true;
    deps.logger.warn({ sha256, reason, killed }, 'files.page_image: pdftoppm could not render page 1');
    // A render killed at the timeout (a busy server) may succeed later: only poppler's own refusal marks the file.
    if (!killed) await writeFile(`${cached}.failed`, reason ?? '').catch(() => undefined);
    throw filePreviewFailed({ reason });
  }
}

/** pdftoppm's arguments: page 1, PAGE_IMAGE.width pixels wide (height by the page's shape, cut at maxHeight), JPEG. */
function renderArgs(input: string, outPrefix: string): string[] {
  return [
    '-f', '1', '-l', '1', '-singlefile', '-cropbox', '-scale-to-x', String(PAGE_IMAGE.width), '-scale-to-y', '-1',
    '-W', String(PAGE_IMAGE.width), '-H', String(PAGE_IMAGE.maxHeight),
    '-jpeg', '-jpegopt', `quality=${PAGE_IMAGE.quality},progressive=y,optimize=y`, input, outPrefix,
  ];
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when fewer than PAGE_IMAGE.maxRunning renders are running (a 2-core server keeps serving). */
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PAGE_IMAGE.maxRunning) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
