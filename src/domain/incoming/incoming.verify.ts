import type { AppDeps } from '../../platform/deps.ts';
import { isAppError } from '../../platform/errors.ts';
import { installTrustStore, installVerifyOptions } from '../verification/verification.service.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import type { TVerifyReport } from '../signing/verify/verify.types.ts';

export type IncomingVerifyReport = { tool: 'verifyPdf'; isValid: boolean; summary: string; report?: TVerifyReport; error?: { code: string; message: string } };

/**
 * Verifies every signature in a received PDF with the signing domain's verifyPdf (ETSI indications,
 * revocation checked online with a bounded timeout) and the install's trust store (DATA_DIR/trust, plus
 * the demo CA in demo mode) — the same verifier as the public check page and the signature panel.
 * Returns a report kept with the document.
 * An unreadable or encrypted PDF becomes a report with the error, never a thrown job failure.
 */
export async function verifyIncomingPdf(deps: AppDeps, bytes: Uint8Array, fileName?: string): Promise<IncomingVerifyReport> {
  const options = await installVerifyOptions(deps);
  try {
    const report = await verifyPdf(bytes, { ...options, fileName, timeoutMs: 10_000 });
    return { tool: 'verifyPdf', isValid: report.signatureCount > 0 && report.indication === 'TOTAL-PASSED', summary: report.summary, report };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { tool: 'verifyPdf', isValid: false, summary: error.message, error: { code: error.code, message: error.message } };
  }
}

/**
 * What the clerk is told of a received document's signatures: 'valid' (every file TOTAL-PASSED),
 * 'invalid' (a signature failed: changed content, a broken signature), 'unsigned' (no file carries a
 * signature), else 'indeterminate' — nothing failed but validity is not proven (a certificate not chained
 * to a root the install trusts, revocation not reachable), which is no sign of forgery.
 */
export type VerifyVerdict = 'valid' | 'invalid' | 'unsigned' | 'indeterminate';

/** The verdict of a document's per-file reports (as the verify job keeps them). */
export function verifyVerdict(files: readonly { report: IncomingVerifyReport }[]): VerifyVerdict {
  if (files.length > 0 && files.every((f) => f.report.isValid)) return 'valid';
  if (files.some((f) => f.report.report?.indication === 'TOTAL-FAILED')) return 'invalid';
  if (files.every((f) => !f.report.error && (f.report.report?.signatureCount ?? 0) === 0)) return 'unsigned';
  return 'indeterminate';
}

// Reports of stored PDFs by install and content hash: the same bytes received again (one circular to
// many agencies of an install, a re-sent package) are verified once in REUSE_MS, and verifications of
// the same bytes running at the same time share one.
const reports = new Map<string, { at: number; trust: unknown; report: Promise<IncomingVerifyReport> }>();
const REUSE_MS = 10 * 60_000;
const MAX_REPORTS = 500;

/** verifyIncomingPdf of a stored file, reusing a verification of the same bytes done on this install in the last ten minutes with the same trust store. */
export async function verifyStoredIncomingPdf(deps: AppDeps, file: { sha256: string; fileName?: string }): Promise<IncomingVerifyReport> {
  const key = `${deps.config.dataDir}|${file.sha256}|${file.fileName ?? ''}`;
  // a root added or taken out since is a new store: the check after it must not reuse a report made before
  const trust = await installTrustStore(deps);
  const hit = reports.get(key);
  if (hit && hit.trust === trust && Date.now() - hit.at < REUSE_MS) return hit.report;
  const report = (async () => verifyIncomingPdf(deps, await deps.blobs.get(file.sha256), file.fileName))();
  if (reports.size >= MAX_REPORTS) reports.clear();
  reports.set(key, { at: Date.now(), trust, report });
  report.catch(() => reports.delete(key));
  return report;
}
