/**
 * Package bodies this axis process accepted lately, by DocId, so the getEdoc that usually follows
 * within a second does not fetch ~230 KiB of base64 back from PostgreSQL (whose base64 encoding of the
 * bytea costs its backend ~1 ms per 172 KiB package, and Node as much again to take the text in).
 * Bodies are content-addressed (each is kept under its SHA-256, checked at sendEdoc), so a copy in memory
 * is the stored body byte for byte; getEdoc still asks the database whether that body row exists and who
 * may read it, and serves from memory only then. Bounded by RECENT_BODIES_MAX_BYTES, oldest out first;
 * lost with the process (the database is the store, this is only a shortcut to it).
 */

/** Memory the recent bodies may hold (the oldest are dropped past it): ~270 packages of 240 KiB. */
export const RECENT_BODIES_MAX_BYTES = 64 * 1024 * 1024;

/** The bodies of one accepted package: what its sender sent and what its recipients get (the same when no TraceHeader was appended). */
export type RecentBodies = { sha256: string; bytes: Uint8Array; deliveredSha256: string; delivered: Uint8Array };

export type RecentBodyCache = {
  remember: (docId: string, bodies: RecentBodies) => void;
  /** The body with this SHA-256 of the package, if this process accepted it lately. */
  bodyOf: (docId: string, sha256: string) => Uint8Array | undefined;
  has: (docId: string) => boolean;
};

/** A bounded cache of recently accepted bodies (one per axis app). */
export function createRecentBodyCache(maxBytes = RECENT_BODIES_MAX_BYTES): RecentBodyCache {
  const entries = new Map<string, RecentBodies & { size: number }>();
  let total = 0;
  return {
    remember: (docId, bodies) => {
      const size = bodies.bytes.byteLength + (bodies.delivered === bodies.bytes ? 0 : bodies.delivered.byteLength);
      if (size > maxBytes || entries.has(docId)) return;
      entries.set(docId, { ...bodies, size });
      total += size;
      // A Map iterates in insertion order: the first entries are the oldest.
      for (const [oldest, entry] of entries) {
        if (total <= maxBytes) break;
        entries.delete(oldest);
        total -= entry.size;
      }
    },
    bodyOf: (docId, sha256) => {
      const entry = entries.get(docId);
      if (entry?.deliveredSha256 === sha256) return entry.delivered;
      return entry?.sha256 === sha256 ? entry.bytes : undefined;
    },
    has: (docId) => entries.has(docId),
  };
}
