import type { Subset } from '@pdf-lib/fontkit';

/**
 * fontkit 1.x only offers `encodeStream()`, which encodes on the next tick into a Node Readable.
 * Its TTF subsetter's `encode(stream)` is synchronous and only calls the `write*`/`fill` methods of a
 * restructure EncodeStream, so we hand it a growable buffer with the same methods: the appearance
 * builders stay synchronous (the PDF writer calls them inside its own loop) and skip stream overhead.
 */
type Sink = Record<string, unknown> & { pos: number };
type EncodableSubset = Subset & { encode?: (stream: Sink) => void };

const SIZES: Record<string, number> = { Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Float: 4, Double: 8 };

/** Encodes a fontkit TrueType subset to the bytes of a standalone TTF (for /FontFile2). */
export function encodeSubset(subset: Subset): Uint8Array {
  const encodable: EncodableSubset = subset;
  if (typeof encodable.encode !== 'function') throw new Error('fontkit subset has no encode(stream)');
  let buf = Buffer.alloc(1 << 16);
  let off = 0;
  const grow = (n: number) => {
    if (off + n <= buf.length) return;
    const next = Buffer.alloc(Math.max(buf.length * 2, off + n));
    buf.copy(next, 0, 0, off);
    buf = next;
  };
  const sink: Sink = { pos: 0 };
  for (const key of Object.getOwnPropertyNames(Buffer.prototype)) {
    const m = /^write(U?Int(?:8|16|32)|Float|Double)(?:BE|LE)?$/.exec(key);
    const size = m?.[1] === undefined ? undefined : SIZES[m[1]];
    if (size === undefined) continue;
    sink[key] = (value: number) => {
      grow(size);
      const method = Reflect.get(buf, key) as (v: number, o: number) => number;
      method.call(buf, value, off);
      off += size;
      sink.pos += size;
    };
  }
  const writeBuffer = (b: Uint8Array) => {
    grow(b.length);
    buf.set(b, off);
    off += b.length;
    sink.pos += b.length;
  };
  sink.writeBuffer = writeBuffer;
  sink.writeString = (s: string, enc: BufferEncoding = 'ascii') => writeBuffer(Buffer.from(s, enc));
  sink.fill = (value: number, length: number) => {
    grow(length);
    buf.fill(value, off, off + length);
    off += length;
    sink.pos += length;
  };
  encodable.encode(sink);
  return new Uint8Array(buf.subarray(0, off));
}
