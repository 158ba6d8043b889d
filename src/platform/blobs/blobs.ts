import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/client.ts';
import { errorFactory } from '../errors.ts';

export const blobNotFound = errorFactory({ code: 'blob.not_found', status: 404, message: 'Không tìm thấy tệp.' });
export const blobTooLarge = errorFactory({ code: 'blob.too_large', status: 413, message: 'Tệp vượt quá dung lượng cho phép.' });
export const blobCorrupt = errorFactory({ code: 'blob.corrupt', status: 500, message: 'Tệp lưu trữ bị hỏng (mã băm không khớp).' });

export type BlobStore = {
  /** Stores bytes (or a stream) durably (written, fsynced, renamed) and returns its SHA-256 key. */
  put: (source: Uint8Array | Readable | AsyncIterable<Uint8Array>, options?: { maxBytes?: number }) => Promise<{ sha256: string; size: number }>;
  get: (sha256: string) => Promise<Uint8Array>;
  stream: (sha256: string) => Readable;
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

  const put: BlobStore['put'] = async (source, options = {}) => {
    const tmpDir = path.join(root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
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
    const input = source instanceof Uint8Array ? Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]) : Readable.from(source);
    try {
      await pipeline(input, meter, createWriteStream(tmp, { flags: 'wx' }));
      await fsyncFile(tmp);
      const sha256 = hash.digest('hex');
      const final = pathOf(sha256);
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
      await fsyncFile(path.dirname(final));
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
    stream: (sha256) => createReadStream(pathOf(sha256)),
    has: async (sha256) => stat(pathOf(sha256)).then(() => true, () => false),
  };
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Records a stored blob's metadata (idempotent: the same content is recorded once). */
export async function recordBlob(tx: Db, blob: { sha256: string; size: number; contentType: string }): Promise<void> {
  await tx.insertInto('blob').values(blob).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}
