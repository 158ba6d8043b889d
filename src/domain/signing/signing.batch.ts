/**
 * Batch signing: many PDFs in one call, streamed (a bounded number of files in memory), the PDF
 * work spread over worker threads (one per core), the key operations on the libuv pool (P12) or
 * on one logged-in token session (PKCS#11: one PIN for the whole batch). One failing file does not
 * stop the others; every file gets an outcome. Outputs are written to a temp file and renamed.
 * A big file with an output path (at B-B and B-T) stays in its worker from reading to writing: only
 * its signed attributes come to the main thread (to the key or token session) and only the
 * signature goes back, so no file-sized buffer crosses threads. A big file given as bytes is read by
 * a worker in place when it is a SharedArrayBuffer view, else from a copy in a reusable shared buffer;
 * either way the caller's bytes are the first part of the signed result (`pdf: [input, update]`) and
 * only the small update comes back from the worker.
 * Small files (< 256 KB) are prepared on the main thread: there a worker round trip costs more than
 * the PDF work, and the RSA operations already spread over the cores through the libuv pool.
 */
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createCmsContext, derChildren, signatureTimestampImprint } from './signing.cms.ts';
import { completeSignatureParts, prepareSignature } from './signing.pades.ts';
import type { PadesLevel, PreparedSignature, SignatureFields, SignerIdentity } from './signing.pades.ts';
import { resolveStamp } from './signing.stamp.ts';
import type { StampSpec } from './signing.stamp.ts';
import type { TimestampProvider } from './signing.tsa.ts';
import type { RevocationProvider } from './signing.ltv.ts';
import { addDocumentTimestamp, addDss, validationData } from './signing.ltv.ts';
import { timestampCertificates } from './signing.tsa.ts';
import type { Signer } from './keys.ts';
import type { WorkerReply } from './signing.worker.ts';
import { openPoolSession } from './signing.pool.ts';
import type { PoolSession } from './signing.pool.ts';
import { inputUnreadable } from './signing.errors.ts';
import { writeAtomically } from './signing.output.ts';

/** One file of a batch: a path or the bytes; without `output` the signed bytes come back in the outcome. */
export type BatchItem = { input: string | Uint8Array; output?: string };
type Named = { input: string; output?: string };
/** The outcome of one file (`pdf` holds the signed parts when the item had no output path). */
export type BatchOutcome = (Named & { ok: true; bytes: number; pdf?: Uint8Array[] }) | (Named & { ok: false; code: string; message: string });

/** Options of `signBatch`. Only plain data crosses into the workers (`stamp`, the fields). */
export type BatchOptions = Omit<SignatureFields, 'widget' | 'annotations'> & {
  signer: Signer;
  level?: PadesLevel;
  timestamp?: TimestampProvider;
  revocation?: RevocationProvider;
  stamp?: StampSpec;
  /** Worker threads for PDF work (default: one per core). */
  workers?: number;
  /** Files in flight at once (default: 4 per worker). */
  inFlight?: number;
  /** Called after each file. */
  onOutcome?: (outcome: BatchOutcome) => void;
};

/** Files below this size are prepared on the main thread: a worker round trip costs more than the work. */
const WORKER_THRESHOLD = 256 * 1024;

/**
 * Signs every item; resolves with one outcome per item, in input order. Never throws for a single
 * file's failure (the outcome carries the `signing.*` code and Vietnamese message).
 */
export async function signBatch(items: BatchItem[], options: BatchOptions): Promise<BatchOutcome[]> {
  const { signer, level = 'B-B', stamp, workers, inFlight, onOutcome, timestamp, revocation, ...fields } = options;
  const hash = fields.hash ?? 'SHA-256';
  const identity = { certificate: signer.certificate, chain: signer.chain, keyAlgorithm: signer.keyAlgorithm };
  const size = Math.max(1, Math.min(workers ?? availableParallelism(), items.length));
  const workerFields = { ...fields, withTimestamp: level !== 'B-B' };
  const pool = openPoolSession(size, { identity, fields: workerFields, stamp });
  const context = createCmsContext(signer.certificate, signer.chain, signer.keyAlgorithm, hash);
  const outcomes: BatchOutcome[] = new Array(items.length);
  let cursor = 0;
  const lane = async () => {
    while (cursor < items.length) {
      const index = cursor++;
      const item = items[index];
      if (!item) continue;
      const outcome = await signOne(item, pool, { signer, context, level, timestamp, revocation, hash, identity, fields: workerFields, stamp });
      outcomes[index] = outcome;
      onOutcome?.(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(items.length, inFlight ?? size * 4) }, lane));
  } finally {
    pool.close();
  }
  return outcomes;
}

type Shared = Pick<BatchOptions, 'signer' | 'level' | 'timestamp' | 'revocation' | 'stamp'> & {
  context: PreparedSignature['context'];
  hash: NonNullable<SignatureFields['hash']>;
  identity: SignerIdentity;
  fields: SignatureFields;
};

async function signOne(source: BatchItem, pool: PoolSession, shared: Shared): Promise<BatchOutcome> {
  const item: Named = { input: typeof source.input === 'string' ? source.input : `#${source.input.length}`, output: source.output };
  try {
    const unreadable = (error: unknown) => {
      throw inputUnreadable({ path: item.input }, { cause: error });
    };
    // Big files are read (from a path) by a worker, or their bytes shared with it (see openPoolSession): the PDF work and the hashing happen there.
    const big = typeof source.input === 'string' ? (await stat(source.input).catch(unreadable)).size >= WORKER_THRESHOLD : source.input.length >= WORKER_THRESHOLD;
    let prepared: PreparedSignature;
    if (!big) {
      const input = typeof source.input !== 'string' ? source.input : await readFile(source.input).catch(unreadable);
      const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      const widget = shared.stamp ? await resolveStamp(bytes, shared.stamp, shared.fields.pdfPassword) : undefined;
      prepared = prepareSignature(bytes, shared.identity, { ...shared.fields, widget }, shared.context);
    } else {
      const keep = item.output !== undefined && (shared.level === 'B-B' || shared.level === 'B-T');
      const reply = await pool.run(source.input, keep ? item.output : undefined);
      if (!reply.ok) return { ...item, ok: false, ...reply.error };
      if ('kept' in reply && reply.kept) return { ...item, ok: true, bytes: await finishInWorker(reply.id, reply.signedAttributes, pool, shared) };
      if (!('update' in reply)) throw new Error('unexpected worker reply');
      // Without a base in the reply the worker read shared bytes equal to the input, which the caller still holds.
      const base = reply.base ?? (typeof source.input === 'string' ? undefined : source.input);
      if (!base) throw new Error('unexpected worker reply');
      prepared = toPrepared(reply, base, shared.context);
    }
    const signature = await shared.signer.sign(prepared.signed.der, shared.hash);
    const token = shared.level !== 'B-B' && shared.timestamp ? await shared.timestamp(signatureTimestampImprint(signature, shared.hash), shared.hash) : undefined;
    let parts: Uint8Array[] = completeSignatureParts(prepared, signature, token);
    if ((shared.level === 'B-LT' || shared.level === 'B-LTA') && shared.revocation) {
      const chain = [shared.signer.certificate, ...shared.signer.chain, ...(token ? timestampCertificates(token) : [])];
      let bytes = await addDss(Buffer.concat(parts), await validationData(chain, shared.revocation), { pdfPassword: shared.fields.pdfPassword, vri: true });
      if (shared.level === 'B-LTA' && shared.timestamp) bytes = await addDocumentTimestamp(bytes, { timestamp: shared.timestamp, hash: shared.hash, pdfPassword: shared.fields.pdfPassword });
      parts = [bytes];
    }
    if (!item.output) return { ...item, ok: true, bytes: parts.reduce((n, p) => n + p.length, 0), pdf: parts };
    return { ...item, ok: true, bytes: await writeAtomically(item.output, parts) };
  } catch (error) {
    const e = error as { code?: string; message?: string; cause?: { message?: string } };
    const cause = e.cause?.message ? ` (${e.cause.message})` : '';
    return { ...item, ok: false, code: e.code ?? 'signing.sign_failed', message: `${e.message ?? String(error)}${cause}` };
  }
}

/** Signs a file kept in a worker (the signed attributes here, the key here) and lets the worker write it. Returns its size. */
async function finishInWorker(id: number, signedAttributes: Uint8Array, pool: PoolSession, shared: Shared): Promise<number> {
  let signature: Uint8Array;
  let token: Uint8Array | undefined;
  try {
    signature = await shared.signer.sign(signedAttributes, shared.hash);
    token = shared.level !== 'B-B' && shared.timestamp ? await shared.timestamp(signatureTimestampImprint(signature, shared.hash), shared.hash) : undefined;
  } catch (error) {
    pool.forget(id);
    throw error;
  }
  const reply = await pool.finish({ id, signature, token });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return 'written' in reply ? reply.written : 0;
}

function toPrepared(reply: Extract<WorkerReply, { update: Uint8Array }>, base: Uint8Array, context: PreparedSignature['context']): PreparedSignature {
  const attributes = derChildren(reply.signedAttributes);
  return {
    placeholder: {
      base, update: reply.update, contentsStart: reply.contentsStart, contentsEnd: reply.contentsEnd,
      byteRangeStart: reply.byteRangeStart, byteRangeEnd: reply.byteRangeEnd, fieldName: reply.fieldName,
    },
    documentDigest: reply.documentDigest,
    signed: { attributes, der: reply.signedAttributes },
    context,
  };
}
