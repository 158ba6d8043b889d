/**
 * A feature's messages written as [Vietnamese, English] pairs, one line per key so the two never drift
 * apart, split into the two catalogues the shell spreads (`vi.ts`, `en.ts`).
 */
export function splitPairs<K extends string>(pairs: Record<K, readonly [string, string]>): [vi: Record<K, string>, en: Record<K, string>] {
  const pick = (i: 0 | 1) => Object.fromEntries(Object.entries<readonly [string, string]>(pairs).map(([k, v]) => [k, v[i]])) as Record<K, string>;
  return [pick(0), pick(1)];
}
