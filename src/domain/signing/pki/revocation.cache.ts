import { createHash } from 'node:crypto';

/**
 * A small in-memory cache for revocation data and AIA certificates: entries live until the data's own
 * nextUpdate (capped by `maxTtlMs`), concurrent loads of one key share one request, and the cache is
 * bounded (`maxEntries`, oldest evicted first). Failures are not cached as data; a caller may remember one
 * (`rememberFailure`, in memory, at most `maxFailures`, oldest forgotten first) so the next request to a
 * failing address is not made before the time it gives. With `dir`, the raw responses
 * (OCSP responses, CRLs, AIA certificates: public data) are also kept on disk, one file per request,
 * so later processes (`vanthu verify` runs one per file) reuse them under the same rules; data without
 * a nextUpdate is reused for `maxAgeWithoutNextUpdateMs` at most. A reused response is checked again
 * (signature, certificate, status) like a fresh one.
 */
export type RevocationCache = {
  getOrLoad: <T extends { nextUpdate?: Date }>(key: string, load: () => Promise<T>) => Promise<T>;
  getOrLoadBytes: (key: string, load: () => Promise<Uint8Array>, expiry: (b: Uint8Array) => Date | undefined) => Promise<Uint8Array>;
  /** Remembers that `key` failed for `reason` until `ttlMs` from now; returns that time. */
  rememberFailure: (key: string, reason: string, ttlMs: number) => Date;
  /** The failure remembered for `key`, while its time has not passed. */
  recentFailure: (key: string) => RememberedFailure | undefined;
  clear: () => void;
  size: () => number;
};

export type RememberedFailure = { reason: string; until: Date };

type Entry = { value: Promise<unknown>; expiresAt: number };

export type RevocationCacheOptions = { maxEntries?: number; maxFailures?: number; maxTtlMs?: number; now?: () => number; dir?: string; maxAgeWithoutNextUpdateMs?: number };

/** node:fs through getBuiltinModule: its ESM facade loads ~35 more built-in modules (see verify.trust.ts). */
const fs = () => process.getBuiltinModule('node:fs');

/** A response stored on disk by an earlier process (with its expiry), when it is still within its nextUpdate and maximum age. */
function readStored(path: string, expiry: (b: Uint8Array) => Date | undefined, now: number, maxTtl: number, maxAgeWithout: number): { bytes: Uint8Array; expires: Date | undefined } | undefined {
  try {
    const stat = fs().statSync(path, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs + maxTtl <= now) return undefined;
    const bytes = new Uint8Array(fs().readFileSync(path));
    const expires = expiry(bytes);
    const until = expires?.getTime() ?? stat.mtimeMs + maxAgeWithout;
    return until > now ? { bytes, expires } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a response for later processes (temporary file renamed into place, so readers never see half of one); best effort. */
function store(dir: string, path: string, bytes: Uint8Array): void {
  try {
    fs().mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    fs().writeFileSync(tmp, bytes);
    fs().renameSync(tmp, path);
  } catch { /* a read-only or full cache folder only costs the next process a request */ }
}

/** Creates a cache; defaults: 5,000 entries and 1,000 failures, at most 1 hour per entry, 5 minutes on disk without a nextUpdate. */
export function createRevocationCache(options: RevocationCacheOptions = {}): RevocationCache {
  const maxEntries = options.maxEntries ?? 5000;
  const maxFailures = options.maxFailures ?? 1000;
  const maxTtl = options.maxTtlMs ?? 3_600_000;
  const maxAgeWithout = options.maxAgeWithoutNextUpdateMs ?? 300_000;
  const now = options.now ?? Date.now;
  const { dir } = options;
  const map = new Map<string, Entry>();
  const failures = new Map<string, RememberedFailure>();
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
  const loadBytes = (key: string, loader: () => Promise<Uint8Array>, expiry: (b: Uint8Array) => Date | undefined): Promise<Uint8Array> => {
    if (!dir) return load(key, loader, expiry);
    // On a miss only: the file name, and the expiry of the bytes (worked out once: for a CRL it is a parse).
    let expires: Date | undefined;
    return load(key, async () => {
      const path = `${dir}/${createHash('sha256').update(key).digest('hex').slice(0, 40)}.der`;
      const stored = readStored(path, expiry, now(), maxTtl, maxAgeWithout);
      if (stored) {
        expires = stored.expires;
        return stored.bytes;
      }
      const bytes = await loader();
      expires = expiry(bytes);
      const until = expires?.getTime();
      if (until === undefined || until > now()) store(dir, path, bytes);
      return bytes;
    }, () => expires);
  };
  return {
    getOrLoad: (key, loader) => load(key, loader, (v) => v.nextUpdate),
    getOrLoadBytes: loadBytes,
    rememberFailure: (key, reason, ttlMs) => {
      const until = new Date(now() + ttlMs);
      failures.delete(key); // a renewed failure is the newest again
      if (failures.size >= maxFailures) {
        const oldest = failures.keys().next();
        if (!oldest.done) failures.delete(oldest.value);
      }
      failures.set(key, { reason, until });
      return until;
    },
    recentFailure: (key) => {
      const failure = failures.get(key);
      if (failure && failure.until.getTime() <= now()) failures.delete(key);
      return failure && failure.until.getTime() > now() ? failure : undefined;
    },
    clear: () => { map.clear(); failures.clear(); },
    size: () => map.size,
  };
}
