import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createBlobStore } from './blobs.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the blob store', () => {
  test('bytes and streams are stored under their SHA-256 and read back unchanged; the same content twice is one blob', async () => {
    const store = createBlobStore(await mkdtemp(path.join(tmpdir(), 'vanthu-blobs-')));
    const bytes = Buffer.from('văn bản đến số 12/UBND-VP');
    const stored = await store.put(bytes);
    expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.put(new Uint8Array(bytes))).toEqual(stored);
    expect(await store.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]))).toEqual(stored);
    expect(Buffer.from(await store.get(stored.sha256)).equals(bytes)).toBe(true);
  });

  test('pieces in memory are stored as one blob in order; a SHA-256 the caller computed over them is used as it is, and a read checks it', async () => {
    const store = createBlobStore(await mkdtemp(path.join(tmpdir(), 'vanthu-blobs-')));
    const bytes = Buffer.from('Công văn số 7816/VPCP-TTĐT, tệp đính kèm');
    const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 3), bytes.subarray(3, 20), bytes.subarray(20)];
    expect(await store.put(pieces)).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.put(pieces, { sha256: sha(bytes) })).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(Buffer.from(await store.get(sha(bytes))).equals(bytes)).toBe(true);
    const wrong = sha(Buffer.from('khác'));
    await store.put(pieces, { sha256: wrong });
    await expect(store.get(wrong)).rejects.toMatchObject({ code: 'blob.corrupt' });
    await expect(store.put(pieces, { maxBytes: bytes.length - 1 })).rejects.toMatchObject({ code: 'blob.too_large' });
  });

  test('a store whose directories were removed after its first write still stores (they are made again)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'vanthu-blobs-'));
    const store = createBlobStore(root);
    const first = await store.put(Buffer.from('một'));
    await rm(root, { recursive: true, force: true });
    expect(await store.has(first.sha256)).toBe(false);
    const again = await store.put(Buffer.from('một'));
    expect(Buffer.from(await store.get(again.sha256)).toString()).toBe('một');
  });

  test('bytes over the limit are refused and leave nothing behind', async () => {
    const store = createBlobStore(await mkdtemp(path.join(tmpdir(), 'vanthu-blobs-')));
    await expect(store.put(Buffer.alloc(10), { maxBytes: 9 })).rejects.toMatchObject({ code: 'blob.too_large' });
    await expect(store.put(Readable.from([Buffer.alloc(10)]), { maxBytes: 9 })).rejects.toMatchObject({ code: 'blob.too_large' });
    expect(await store.has(sha(Buffer.alloc(10)))).toBe(false);
  });
});
