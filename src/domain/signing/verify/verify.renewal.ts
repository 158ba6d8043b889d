import { HASH_BY_OID } from '../pki/pki.algorithms.ts';
import type { TVerifyReport } from './verify.types.ts';

export type RenewalDecision = { needed: boolean; reason: 'no-timestamp' | 'tsa-certificate-expiring' | 'weak-algorithm' | 'last-timestamp-invalid' | 'ok'; deadline?: string };

/** Hash algorithms (node names) considered too weak to keep relying on. */
export const WEAK_HASHES = new Set(Object.values(HASH_BY_OID).filter((h) => h.weak).map((h) => h.name));

/**
 * Pure: whether an archived document needs a new document timestamp now — its newest timestamp
 * (document timestamp, else signature timestamp) is missing or invalid, its TSA certificate expires
 * within `marginDays` of `now`, or its imprint algorithm is weak. `deadline` is when renewal becomes due.
 */
export function needsNewTimestamp(report: TVerifyReport, now: Date, marginDays = 90, weakHashes: Set<string> = WEAK_HASHES): RenewalDecision {
  const all = report.signatures.flatMap((s) => s.timestamps);
  const docTs = all.filter((t) => t.kind === 'document' && t.genTime);
  const pool = docTs.length ? docTs : all.filter((t) => t.genTime);
  const last = pool.sort((a, b) => (b.genTime ?? '').localeCompare(a.genTime ?? ''))[0];
  if (!last) return { needed: true, reason: 'no-timestamp' };
  if (last.indication !== 'TOTAL-PASSED') return { needed: true, reason: 'last-timestamp-invalid' };
  if (last.hashAlgorithm && weakHashes.has(last.hashAlgorithm)) return { needed: true, reason: 'weak-algorithm' };
  if (!last.tsa) return { needed: true, reason: 'last-timestamp-invalid' };
  const deadline = new Date(new Date(last.tsa.notAfter).getTime() - marginDays * 86_400_000);
  return { needed: now >= deadline, reason: now >= deadline ? 'tsa-certificate-expiring' : 'ok', deadline: deadline.toISOString() };
}
