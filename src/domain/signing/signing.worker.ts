/**
 * Batch worker (worker_threads): does the PDF half of signing — open, placeholder update, digest,
 * signed attributes — for files sent by `signing.batch.ts`. The key stays in the main thread.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { prepareSignature } from './signing.pades.ts';
import type { SignatureFields, SignerIdentity } from './signing.pades.ts';
import { resolveStamp } from './signing.stamp.ts';
import type { StampSpec } from './signing.stamp.ts';
import { inputUnreadable } from './signing.errors.ts';

/** Sent once per batch and worker: who signs and how (`setup` identifies the batch). */
export type WorkerInit = { type: 'init'; setup: number; identity: SignerIdentity; fields: SignatureFields; stamp?: StampSpec };
/** One file to prepare for batch `setup`: its bytes, or its path (read here, off the main thread). */
export type WorkerTask = { type: 'task'; setup: number; id: number; pdf: Uint8Array | string };
/** The batch is over: forget its setup. */
export type WorkerDrop = { type: 'drop'; setup: number };
/** The prepared file, or the error it raised. */
export type WorkerReply =
  | { id: number; ok: true; base: Uint8Array; update: Uint8Array; contentsStart: number; contentsEnd: number; byteRangeStart: number; byteRangeEnd: number; fieldName: string; signedAttributes: Uint8Array; documentDigest: Uint8Array }
  | { id: number; ok: false; error: { code: string; message: string } };

const setups = new Map<number, WorkerInit>();

async function handle(task: WorkerTask): Promise<WorkerReply> {
  const init = setups.get(task.setup);
  if (!init) return { id: task.id, ok: false, error: { code: 'signing.sign_failed', message: 'Luồng xử lý chưa được khởi tạo cho lô ký này.' } };
  let pdf: Uint8Array;
  try {
    pdf = typeof task.pdf === 'string' ? await readFile(task.pdf) : task.pdf;
  } catch (error) {
    const e = inputUnreadable({ path: task.pdf });
    return { id: task.id, ok: false, error: { code: e.code, message: `${e.message} (${(error as Error).message})` } };
  }
  try {
    const widget = init.stamp ? await resolveStamp(pdf, init.stamp, init.fields.pdfPassword) : undefined;
    const prepared = prepareSignature(pdf, init.identity, { ...init.fields, widget });
    const p = prepared.placeholder;
    return {
      id: task.id, ok: true, base: p.base, update: p.update, contentsStart: p.contentsStart, contentsEnd: p.contentsEnd,
      byteRangeStart: p.byteRangeStart, byteRangeEnd: p.byteRangeEnd, fieldName: p.fieldName,
      signedAttributes: prepared.signed.der, documentDigest: prepared.documentDigest,
    };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { id: task.id, ok: false, error: { code: e.code ?? 'signing.pdf_invalid', message: e.code ? (e.message ?? '') : `Tệp PDF bị hỏng hoặc không đúng định dạng. (${e.message ?? error})` } };
  }
}

parentPort?.on('message', (message: WorkerInit | WorkerTask | WorkerDrop) => {
  if (message.type === 'init') {
    setups.set(message.setup, message);
    return;
  }
  if (message.type === 'drop') {
    setups.delete(message.setup);
    return;
  }
  void handle(message).then((reply) => {
    // Hand both buffers back without copying: the input (base) and the new update.
    const transfer = reply.ok ? [...new Set([reply.update.buffer as ArrayBuffer, reply.base.buffer as ArrayBuffer])] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
