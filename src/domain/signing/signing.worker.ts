/**
 * Batch worker (worker_threads): does the PDF half of signing — open, placeholder update, digest,
 * signed attributes — for files sent by `signing.batch.ts`. The key (P12 or the token session)
 * stays in the main thread: only the signed attributes go there, only the signature comes back.
 *
 * A file with an output path is kept here from start to end: the worker reads it, sends the main
 * thread the signed attributes to sign, embeds the signature it gets back and writes the output
 * itself (temp file + rename). Then no 5 MB buffer crosses threads (whose arrival made the main
 * thread collect garbage once every few files); the reply is a byte count. Such a file is read into
 * one of the worker's reusable buffers: a fresh 5 MB buffer per file (readFile) cost ≈3 ms of CPU
 * in page faults and collection — as much as hashing it — against ≈0.4 ms for a read into warm memory.
 */
import { open, readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { completeSignatureParts, prepareSignature } from './signing.pades.ts';
import type { PreparedSignature, SignatureFields, SignerIdentity } from './signing.pades.ts';
import { resolveStamp } from './signing.stamp.ts';
import type { StampSpec } from './signing.stamp.ts';
import { writeAtomically } from './signing.output.ts';
import { inputUnreadable } from './signing.errors.ts';

/** Sent once per batch and worker: who signs and how (`setup` identifies the batch). */
export type WorkerInit = { type: 'init'; setup: number; identity: SignerIdentity; fields: SignatureFields; stamp?: StampSpec };
/**
 * One file to prepare for batch `setup`: its bytes, or its path (read here, off the main thread).
 * With `output` the prepared file stays here until a `finish` message with its signature arrives.
 */
export type WorkerTask = { type: 'task'; setup: number; id: number; pdf: Uint8Array | string; output?: string };
/** The signature (and timestamp token) of a kept file: embed it and write the output. */
export type WorkerFinish = { type: 'finish'; id: number; signature: Uint8Array; token?: Uint8Array };
/** The main thread could not sign a kept file: forget it (no reply). */
export type WorkerForget = { type: 'forget'; id: number };
/** The batch is over: forget its setup. */
export type WorkerDrop = { type: 'drop'; setup: number };
type Failure = { id: number; ok: false; error: { code: string; message: string } };
/** The prepared file (whole, or just what the main thread signs when the file is kept here), the written file, or the error. */
export type WorkerReply =
  | { id: number; ok: true; kept?: false; base?: Uint8Array; update: Uint8Array; contentsStart: number; contentsEnd: number; byteRangeStart: number; byteRangeEnd: number; fieldName: string; signedAttributes: Uint8Array; documentDigest: Uint8Array }
  | { id: number; ok: true; kept: true; signedAttributes: Uint8Array }
  | { id: number; ok: true; written: number }
  | Failure;

const setups = new Map<number, WorkerInit>();
/** Files kept for `finish`: the prepared signature, where to write it, and the reusable buffer holding it. */
const kept = new Map<number, { prepared: PreparedSignature; output: string; buffer?: Uint8Array }>();

/**
 * Free read buffers (at most SPARE_MAX are kept). They are let go when no batch has been open for
 * SPARE_IDLE_MS: batches that follow one another reuse them (allocating them again each batch set off
 * a full collection in the worker every batch).
 */
const spare: Uint8Array[] = [];
const SPARE_MAX = 8;
const SPARE_IDLE_MS = 30_000;
let release: ReturnType<typeof setTimeout> | undefined;

function takeBuffer(size: number): Uint8Array {
  const fits = spare.filter((b) => b.length >= size).sort((a, b) => a.length - b.length)[0];
  if (fits) {
    spare.splice(spare.indexOf(fits), 1);
    return fits;
  }
  return Buffer.allocUnsafeSlow(Math.max(1 << 20, 2 ** Math.ceil(Math.log2(size))));
}

function giveBack(buffer: Uint8Array | undefined) {
  if (buffer && spare.length < SPARE_MAX) spare.push(buffer);
}

/** Reads a file into a reusable buffer; returns the file's bytes (a view) and the buffer to give back. */
async function readReusing(path: string): Promise<{ pdf: Uint8Array; buffer: Uint8Array }> {
  const handle = await open(path, 'r');
  let buffer: Uint8Array | undefined;
  try {
    const { size } = await handle.stat();
    buffer = takeBuffer(size);
    let length = 0;
    while (length < size) {
      const { bytesRead } = await handle.read(buffer, length, size - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { pdf: buffer.subarray(0, length), buffer };
  } catch (error) {
    giveBack(buffer);
    throw error;
  } finally {
    await handle.close();
  }
}

function failure(id: number, error: unknown, fallback: string): Failure {
  const e = error as { code?: string; message?: string; cause?: { message?: string } };
  const cause = e.cause?.message ? ` (${e.cause.message})` : '';
  return { id, ok: false, error: { code: e.code ?? fallback, message: e.code ? `${e.message ?? ''}${cause}` : `Tệp PDF bị hỏng hoặc không đúng định dạng. (${e.message ?? error})` } };
}

async function prepare(task: WorkerTask): Promise<WorkerReply> {
  const init = setups.get(task.setup);
  if (!init) return { id: task.id, ok: false, error: { code: 'signing.sign_failed', message: 'Luồng xử lý chưa được khởi tạo cho lô ký này.' } };
  let pdf: Uint8Array;
  let buffer: Uint8Array | undefined;
  try {
    // A kept file never leaves this worker, so its buffer can be reused; one sent back is moved, so it must be its own.
    if (typeof task.pdf !== 'string') pdf = task.pdf;
    else if (task.output === undefined) pdf = await readFile(task.pdf);
    else ({ pdf, buffer } = await readReusing(task.pdf));
  } catch (error) {
    const e = inputUnreadable({ path: task.pdf });
    return { id: task.id, ok: false, error: { code: e.code, message: `${e.message} (${(error as Error).message})` } };
  }
  try {
    const widget = init.stamp ? await resolveStamp(pdf, init.stamp, init.fields.pdfPassword) : undefined;
    const prepared = prepareSignature(pdf, init.identity, { ...init.fields, widget });
    if (task.output !== undefined) {
      kept.set(task.id, { prepared, output: task.output, buffer });
      return { id: task.id, ok: true, kept: true, signedAttributes: prepared.signed.der };
    }
    const p = prepared.placeholder;
    // Shared input (a SharedArrayBuffer view): the main thread holds the same bytes, so only the update goes back.
    const shared = typeof task.pdf !== 'string' && task.pdf.buffer instanceof SharedArrayBuffer;
    return {
      id: task.id, ok: true, base: shared ? undefined : p.base, update: p.update, contentsStart: p.contentsStart, contentsEnd: p.contentsEnd,
      byteRangeStart: p.byteRangeStart, byteRangeEnd: p.byteRangeEnd, fieldName: p.fieldName,
      signedAttributes: prepared.signed.der, documentDigest: prepared.documentDigest,
    };
  } catch (error) {
    giveBack(buffer);
    return failure(task.id, error, 'signing.pdf_invalid');
  }
}

async function finish(message: WorkerFinish): Promise<WorkerReply> {
  const file = kept.get(message.id);
  kept.delete(message.id);
  if (!file) return { id: message.id, ok: false, error: { code: 'signing.sign_failed', message: 'Luồng xử lý không còn giữ tệp này.' } };
  try {
    return { id: message.id, ok: true, written: await writeAtomically(file.output, completeSignatureParts(file.prepared, message.signature, message.token)) };
  } catch (error) {
    return failure(message.id, error, 'signing.sign_failed');
  } finally {
    giveBack(file.buffer);
  }
}

parentPort?.on('message', (message: WorkerInit | WorkerTask | WorkerFinish | WorkerForget | WorkerDrop) => {
  if (message.type === 'init') {
    clearTimeout(release);
    setups.set(message.setup, message);
    return;
  }
  if (message.type === 'drop') {
    setups.delete(message.setup);
    if (setups.size === 0) {
      clearTimeout(release);
      release = setTimeout(() => (spare.length = 0), SPARE_IDLE_MS).unref();
    }
    return;
  }
  if (message.type === 'forget') {
    giveBack(kept.get(message.id)?.buffer);
    kept.delete(message.id);
    return;
  }
  void (message.type === 'finish' ? finish(message) : prepare(message)).then((reply) => {
    // Hand both buffers back without copying: the input (base) and the new update.
    const transfer = 'update' in reply ? [...new Set([reply.update.buffer, reply.base?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
