import type { TVerifyReport } from '../signing/verify/verify.types.ts';
import { needsNewTimestamp, type RenewalDecision } from '../signing/verify/verify.renewal.ts';
import { MIN_RSA_BITS } from './archive.keys.ts';

/** What the archive pass concludes about one kept PDF from its verification report. */
export type Assessment =
  | { kind: 'unsigned' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'protected'; level: string; protectedUntil: string | null; renewDueAt: string | null }
  | { kind: 'due'; level: string; reason: RenewalDecision['reason'] | 'no-lta' | 'weak-key'; protectedUntil: string | null };

const LEVELS = ['none', 'B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

/** The lowest PAdES level over the approval/seal signatures (document timestamps are not signatures). */
export function lowestLevel(report: TVerifyReport): string {
  const levels = report.signatures.filter((s) => s.kind === 'signature').map((s) => LEVELS.indexOf(s.level));
  return LEVELS[levels.length ? Math.min(...levels) : 0] ?? 'none';
}

/** The newest valid timestamp (document timestamps first), as needsNewTimestamp picks it. */
function newestTimestamp(report: TVerifyReport) {
  const all = report.signatures.flatMap((s) => s.timestamps).filter((t) => t.genTime && t.tsa && t.indication === 'TOTAL-PASSED');
  const docTs = all.filter((t) => t.kind === 'document');
  return (docTs.length ? docTs : all).sort((a, b) => (b.genTime ?? '').localeCompare(a.genTime ?? ''))[0];
}

/** End of the evidence: the TSA certificate's expiry of the newest timestamp. */
export function protectedUntilOf(report: TVerifyReport): string | null {
  return newestTimestamp(report)?.tsa?.notAfter ?? null;
}

/**
 * Pure: the policy every kept signed PDF must meet — B-LTA (chains and revocation data in the DSS, and
 * a document timestamp over them) whose newest timestamp stays valid beyond `marginDays` and uses no
 * weak hash or short RSA key (`tsaKeyBits`: modulus length by TSA certificate SHA-256, see
 * tsaRsaKeyBits). A file with a TOTAL-FAILED signature is never re-timestamped (that would seal a bad file).
 */
export function assessReport(report: TVerifyReport, now: Date, marginDays: number, tsaKeyBits: ReadonlyMap<string, number> = new Map()): Assessment {
  if (report.signatureCount === 0 || report.signatures.every((s) => s.kind !== 'signature')) return { kind: 'unsigned' };
  const failed = report.signatures.find((s) => s.indication === 'TOTAL-FAILED');
  if (failed) return { kind: 'invalid', reason: `${failed.fieldName}: ${failed.subIndication ?? failed.indication} — ${failed.summary}` };
  const level = lowestLevel(report);
  const protectedUntil = protectedUntilOf(report);
  const decision = needsNewTimestamp(report, now, marginDays);
  if (decision.needed) return { kind: 'due', level, reason: decision.reason, protectedUntil };
  const newestKeyBits = tsaKeyBits.get(newestTimestamp(report)?.tsa?.sha256 ?? '');
  if (newestKeyBits !== undefined && newestKeyBits < MIN_RSA_BITS) return { kind: 'due', level, reason: 'weak-key', protectedUntil };
  // 'none' is a non-PAdES signature (no signing-certificate attribute): no level to reach, the timestamp chain is what counts
  if (level !== 'B-LTA' && level !== 'none') return { kind: 'due', level, reason: 'no-lta', protectedUntil };
  return { kind: 'protected', level, protectedUntil, renewDueAt: decision.deadline ?? null };
}
