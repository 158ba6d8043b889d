import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../../platform/deps.ts';
import { isAppError } from '../../platform/errors.ts';
import { loadTrustStore } from '../signing/verify/verify.trust.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import type { TVerifyReport } from '../signing/verify/verify.types.ts';

export type IncomingVerifyReport = { tool: 'verifyPdf'; isValid: boolean; summary: string; report?: TVerifyReport; error?: { code: string; message: string } };

/**
 * The install's trust store: every .pem/.crt/.cer/.der certificate in DATA_DIR/trust (the government CA
 * roots an administrator puts there). Without that folder nothing is trusted and valid signatures are
 * reported as not yet determinable.
 */
export async function incomingTrustStore(deps: AppDeps) {
  const dir = path.join(deps.config.dataDir, 'trust');
  const hasDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  return loadTrustStore(hasDir ? { dir } : {});
}

/**
 * Verifies every signature in a received PDF with the signing domain's verifyPdf (ETSI indications,
 * revocation checked online with a bounded timeout) and returns a report kept with the document.
 * An unreadable or encrypted PDF becomes a report with the error, never a thrown job failure.
 */
export async function verifyIncomingPdf(deps: AppDeps, bytes: Uint8Array, fileName?: string): Promise<IncomingVerifyReport> {
  const trustStore = await incomingTrustStore(deps);
  try {
    const report = await verifyPdf(bytes, { trustStore, fileName, timeoutMs: 10_000 });
    return { tool: 'verifyPdf', isValid: report.signatureCount > 0 && report.indication === 'TOTAL-PASSED', summary: report.summary, report };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { tool: 'verifyPdf', isValid: false, summary: error.message, error: { code: error.code, message: error.message } };
  }
}
