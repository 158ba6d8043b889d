import type { CertInfo } from '../pki/pki.cert.ts';
import type { TCertSummary, TCheck, TIndication, TSubIndication } from './verify.types.ts';

/** Collects checks and the (indication, sub-indication) they imply; the worst one wins. */
export type Outcome = {
  checks: TCheck[];
  pass: (name: string, message: string) => void;
  fail: (name: string, indication: Exclude<TIndication, 'TOTAL-PASSED'>, sub: TSubIndication, message: string) => void;
  note: (name: string, status: TCheck['status'], message: string) => void;
  result: () => { indication: TIndication; subIndication?: TSubIndication; reason?: string };
};

/** Makes an empty outcome. */
export function createOutcome(): Outcome {
  const checks: TCheck[] = [];
  const failures: { indication: TIndication; sub: TSubIndication; message: string }[] = [];
  return {
    checks,
    pass: (name, message) => { checks.push({ name, status: 'passed', message }); },
    fail: (name, indication, sub, message) => {
      checks.push({ name, status: indication === 'TOTAL-FAILED' ? 'failed' : 'unknown', message });
      failures.push({ indication, sub, message });
    },
    note: (name, status, message) => { checks.push({ name, status, message }); },
    result: () => {
      const worst = failures.find((f) => f.indication === 'TOTAL-FAILED') ?? failures[0];
      return worst ? { indication: worst.indication, subIndication: worst.sub, reason: worst.message } : { indication: 'TOTAL-PASSED' };
    },
  };
}

/** Report summary of a certificate. */
export function certSummary(c: CertInfo): TCertSummary {
  return { subject: c.subject, issuer: c.issuer, serialHex: c.serialHex, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sha256: c.id };
}

/** Vietnamese date-time in Asia/Ho_Chi_Minh (UTC+7, no DST) as "HH:MM:SS DD/MM/YYYY (GMT+7)". */
export function vnTime(d: Date): string {
  // Hand-formatted: the first toLocaleString call loads ICU data and costs ~150 ms per CLI run.
  const t = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} ${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} (GMT+7)`;
}

/** Worst of several indications (TOTAL-FAILED > INDETERMINATE > TOTAL-PASSED). */
export function worstIndication(list: TIndication[]): TIndication {
  if (list.includes('TOTAL-FAILED')) return 'TOTAL-FAILED';
  if (list.includes('INDETERMINATE')) return 'INDETERMINATE';
  return 'TOTAL-PASSED';
}
