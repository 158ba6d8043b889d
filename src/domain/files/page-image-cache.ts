import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../../platform/deps.ts';
import { PAGE_IMAGE, PAGE_IMAGE_TMP, pageImageDir, RENDER_VERSION } from './page-image.ts';

/**
 * Pruning of the page-1 images (page-image.ts): derived data, made again from the PDF when asked for, so
 * the cache is kept within a size (`VANTHU_PAGE_IMAGE_CACHE_MB`) and drops what nobody has looked at for a
 * while (`VANTHU_PAGE_IMAGE_CACHE_DAYS`). An image's modification time is the time it was last sent
 * (pageImage moves it, at most hourly), so "least recently used" is "oldest modification time".
 *
 * What goes, in this order:
 * - a render's temporary file older than TMP_GRACE_MS (a process that died while writing): a render is
 *   killed after PAGE_IMAGE.timeoutMs (aheadTimeoutMs), so a younger one may still be written and is never touched;
 * - an image or a "cannot draw" mark whose PDF is no longer in the blob store (the axis's retention drops
 *   package bodies): nobody can ask for it again;
 * - an image or mark of an older RENDER_VERSION: its name is never asked for again;
 * - an image or mark not used for `maxAgeDays` (a mark then costs one pdftoppm run again, which also
 *   lets a newer poppler draw a PDF an older one refused); an image rendered ahead of its first viewer
 *   (job files.page_image) counts as used when rendered;
 * - then, while the images and marks left are over `maxBytes`, the least recently used.
 * An image deleted as it is read is rendered again on the next request; a rename into place is atomic,
 * so a reader never sees half an image.
 */

/** A render is killed after PAGE_IMAGE.timeoutMs (aheadTimeoutMs in the job): a temporary file an hour old belongs to no running render. */
const TMP_GRACE_MS = Math.max(3_600_000, PAGE_IMAGE.timeoutMs * 10, PAGE_IMAGE.aheadTimeoutMs * 10);
const DAY_MS = 86_400_000;
const NAME = /^([0-9a-f]{64})-(.+)\.(jpg|failed)$/;

export type PageImagePruneOptions = {
  deps: Pick<AppDeps, 'config' | 'blobs'>;
  /** Most bytes the images and marks may take together (config.pageImageCache.maxBytes). */
  maxBytes?: number;
  /** Entries not used for this many days go (config.pageImageCache.maxAgeDays). */
  maxAgeDays?: number;
  /** The time the run counts from (tests). */
  now?: Date;
};

export type PageImagePruneResult = {
  /** Entries deleted, by why, and the bytes they held. */
  unfinished: number;
  orphaned: number;
  outdated: number;
  unused: number;
  overBudget: number;
  freedBytes: number;
  /** Entries left and their bytes. */
  kept: number;
  keptBytes: number;
};

type Entry = { name: string; size: number; usedAt: number };

/** Prunes DATA_DIR/.vanthu-cache/page-image (see above); a missing directory is an empty cache. */
export async function prunePageImageCache({ deps, maxBytes = deps.config.pageImageCache.maxBytes, maxAgeDays = deps.config.pageImageCache.maxAgeDays, now = new Date() }: PageImagePruneOptions): Promise<PageImagePruneResult> {
  const dir = pageImageDir(deps.config.dataDir);
  const result: PageImagePruneResult = { unfinished: 0, orphaned: 0, outdated: 0, unused: 0, overBudget: 0, freedBytes: 0, kept: 0, keptBytes: 0 };
  const drop = async (entry: Entry, why: 'unfinished' | 'orphaned' | 'outdated' | 'unused' | 'overBudget') => {
    // gone already (another process's prune, or a render's own clean-up): not counted
    if (!(await unlink(path.join(dir, entry.name)).then(() => true, () => false))) return;
    result[why]++;
    result.freedBytes += entry.size;
  };
  const kept: Entry[] = [];
  const blobExists = new Map<string, Promise<boolean>>();
  for (const entry of await entriesOf(dir)) {
    const named = NAME.exec(entry.name);
    if (entry.name.includes(`${PAGE_IMAGE_TMP}.`)) {
      if (now.getTime() - entry.usedAt > TMP_GRACE_MS) await drop(entry, 'unfinished');
      continue;
    }
    if (!named) continue; // not ours: left alone
    const [, sha256 = '', version] = named;
    if (!blobExists.has(sha256)) blobExists.set(sha256, deps.blobs.has(sha256));
    if (!(await blobExists.get(sha256))) await drop(entry, 'orphaned');
    else if (version !== RENDER_VERSION) await drop(entry, 'outdated');
    else if (now.getTime() - entry.usedAt > maxAgeDays * DAY_MS) await drop(entry, 'unused');
    else kept.push(entry);
  }
  kept.sort((a, b) => a.usedAt - b.usedAt);
  let total = kept.reduce((n, e) => n + e.size, 0);
  let oldest = 0;
  for (; total > maxBytes && oldest < kept.length; oldest++) {
    const entry = kept[oldest] as Entry;
    total -= entry.size;
    await drop(entry, 'overBudget');
  }
  result.kept = kept.length - oldest;
  result.keptBytes = total;
  return result;
}

/** The directory's files with their size and modification time (an entry deleted meanwhile is skipped). */
async function entriesOf(dir: string): Promise<Entry[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const entries = await Promise.all(names.map(async (name) => {
    const s = await stat(path.join(dir, name)).catch(() => null);
    return s?.isFile() ? { name, size: s.size, usedAt: s.mtimeMs } : null;
  }));
  return entries.filter((e): e is Entry => e !== null);
}
