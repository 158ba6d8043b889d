import { execFile, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { incomingImageConvertFailed, incomingImageConvertUnavailable } from './incoming.errors.ts';
import { isReadableText } from './incoming.ocr-guess.ts';
import { headerFirstText, parseBboxPages } from './incoming.ocr-layout.ts';

const run = promisify(execFile);

/** Pages OCR'd at most per document: a 500-page scan is OCR'd on its first pages only (bounded work). */
export const OCR_MAX_PAGES = 200;
/** Longest text kept for search (characters). */
export const MAX_TEXT = 4_000_000;

export type OcrOutcome =
  | { kind: 'done'; pdf: Uint8Array; text: string; pagesOcred: number; isPartial: boolean }
  | { kind: 'has_text'; text: string }
  | { kind: 'unavailable' }
  | { kind: 'failed'; reason: string };

/**
 * Combines scanned page images (JPEG, PNG, TIFF — a multi-page TIFF gives several pages) into one PDF,
 * losslessly and at each image's own resolution, with img2pdf (Debian package `img2pdf`).
 * Throws incoming.image_convert_unavailable, incoming.image_convert_failed.
 */
export async function combineImagesToPdf(images: readonly { bytes: Uint8Array; ext: string }[]): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-img2pdf-'));
  try {
    const inputs: string[] = [];
    for (const [i, img] of images.entries()) {
      const file = path.join(dir, `page-${String(i).padStart(4, '0')}.${img.ext}`);
      await writeFile(file, img.bytes);
      inputs.push(file);
    }
    const output = path.join(dir, 'combined.pdf');
    try {
      await run('img2pdf', ['--output', output, ...inputs], { timeout: 120_000, maxBuffer: 1024 * 1024 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw incomingImageConvertUnavailable();
      throw incomingImageConvertFailed({ reason: lastLine((error as { stderr?: string }).stderr ?? (error as Error).message) });
    }
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Makes a scan searchable with ocrmypdf and the Vietnamese tesseract data (`-l vie`), and extracts its
 * text with pdftotext. Only the scanned pages (isScannedPage) are OCR'd (`--pages`); a PDF without any —
 * a born-digital one, signed or not — is only read (`has_text`, no new file). A mixed PDF (typed pages and scanned ones)
 * keeps its typed pages as they are: see ocrArgs. Beyond OCR_MAX_PAGES pages are left un-OCR'd; the run
 * is killed after a time bounded by the page count.
 * Never throws for a tool failure: the outcome says what happened (the caller records it).
 */
export async function ocrPdf(input: Uint8Array, o: { pageCount: number; timeoutMs?: number }): Promise<OcrOutcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-ocr-'));
  try {
    const src = path.join(dir, 'in.pdf');
    const out = path.join(dir, 'out.pdf');
    await writeFile(src, input);
    const pages = Math.min(o.pageCount, OCR_MAX_PAGES);
    const [texts, covered] = await Promise.all([pageTexts(src, pages), imageCoverage(src, pages)]);
    const scanned = texts ? texts.flatMap((text, i) => (isScannedPage(text, covered?.[i] ?? 0) ? [i + 1] : [])) : null;
    if (texts && scanned?.length === 0) return { kind: 'has_text', text: texts.join('\f').slice(0, MAX_TEXT) };
    const timeout = o.timeoutMs ?? Math.min(30 * 60_000, 60_000 + pages * 20_000);
    const hasText = !!texts?.some((text) => text.trim() !== '');
    const result = await runGroup('ocrmypdf', [...ocrArgs(scanned ?? [], pages, hasText), await withoutForm(src, dir), out], timeout);
    if (result.kind === 'missing') return { kind: 'unavailable' };
    if (result.kind === 'timeout') return { kind: 'failed', reason: `quá thời gian ${Math.round(timeout / 1000)} giây` };
    // exit 10: the output is valid and searchable but could not be made PDF/A — keep it
    if (result.code !== 0 && result.code !== 10) return { kind: 'failed', reason: ocrExitReason(result.code, result.stderr) };
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', out, '-'], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    const text = scanned === null || scanned.includes(1) ? await headerFirst(out, stdout) : stdout;
    return { kind: 'done', pdf: new Uint8Array(await readFile(out)), text: text.slice(0, MAX_TEXT), pagesOcred: pages, isPartial: o.pageCount > OCR_MAX_PAGES };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The OCR'd text with its first page read header-first (headerFirstText: the left column of a two-column
 * header — issuer, «Số:» — then the right one, then the rest of the page), from the words' positions that
 * pdftotext -bbox gives; the text as it is when the page has no such header or cannot be read so.
 */
async function headerFirst(file: string, text: string): Promise<string> {
  const read = await run('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }).catch(() => null);
  const page = read ? parseBboxPages(read.stdout)[0] : undefined;
  const first = page ? headerFirstText(page) : null;
  const end = text.indexOf('\f');
  return first === null || end < 0 ? text : first + text.slice(end);
}

/**
 * The file ocrmypdf reads: `src` itself, or, when it has form fields — a digitally signed scan has its
 * signature field — a copy with every field and annotation drawn into its page (qpdf
 * --flatten-annotations=all), which ocrmypdf's --redo-ocr accepts («user fillable form … not currently
 * possible»). The OCR'd file is a copy anyway: the received file, and its signature, are kept as they are.
 * Without qpdf, or when it cannot read the file, `src`: ocrmypdf then says what is wrong.
 */
async function withoutForm(src: string, dir: string): Promise<string> {
  try {
    const { stdout } = await run('qpdf', ['--json', '--json-key=acroform', src], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    if (!(JSON.parse(stdout) as { acroform?: { hasacroform?: boolean } }).acroform?.hasacroform) return src;
    const flat = path.join(dir, 'flat.pdf');
    // exit 3: written, with warnings
    await run('qpdf', ['--flatten-annotations=all', src, flat], { timeout: 120_000 }).catch((error: { code?: number }) => {
      if (error.code !== 3) throw error;
    });
    return flat;
  } catch {
    return src;
  }
}

/**
 * ocrmypdf's arguments for the scanned pages (none known: the first `pages`). `--redo-ocr`, not
 * `--skip-text`: a scanned page may carry a little text (a page number, a stamp's line), which makes
 * `--skip-text` leave the whole page un-OCR'd; `--redo-ocr` reads its images and leaves its visible text
 * as it is. Page segmentation 11 (sparse text): with tesseract's default (3) a specked copy lost lines —
 * «Số: 09/TB-KBNN» of a scanned notice was not in its text; sparse text reads every line it finds, and the
 * first page's reading order is rebuilt from the words' positions anyway (headerFirst). A PDF with any text
 * is written as a plain PDF: the PDF/A conversion (Ghostscript) rewrites every page and loses the typed pages' Unicode maps ("&¶QJ YÅQ…"), so their text could no longer be found.
 */
function ocrArgs(scanned: readonly number[], pages: number, hasText: boolean): string[] {
  const jobs = String(Math.max(1, Math.min(2, availableParallelism() - 1)));
  return ['-l', 'vie', '--output-type', hasText ? 'pdf' : 'pdfa', '--redo-ocr', '--optimize', '0', '--jobs', jobs, '--quiet', '--tesseract-pagesegmode', '11',
    '--pages', scanned.length > 0 ? pageRanges(scanned) : `1-${pages}`];
}

/** Page numbers as ocrmypdf's --pages reads them: [1, 3, 4, 5, 9] → "1,3-5,9". */
export function pageRanges(pages: readonly number[]): string {
  const ranges: [number, number][] = [];
  for (const p of pages) {
    const last = ranges.at(-1);
    if (last && p === last[1] + 1) last[1] = p;
    else ranges.push([p, p]);
  }
  return ranges.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

// Share of a page an image must cover to hold text of its own: a scanned sheet smaller than its page (an
// A5 letter on A4), a photographed document. Less is a logo, a signer's image, a seal, a photo in the text.
const PART_PAGE_IMAGE = 0.25;
// Letters a page with such an image must have to count as text: a page number or a scanner's stray marks
// beside a scanned sheet are not its text.
const MIN_PAGE_LETTERS = 20;
// A page whose images cover this share of it is a page image (a scan fills its page).
const FULL_PAGE_IMAGE = 0.75;
// Words of text a page image may carry and still be a scan: a stamp a scanner app writes on every page
// («BẢN SAO», a signature box: signer, agency, e-mail, time — some 15 to 30 words). A typed page has more,
// or no page-size image; a short typed page over a page-size background is OCR'd needlessly, but
// --redo-ocr keeps its text as it is.
const STAMP_MAX_WORDS = 40;

/**
 * Whether a page is scanned and wants OCR, from its own text (pdftotext) and the share of it its images
 * cover: it has no readable text (none, or a text layer whose fonts lost their Unicode map); or its images
 * could hold more text than it has — a page image with only a stamp's few words, a smaller scanned sheet
 * with fewer than 20 letters. A page whose images are a logo, a signer's image or a seal keeps its text
 * however short («GIÁM ĐỐC — Nguyễn Văn An», alone on a signed document's last page): OCR would only
 * read the images, and it would make a copy of a signed document for nothing.
 */
export function isScannedPage(text: string, imageCoverage: number): boolean {
  // NFC: a document typed in decomposed Unicode («Unicode tổ hợp») reads as letters and combining marks,
  // one in five characters neither a letter nor punctuation: its text would pass for garbage
  const flat = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!isReadableText(flat)) return true;
  if (imageCoverage >= FULL_PAGE_IMAGE) return flat.split(' ').length <= STAMP_MAX_WORDS;
  if (imageCoverage >= PART_PAGE_IMAGE) return !isReadableText(flat, MIN_PAGE_LETTERS);
  return false;
}

/**
 * The share (0–1) of each of the first `pages` pages that its images cover, read from where pdfimages
 * (poppler) says each is drawn (its pixels at its resolution) and the page size pdfinfo gives; null when
 * either cannot read the file (every page then counts by its text alone).
 */
async function imageCoverage(file: string, pages: number): Promise<number[] | null> {
  const range = ['-f', '1', '-l', String(pages)];
  const [images, info] = await Promise.all([
    run('pdfimages', ['-list', ...range, file], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }).catch(() => null),
    run('pdfinfo', [...range, file], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }).catch(() => null),
  ]);
  if (!images || !info) return null;
  const drawn = Array.from({ length: pages }, () => 0);
  // page num type width height color comp bpc enc interp object ID x-ppi y-ppi …; a soft mask repeats its image
  for (const line of images.stdout.split('\n').slice(2)) {
    const cells = line.trim().split(/\s+/);
    const [page, width, height, xPpi, yPpi] = [cells[0], cells[3], cells[4], cells[12], cells[13]].map(Number);
    const points = ((width ?? 0) / (xPpi ?? 0)) * 72 * ((height ?? 0) / (yPpi ?? 0)) * 72;
    if ((cells[2] === 'image' || cells[2] === 'stencil') && page && page <= pages && Number.isFinite(points)) drawn[page - 1] = (drawn[page - 1] ?? 0) + points;
  }
  const area = new Map([...info.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2]) * Number(m[3])]));
  return drawn.map((points, i) => Math.min(1, points / (area.get(i + 1) || Infinity)));
}

/**
 * The text of each of the first `pages` pages ('' for a page without text), or null when pdftotext cannot
 * read the file. A page with readable text needs no OCR, and a PDF of such pages only is not OCR'd at all.
 */
export async function pageTexts(file: string, pages: number): Promise<string[] | null> {
  const read = await run('pdftotext', ['-enc', 'UTF-8', '-l', String(pages), file, '-'], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }).catch(() => null);
  if (!read) return null;
  // pdftotext ends every page with a form feed: what follows the last one is no page
  const texts = read.stdout.split('\f');
  texts.pop();
  return texts.slice(0, pages);
}

// ocrmypdf's documented exit codes, in Vietnamese for the clerk
function ocrExitReason(code: string | number | undefined, stderr = ''): string {
  const known: Record<string, string> = {
    '2': 'tệp đầu vào không phải PDF hợp lệ', '6': 'tệp đã có lớp chữ', '7': 'công cụ OCR (tesseract/ghostscript) lỗi',
    '8': 'PDF có mật khẩu', '9': 'thiếu dữ liệu ngôn ngữ tiếng Việt (tesseract-ocr-vie)',
  };
  return known[String(code)] ?? `ocrmypdf lỗi (mã ${String(code)}): ${lastLine(stderr)}`;
}

const lastLine = (s: string) => s.trim().split('\n').pop()?.slice(0, 300) ?? '';

let ocrAvailable: boolean | undefined;
/** Whether ocrmypdf is installed (checked once per process). */
export async function isOcrAvailable(): Promise<boolean> {
  ocrAvailable ??= await run('sh', ['-c', 'command -v ocrmypdf']).then(() => true, () => false);
  return ocrAvailable;
}

type GroupResult = { kind: 'exit'; code: number; stderr: string } | { kind: 'timeout' } | { kind: 'missing' };

/**
 * Runs a tool in its own process group and kills the whole group (ocrmypdf's tesseract and ghostscript
 * children too) when the time limit passes, so an overrun never leaves work running.
 */
function runGroup(cmd: string, args: string[], timeoutMs: number): Promise<GroupResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let isTimedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      isTimedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'exit', code: -1, stderr: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(isTimedOut ? { kind: 'timeout' } : { kind: 'exit', code: code ?? -1, stderr });
    });
  });
}
