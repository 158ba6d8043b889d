/**
 * Large buffers used again instead of allocated anew: a new buffer of a few hundred KiB is fresh memory
 * (page faults as it is first written) and external memory, which is what starts V8's major collections.
 * Sizes are rounded up to `step` (smaller requests get a new small buffer, which Node's allocator serves
 * cheaply); the smallest free buffer that fits is taken; at most `maxBytes` are kept. A buffer may be given
 * back only once nothing reads or writes it any more.
 */
export function createBufferPool({ step, maxBytes }: { step: number; maxBytes: number }) {
  const free: Buffer<ArrayBuffer>[] = [];
  let kept = 0;
  return {
    /** A buffer of at least `size` bytes (its contents are arbitrary). */
    take: (size: number): Buffer<ArrayBuffer> => {
      if (size < step) return Buffer.allocUnsafe(size);
      let best = -1;
      for (const [i, b] of free.entries()) if (b.length >= size && (best < 0 || b.length < (free[best] as Buffer<ArrayBuffer>).length)) best = i;
      if (best < 0) return Buffer.allocUnsafeSlow(Math.ceil(size / step) * step);
      const [buffer] = free.splice(best, 1) as [Buffer<ArrayBuffer>];
      kept -= buffer.length;
      return buffer;
    },
    /** Keeps a buffer that `take` gave (whole, not a view of it) for a later `take`. */
    giveBack: (buffer: Buffer<ArrayBuffer>): void => {
      if (buffer.length < step || kept + buffer.length > maxBytes) return;
      free.push(buffer);
      kept += buffer.length;
    },
  };
}
