import type { AppDeps } from '../../platform/deps.ts';
import { isAppError } from '../../platform/errors.ts';
import { installVerifyOptions } from '../verification/verification.service.ts';
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
