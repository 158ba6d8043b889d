import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AppDeps } from '../../platform/deps.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { errorFactory } from '../../platform/errors.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { addToTrustStore, loadTrustStore, type TrustStore } from '../signing/verify/verify.trust.ts';
import type { TVerifyReport } from '../signing/verify/verify.types.ts';
import { parseCert, splitCerts } from '../signing/pki/pki.cert.ts';
import { DEMO_CRL_URL, ensureDemoCa, issueDemoCrl } from '../certificates/certificates.pki.ts';
import { DEMO_TSA_URL, demoTsaResponse } from '../certificates/certificates.tsa.ts';
import type { FetchLike } from '../signing/pki/pki.http.ts';
import type { VerifyOptions } from '../signing/verify/verify.ts';
import { limitAttempts } from '../auth/auth.service.ts';
import { sweepSignaturesAfterTrustChange } from '../incoming/incoming-recheck.service.ts';

export const trustCertInvalid = errorFactory({ code: 'verification.trust_invalid', status: 400, message: 'Tệp không chứa chứng thư số (PEM hoặc DER) đọc được.' });
export const trustCertNotFound = errorFactory({ code: 'verification.trust_not_found', status: 404, message: 'Không tìm thấy chứng thư số gốc này.' });

const trustDir = (deps: AppDeps) => path.join(deps.config.dataDir, 'trust');

type Cached = { key: string; store: TrustStore };
const cache = new Map<string, Cached>();

/**
 * The install's trust store: every certificate file in DATA_DIR/trust (roots become trust anchors,
 * others serve as intermediates) and, in demo mode, the install's demo CA. Reloaded when the folder
 * changes. Vietnam's government and national root CAs are added by administrators, never built in.
 */
export async function installTrustStore(deps: AppDeps): Promise<TrustStore> {
  const dir = trustDir(deps);
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir)).sort();
  const stamps = await Promise.all(names.map(async (n) => `${n}:${(await stat(path.join(dir, n))).mtimeMs}`));
  const key = `${deps.config.demo}|${stamps.join(',')}`;
  const hit = cache.get(dir);
  if (hit?.key === key) return hit.store;
  const store = await loadTrustStore({ dir });
  if (deps.config.demo) addToTrustStore(store, [(await ensureDemoCa(deps.config.dataDir)).certDer], true);
  cache.set(dir, { key, store });
  return store;
}

/**
 * How this install verifies: its trust store, and in demo mode a fetch that answers the demo CA's CRL
 * and demo TSA addresses locally (every other address goes to the network, with the verifier's timeouts).
 */
export async function installVerifyOptions(deps: AppDeps): Promise<VerifyOptions> {
  const trustStore = await installTrustStore(deps);
  if (!deps.config.demo) return { trustStore, timeoutMs: 8000 };
  const demoFetch: FetchLike = async (url, init) => {
    if (url === DEMO_TSA_URL) return demoTsaResponse(deps.config.dataDir, init.body ? new Uint8Array(init.body) : new Uint8Array());
    if (url !== DEMO_CRL_URL) return fetch(url, { ...init, body: init.body ? new Uint8Array(init.body) : undefined });
    const crl = new Uint8Array(await issueDemoCrl(await ensureDemoCa(deps.config.dataDir)));
    return new Response(crl, { status: 200, headers: { 'content-type': 'application/pkix-crl' } });
  };
  return { trustStore, timeoutMs: 8000, fetch: demoFetch };
}

// Reports of the signature panel by content hash, each with the trust store it was made with: the store is
// reloaded whenever DATA_DIR/trust changes (installTrustStore: its file names and times, read on every call,
// so a root another process added or removed counts too), and a report made with an earlier store is not served.
const reportCache = new Map<string, { at: number; trust: TrustStore; report: TVerifyReport }>();
const REPORT_TTL_MS = 10 * 60_000;

/**
 * Verifies a PDF this install holds (a received or issued document's file) with the install's trust
 * store and revocation sources. Reports are cached by content hash for ten minutes, as long as the trust
 * store is the same.
 */
export async function verifyStoredPdf(deps: AppDeps, o: { sha256: string; fileName?: string }): Promise<TVerifyReport> {
  const options = await installVerifyOptions(deps);
  const hit = reportCache.get(o.sha256);
  if (hit && hit.trust === options.trustStore && Date.now() - hit.at < REPORT_TTL_MS) return hit.report;
  const report = await verifyPdf(await deps.blobs.get(o.sha256), { ...options, fileName: o.fileName });
  if (reportCache.size > 500) reportCache.clear();
  reportCache.set(o.sha256, { at: Date.now(), trust: options.trustStore, report });
  return report;
}

const PUBLIC_WINDOW_MS = 10 * 60_000;
const PUBLIC_MAX_PER_WINDOW = 60;

/**
 * Checks the signatures of a PDF someone was given (the public check page). The file is verified in
 * memory and never stored. Rate-limited per IP. Throws auth.rate_limited, verify.pdf_unreadable,
 * verify.pdf_encrypted.
 */
export async function checkPublicPdf(deps: AppDeps, o: { bytes: Uint8Array; fileName?: string; ip: string }): Promise<TVerifyReport> {
  await limitAttempts(deps.db, `verify:${o.ip}`, { max: PUBLIC_MAX_PER_WINDOW, windowMs: PUBLIC_WINDOW_MS });
  return verifyPdf(o.bytes, { ...(await installVerifyOptions(deps)), fileName: o.fileName });
}

export type TrustEntry = { fileName: string; subject: string; issuer: string; notAfter: string; isRoot: boolean; sha256: string };

/** The certificates of the install's trust store (admin page). Throws forbidden. */
export async function listTrust(deps: AppDeps, actor: Actor): Promise<{ entries: TrustEntry[]; demoCa: boolean }> {
  authorize(actor, 'trust.manage', {});
  const dir = trustDir(deps);
  await mkdir(dir, { recursive: true });
  const entries: TrustEntry[] = [];
  for (const fileName of (await readdir(dir)).sort()) {
    const bytes = new Uint8Array(await readFile(path.join(dir, fileName)));
    for (const der of splitCerts(bytes)) {
      const c = parseCert(der);
      entries.push({ fileName, subject: c.subject, issuer: c.issuer, notAfter: c.notAfter.toISOString(), isRoot: c.selfSigned, sha256: c.id });
    }
  }
  return { entries, demoCa: deps.config.demo };
}

/** Adds a root or intermediate certificate (PEM or DER) to the trust store. Throws forbidden, verification.trust_invalid. */
export async function addTrust(deps: AppDeps, actor: Actor, o: { bytes: Uint8Array; ip?: string }): Promise<TrustEntry[]> {
  authorize(actor, 'trust.manage', {});
  let certs: { der: Uint8Array; c: ReturnType<typeof parseCert> }[];
  try {
    certs = splitCerts(o.bytes).map((der) => ({ der, c: parseCert(der) }));
  } catch {
    certs = [];
  }
  if (certs.length === 0) throw trustCertInvalid();
  const added: TrustEntry[] = [];
  const written: string[] = []; // files this call created: taken back if the audit's transaction fails
  await mkdir(trustDir(deps), { recursive: true }); // an install that never verified yet has no folder
  for (const { der, c } of certs) {
    const fileName = `${c.id.slice(0, 16)}.der`;
    const file = path.join(trustDir(deps), fileName);
    if (!(await exists(file))) written.push(file);
    await writeFile(file, der);
    added.push({ fileName, subject: c.subject, issuer: c.issuer, notAfter: c.notAfter.toISOString(), isRoot: c.selfSigned, sha256: c.id });
  }
  // received documents whose signatures were not proven are checked again, in the background
  try {
    await deps.db.transaction().execute(async (tx) => {
      await audit(tx, auditActorOf(actor, o.ip), { type: 'TRUST_ADDED', entityType: 'trust', entityId: added.map((a) => a.sha256).join(','), data: { subjects: added.map((a) => a.subject) } });
      await sweepSignaturesAfterTrustChange(tx, { kind: 'added' });
    });
  } catch (e) {
    await Promise.all(written.map((f) => rm(f, { force: true })));
    throw e;
  }
  return added;
}

/** The SHA-256 of the certificates of a trust file; none when it holds no readable certificate (then it was never in the store). */
function certIdsOf(bytes: Uint8Array): string[] {
  try {
    return splitCerts(bytes).map((der) => parseCert(der).id);
  } catch {
    return [];
  }
}

/** Removes one certificate file from the trust store. Throws forbidden, verification.trust_not_found. */
export async function removeTrust(deps: AppDeps, actor: Actor, o: { fileName: string; ip?: string }): Promise<void> {
  authorize(actor, 'trust.manage', {});
  const file = path.join(trustDir(deps), path.basename(o.fileName));
  if (!(await exists(file))) throw trustCertNotFound();
  const certs = certIdsOf(new Uint8Array(await readFile(file)));
  // The file leaves the store (moved beside it, where the verifier does not look) inside the audit's transaction, as its
  // last step, and comes back if the transaction fails: the store and its audit trail never disagree.
  const parkDir = `${trustDir(deps)}-removed`;
  const parked = path.join(parkDir, `${randomUUID()}-${path.basename(file)}`);
  await mkdir(parkDir, { recursive: true });
  try {
    // a proof may rest on it: the received documents whose signatures' paths hold it are checked again, in the background
    await deps.db.transaction().execute(async (tx) => {
      await audit(tx, auditActorOf(actor, o.ip), { type: 'TRUST_REMOVED', entityType: 'trust', entityId: o.fileName });
      await sweepSignaturesAfterTrustChange(tx, { kind: 'removed', certs });
      await rename(file, parked);
    });
  } catch (e) {
    if (await exists(parked)) await rename(parked, file);
    throw e;
  }
  await rm(parked, { force: true });
}

const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);
