import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../../../platform/deps.ts';
import { bodyLogDir, bodyLogOf, SEGMENT_GRACE_MS, SEGMENT_MAX_AGE_MS, segmentCreatedAt } from './axis.bodylog.ts';
import { axisBodyExpired } from './axis.errors.ts';
import { axisRepo, type RetentionKey } from './axis.repository.ts';

/**
 * Body retention: the bytes of a package (its body rows, body-log bytes, blob) are dropped once every
 * delivery of it is finished — each recipient here acknowledged it with updateStatus done, the parent
 * axis took it (or forwarding failed for good), or it could not be routed — and it is older than the
 * retention period. The package row, its deliveries and traces stay (the audit trail) and the package
 * is marked (`body_dropped_at`): getEdoc then answers axis.body_expired.
 *
 * Rows first, then files: each batch is one transaction (lock the packages, check their deliveries,
 * mark them, delete the body rows no kept package names); only after the commits are the segment files
 * and the blob files no row refers to deleted. A crash in between leaves files no row
 * refers to, which the next run deletes; never a row pointing at a missing file. A segment is deleted
 * only when it is no process's current one: not this process's, and older (by its name) than the time a
 * segment is appended to plus a day.
 */

export type PruneResult = {
  /** Packages whose body was dropped now (their rows stay). */
  packages: number;
  /** Body rows deleted, and the bytes they held (body log, bytea, blob). */
  bodies: number;
  bodyBytes: number;
  /** Segment files and blob files deleted, and their size on disk. */
  segments: number;
  blobs: number;
  fileBytes: number;
};

export type PruneOptions = {
  deps: Pick<AppDeps, 'config' | 'logger' | 'db' | 'blobs'>;
  /** Only packages older than this many days lose their body. */
  olderThanDays: number;
  /** Count what would be freed; change nothing. */
  dryRun?: boolean;
  /** Packages per transaction (default 500). */
  batchSize?: number;
  /** The time the run counts from (tests). */
  now?: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

/** The answer to getEdoc (and forwarding) of a package whose body the retention dropped. */
export const bodyExpired = (docId: string) => axisBodyExpired({ docId }, {
  message: `Nội dung gói tin ${docId} đã hết thời hạn lưu trên trục (mọi cơ quan nhận đã nhận xong); trục chỉ còn giữ thông tin và nhật ký chuyển nhận của gói tin.`,
});

type Tally = { packages: number; bodies: number; bodyBytes: number; blobs: string[] };

/** One batch in `tx`: returns where the walk goes on from (undefined: no package left to look at). */
async function pruneBatch(tx: AppDeps['db'], cutoff: Date, after: RetentionKey | undefined, limit: number, tally: Tally) {
  const locked = await axisRepo.lockOldKeptPackages(tx, cutoff, after, limit);
  const finished = await axisRepo.finishedPackages(tx, locked.map((p) => p.docId));
  const dropped = await axisRepo.dropBodies(tx, finished);
  tally.packages += finished.length;
  for (const body of dropped) {
    tally.bodies++;
    tally.bodyBytes += body.size;
    if (body.isBlob) tally.blobs.push(body.sha256);
  }
  return locked.length < limit ? undefined : locked.at(-1);
}

/** Segment files (not the current one, past the grace) that no body row refers to, with their sizes. */
async function freeSegments(deps: PruneOptions['deps'], now: Date): Promise<{ name: string; size: number }[]> {
  const dir = bodyLogDir(deps.config.dataDir);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => { if (error.code === 'ENOENT') return []; throw error; });
  const current = bodyLogOf(deps).current();
  const oldest = now.getTime() - SEGMENT_MAX_AGE_MS - SEGMENT_GRACE_MS;
  const candidates = names.filter((n) => n !== current && (segmentCreatedAt(n)?.getTime() ?? Infinity) < oldest);
  const inUse = await axisRepo.segmentsInUse(deps.db, candidates);
  return Promise.all(candidates.filter((n) => !inUse.has(n)).map(async (name) => ({ name, size: (await stat(path.join(dir, name))).size })));
}

const BLOB_NAME = /^[0-9a-f]{64}$/;

/**
 * Blob files no `blob` row refers to, with their sizes: those of the bodies this run dropped, and any
 * other past the grace (left by a crash between a run's commit and its files, or by a duplicate send;
 * the axis's blob store holds package bodies only, each recorded with its package).
 */
async function freeBlobs(deps: PruneOptions['deps'], dropped: ReadonlySet<string>, now: Date): Promise<{ sha256: string; size: number }[]> {
  const names = await readdir(deps.config.blobDir, { recursive: true })
    .catch((error: NodeJS.ErrnoException) => { if (error.code === 'ENOENT') return []; throw error; });
  const files = new Map<string, number>();
  const oldest = now.getTime() - SEGMENT_GRACE_MS;
  for (const name of names) {
    const sha256 = path.basename(name);
    if (!BLOB_NAME.test(sha256) || name.startsWith('tmp')) continue;
    const s = await stat(deps.blobs.path(sha256)).catch(() => undefined);
    if (s && (s.mtimeMs < oldest || dropped.has(sha256))) files.set(sha256, s.size);
  }
  const inUse = await axisRepo.blobsInUse(deps.db, [...files.keys()]);
  return [...files].filter(([sha256]) => !inUse.has(sha256)).map(([sha256, size]) => ({ sha256, size }));
}

/**
 * Drops the bodies of finished packages older than `olderThanDays` (batches of `batchSize`, one
 * transaction each), then deletes the segment files no row refers to and the dropped blobs' files.
 * Idempotent: a second run frees nothing new. With `dryRun` everything runs in one transaction that is
 * rolled back, and no file is touched.
 */
export async function pruneBodies({ deps, olderThanDays, dryRun = false, batchSize = BATCH, now = new Date() }: PruneOptions): Promise<PruneResult> {
  const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS);
  const tally: Tally = { packages: 0, bodies: 0, bodyBytes: 0, blobs: [] };
  if (dryRun) {
    const rollback = new Error('axis: dry run');
    let counted: PruneResult | undefined;
    await deps.db.transaction().execute(async (tx) => {
      let after: RetentionKey | undefined;
      do after = await pruneBatch(tx, cutoff, after, batchSize, tally); while (after);
      const txDeps = { ...deps, db: tx };
      const segments = await freeSegments(txDeps, now);
      const blobs = await freeBlobs(txDeps, new Set(tally.blobs), now);
      counted = summary(tally, segments, blobs);
      throw rollback;
    }).catch((error: unknown) => { if (error !== rollback) throw error; });
    if (!counted) throw new Error('axis: dry run counted nothing');
    return counted;
  }
  let after: RetentionKey | undefined;
  do after = await deps.db.transaction().execute((tx) => pruneBatch(tx, cutoff, after, batchSize, tally)); while (after);
  const segments = await freeSegments(deps, now);
  const removed = [];
  for (const s of segments) if (await bodyLogOf(deps).remove(s.name)) removed.push(s);
  const blobs = [];
  for (const b of await freeBlobs(deps, new Set(tally.blobs), now)) if (await unlink(deps.blobs.path(b.sha256)).then(() => true, () => false)) blobs.push(b);
  const result = summary(tally, removed, blobs);
  if (result.packages + result.segments + result.blobs > 0) deps.logger.info({ olderThanDays, ...result }, 'axis: package bodies past their retention dropped');
  return result;
}

function summary(tally: Tally, segments: readonly { size: number }[], blobs: readonly { size: number }[]): PruneResult {
  return {
    packages: tally.packages, bodies: tally.bodies, bodyBytes: tally.bodyBytes, segments: segments.length, blobs: blobs.length,
    fileBytes: [...segments, ...blobs].reduce((n, f) => n + f.size, 0),
  };
}
