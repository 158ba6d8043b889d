/**
 * A small in-memory cache for revocation data and AIA certificates: entries live until the data's own
 * nextUpdate (capped by `maxTtlMs`), concurrent loads of one key share one request, and the cache is
 * bounded (`maxEntries`, oldest evicted first). Failures are not cached.
 */
export type RevocationCache = {
  getOrLoad: <T extends { nextUpdate?: Date }>(key: string, load: () => Promise<T>) => Promise<T>;
  getOrLoadBytes: (key: string, load: () => Promise<Uint8Array>, expiry: (b: Uint8Array) => Date | undefined) => Promise<Uint8Array>;
  clear: () => void;
  size: () => number;
};

type Entry = { value: Promise<unknown>; expiresAt: number };

/** Creates a cache; defaults: 5,000 entries, at most 1 hour per entry. */
export function createRevocationCache(options: { maxEntries?: number; maxTtlMs?: number; now?: () => number } = {}): RevocationCache {
  const maxEntries = options.maxEntries ?? 5000;
  const maxTtl = options.maxTtlMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  const map = new Map<string, Entry>();
  const put = (key: string, entry: Entry) => {
    if (map.size >= maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(key, entry);
  };
  const load = <T>(key: string, loader: () => Promise<T>, expiryOf: (v: T) => Date | undefined): Promise<T> => {
    const hit = map.get(key);
    if (hit && hit.expiresAt > now()) return hit.value as Promise<T>;
    const entry: Entry = { value: Promise.resolve(), expiresAt: now() + maxTtl };
    const p = loader().then((v) => {
      const exp = expiryOf(v)?.getTime();
      entry.expiresAt = Math.min(now() + maxTtl, exp ?? Infinity);
      return v;
    }, (e: unknown) => { map.delete(key); throw e; });
    entry.value = p;
    put(key, entry);
    return p;
  };
  return {
    getOrLoad: (key, loader) => load(key, loader, (v) => v.nextUpdate),
    getOrLoadBytes: (key, loader, expiry) => load(key, loader, expiry),
    clear: () => map.clear(),
    size: () => map.size,
  };
}
