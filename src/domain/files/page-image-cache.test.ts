import { readdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { useTestApp } from '../../test/app.ts';
import { needTool } from '../../test/tools.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { storeUpload } from './files.service.ts';
import { pageImagePruneJob } from './files.jobs.ts';
import { pageImage, pageImageDir } from './page-image.ts';
import { prunePageImageCache } from './page-image-cache.ts';

const t = useTestApp();
const DAY_MS = 86_400_000;
const dir = () => pageImageDir(t.deps.config.dataDir);
const kept = async () => (await readdir(dir()).catch(() => [] as string[])).sort();

/** A stored PDF of its own content (`text`) with its page-1 image rendered and kept. */
let pdfs = 0;
async function renderedPdf(text = `Công văn số ${++pdfs}/UBND-VP`) {
  const upload = await storeUpload(t.deps, { source: await makeTextPdf([text]), fileName: 'cong-van.pdf' });
  await pageImage(t.deps, upload);
  const file = path.join(dir(), `${upload.sha256}-p1-w800-q70.jpg`);
  return { upload, file, name: path.basename(file), size: (await stat(file)).size };
}

/** Sets `file`'s last use `days` ago (what the file system would show had nobody read it since). */
const lastUsed = (file: string, days: number) => utimes(file, new Date(Date.now() - days * DAY_MS), new Date(Date.now() - days * DAY_MS));

/** Empties the cache between tests (each test counts what it holds). */
async function emptyCache() {
  for (const name of await kept()) await unlink(path.join(dir(), name));
}

test('by default the cache may hold 1 GB and keeps an image 30 days after its last use', () => {
  expect(loadConfig({}).pageImageCache).toEqual({ maxBytes: 1024 * 1024 * 1024, maxAgeDays: 30 });
  expect(loadConfig({ VANTHU_PAGE_IMAGE_CACHE_MB: '200', VANTHU_PAGE_IMAGE_CACHE_DAYS: '7' }).pageImageCache).toEqual({ maxBytes: 200 * 1024 * 1024, maxAgeDays: 7 });
  expect(() => loadConfig({ VANTHU_PAGE_IMAGE_CACHE_MB: '0', VANTHU_PAGE_IMAGE_CACHE_DAYS: 'mãi' })).toThrow(/VANTHU_PAGE_IMAGE_CACHE_MB[\s\S]*VANTHU_PAGE_IMAGE_CACHE_DAYS/);
});

test('an empty or absent cache prunes to nothing', async () => {
  expect(await prunePageImageCache({ deps: t.deps })).toMatchObject({ kept: 0, keptBytes: 0, freedBytes: 0 });
});

describe.skipIf(!needTool('pdftoppm'))('pruning the page-1 images', () => {
  test('over the size budget the least recently used images go first: one looked at again stays, and a dropped one is drawn again when asked for', async () => {
    await emptyCache();
    const [a, b, c] = [await renderedPdf(), await renderedPdf(), await renderedPdf()];
    await lastUsed(a.file, 3);
    await lastUsed(b.file, 2);
    await lastUsed(c.file, 1);
    // a, the oldest, is sent again: it becomes the most recently used
    await pageImage(t.deps, a.upload);
    const result = await prunePageImageCache({ deps: t.deps, maxBytes: a.size + b.size + c.size - 1 });
    expect(result).toMatchObject({ overBudget: 1, freedBytes: b.size, kept: 2, keptBytes: a.size + c.size, unused: 0 });
    expect(await kept()).toEqual([a.name, c.name].sort());
    expect((await pageImage(t.deps, b.upload)).bytes.length).toBe(b.size);
    expect(await kept()).toContain(b.name);
  });

  test('images and marks nobody has used for the configured days go; those used since stay', async () => {
    await emptyCache();
    const [old, recent] = [await renderedPdf(), await renderedPdf()];
    const refused = await storeUpload(t.deps, { source: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), fileName: 'hong.pdf' });
    await expect(pageImage(t.deps, refused)).rejects.toMatchObject({ code: 'files.preview_failed' });
    const mark = path.join(dir(), `${refused.sha256}-p1-w800-q70.failed`);
    await lastUsed(old.file, 31);
    await lastUsed(recent.file, 29);
    await lastUsed(mark, 31);
    const result = await prunePageImageCache({ deps: t.deps, maxAgeDays: 30 });
    expect(result).toMatchObject({ unused: 2, kept: 1, overBudget: 0 });
    expect(await kept()).toEqual([recent.name]);
  });

  test('what can never be asked for again goes: an image or a «cannot draw» mark of a PDF no longer stored, an image of an older size; files not the cache\'s stay', async () => {
    await emptyCache();
    const [stored, gone] = [await renderedPdf(), await renderedPdf()];
    const goneMark = `${gone.upload.sha256}-p1-w800-q70.failed`;
    const outdated = `${stored.upload.sha256}-p1-w600-q80.jpg`;
    await writeFile(path.join(dir(), goneMark), 'Syntax Error');
    await writeFile(path.join(dir(), outdated), 'an image of an earlier version');
    await writeFile(path.join(dir(), 'README'), 'not the cache\'s');
    // the blob store drops the PDF (the axis's retention does so with package bodies)
    await unlink(t.deps.blobs.path(gone.upload.sha256));
    const result = await prunePageImageCache({ deps: t.deps });
    expect(result).toMatchObject({ orphaned: 2, outdated: 1, kept: 1 });
    expect(await kept()).toEqual(['README', stored.name].sort());
  });

  test('an image being written is never deleted, even over a budget of nothing; one left by a render that died an hour ago is', async () => {
    await emptyCache();
    const { upload } = await renderedPdf();
    const writing = `${upload.sha256}-p1-w800-q70.${process.pid}.tmp.jpg`;
    const abandoned = `${upload.sha256}-p1-w800-q70.4242.tmp.jpg`;
    await writeFile(path.join(dir(), writing), 'half a JPEG');
    await writeFile(path.join(dir(), abandoned), 'half a JPEG');
    await lastUsed(path.join(dir(), abandoned), 1 / 24 + 1 / 1440);
    const result = await prunePageImageCache({ deps: t.deps, maxBytes: 0 });
    expect(result).toMatchObject({ unfinished: 1, overBudget: 1, kept: 0 });
    expect(await kept()).toEqual([writing]);
  });
});

test('the prune runs hourly as a job: a run prunes and schedules the next an hour later, once', async () => {
  const worker = startWorker({ deps: t.deps, jobs: [pageImagePruneJob], autoStart: false });
  try {
    // the migration's first run is due; a second one the same hour is the same job
    await t.db.updateTable('job').set({ runAt: new Date() }).where('type', '=', 'files.page_image_prune').where('doneAt', 'is', null).execute();
    expect(await worker.runOnce()).toBe(1);
    const next = await t.db.selectFrom('job').select('runAt').where('type', '=', 'files.page_image_prune').where('doneAt', 'is', null).execute();
    expect(next).toHaveLength(1);
    expect(new Date(next[0]?.runAt ?? 0).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(await worker.runOnce()).toBe(0);
  } finally {
    await worker.stop();
  }
});
