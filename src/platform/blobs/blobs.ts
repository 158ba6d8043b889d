import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/client.ts';
import { errorFactory } from '../errors.ts';

export const blobNotFound = errorFactory({ code: 'blob.not_found', status: 404, message: 'Không tìm thấy tệp.' });
export const blobTooLarge = errorFactory({ code: 'blob.too_large', status: 413, message: 'Tệp vượt quá dung lượng cho phép.' });
export const blobCorrupt = errorFactory({ code: 'blob.corrupt', status: 500, message: 'Tệp lưu trữ bị hỏng (mã băm không khớp).' });

export type BlobStore = {
  /**
   * Stores bytes — one piece, pieces in memory (written in order as one file, never joined), or a
   * stream — durably (written, fsynced, renamed) and returns its SHA-256 key. `sha256`: the hex SHA-256
   * of exactly these in-memory bytes when the caller has just computed it (the edXML parse hashes each
   * attachment it decodes), so they are not hashed a second time; `get` checks every read against it.
   */
  put: (source: Uint8Array | readonly Uint8Array[] | Readable | AsyncIterable<Uint8Array>, options?: { maxBytes?: number; sha256?: string }) => Promise<{ sha256: string; size: number }>;
  get: (sha256: string) => Promise<Uint8Array>;
  /** The blob's bytes as a stream; `range`: only bytes start…end (both included). */
  stream: (sha256: string, range?: { start: number; end: number }) => Readable;
  has: (sha256: string) => Promise<boolean>;
  path: (sha256: string) => string;
};

/**
 * A content-addressed store in a local directory: blobs/ab/cd/abcd…; a blob is never overwritten
 * (the same content has the same name), so a signed PDF is always a new blob.
 */
export function createBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw blobNotFound({ sha256 });
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  const tmpDir = path.join(root, 'tmp');
  // Directories made once per store: a put then costs its file's fsync and its directory's, no mkdir calls.
  const made = new Set<string>();
  const ensureDir = async (dir: string) => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
  };
  /** Runs `work` in `dir`, making the directory again if it went away since it was made (emptied store, restore). */
  const inDir = async <T>(dir: string, work: () => Promise<T>): Promise<T> => {
    await ensureDir(dir);
    try {
      return await work();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !made.delete(dir)) throw error;
      await ensureDir(dir);
      return work();
    }
  };

  /** Moves a written, fsynced temporary file to its content address and fsyncs the directory (the rename). */
  const publish = async (tmp: string, sha256: string) => {
    const final = pathOf(sha256);
    await inDir(path.dirname(final), () => rename(tmp, final));
    await fsyncPath(path.dirname(final));
  };

  /** Bytes already in memory (one piece or several): hashed unless the caller did, written and fsynced through one file handle (no stream). */
  const putBytes = async (pieces: readonly Uint8Array[], { maxBytes, sha256: given }: { maxBytes?: number; sha256?: string }) => {
    const size = pieces.reduce((n, p) => n + p.length, 0);
    if (maxBytes !== undefined && size > maxBytes) throw blobTooLarge({ maxBytes });
    const tmp = path.join(tmpDir, randomUUID());
    try {
      const handle = await inDir(tmpDir, () => open(tmp, 'wx'));
      try {
        await writeAll(handle, pieces);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = given ?? pieces.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');
      await publish(tmp, sha256);
      return { sha256, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  };

  const put: BlobStore['put'] = async (source, options = {}) => {
    if (source instanceof Uint8Array) return putBytes([source], options);
    if (Array.isArray(source)) return putBytes(source, options);
    const tmp = path.join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes) return done(blobTooLarge({ maxBytes: options.maxBytes }));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      // Opened like putBytes's file (the temporary folder made again if it went away); the stream closes it.
      const input = Readable.from(source);
      const handle = await inDir(tmpDir, () => open(tmp, 'wx'));
      await pipeline(input, meter, handle.createWriteStream());
      await fsyncPath(tmp);
      const sha256 = hash.digest('hex');
      await publish(tmp, sha256);
      return { sha256, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  };

  return {
    put,
    path: pathOf,
    get: async (sha256) => {
      const bytes = await readFile(pathOf(sha256)).catch(() => {
        throw blobNotFound({ sha256 });
      });
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw blobCorrupt({ sha256 });
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    stream: (sha256, range) => createReadStream(pathOf(sha256), range),
    has: async (sha256) => stat(pathOf(sha256)).then(() => true, () => false),
  };
}

/**
 * Writes the pieces in order with as few writev calls as the kernel allows (a write may take only part of
 * them), at the file's current offset or from `position` on.
 */
export async function writeAll(handle: FileHandle, pieces: readonly Uint8Array[], position?: number): Promise<void> {
  let rest = pieces.filter((p) => p.length > 0);
  let at = position;
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest.slice(0, 1024), at); // IOV_MAX
    if (bytesWritten === 0) throw new Error('write made no progress');
    if (at !== undefined) at += bytesWritten;
    const next: Uint8Array[] = [];
    for (const p of rest) {
      if (bytesWritten >= p.length) bytesWritten -= p.length;
      else {
        next.push(bytesWritten > 0 ? p.subarray(bytesWritten) : p);
        bytesWritten = 0;
      }
    }
    rest = next;
  }
}

/** Makes a file's contents, or a directory's entries (a created or renamed name), durable. */
export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

type BlobRow = { sha256: string; size: number; contentType: string };

/** Records a stored blob's metadata (idempotent: the same content is recorded once). */
export async function recordBlob(tx: Db, blob: BlobRow): Promise<void> {
  await recordBlobs(tx, [blob]);
}

/** Records several stored blobs' metadata in one statement (idempotent, like recordBlob). */
export async function recordBlobs(tx: Db, blobs: readonly BlobRow[]): Promise<void> {
  // Each content once: a batch may carry the same attachment twice.
  const unique = [...new Map(blobs.map((b) => [b.sha256, { sha256: b.sha256, size: b.size, contentType: b.contentType }])).values()];
  if (unique.length === 0) return;
  await tx.insertInto('blob').values(unique).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}
