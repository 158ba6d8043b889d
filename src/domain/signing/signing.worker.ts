/**
 * Batch worker (worker_threads): does the PDF half of signing — open, placeholder update, digest,
 * signed attributes — for files sent by `signing.batch.ts`. The key stays in the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { prepareSignature } from './signing.pades.ts';
import type { SignatureFields, SignerIdentity } from './signing.pades.ts';
import { resolveStamp } from './signing.stamp.ts';
import type { StampSpec } from './signing.stamp.ts';

/** Sent once: who signs and how. */
export type WorkerInit = { type: 'init'; identity: SignerIdentity; fields: SignatureFields; stamp?: StampSpec };
/** One file to prepare. */
export type WorkerTask = { type: 'task'; id: number; pdf: Uint8Array };
/** The prepared file, or the error it raised. */
export type WorkerReply =
  | { id: number; ok: true; base: Uint8Array; update: Uint8Array; contentsStart: number; contentsEnd: number; byteRangeStart: number; byteRangeEnd: number; fieldName: string; signedAttributes: Uint8Array; documentDigest: Uint8Array }
  | { id: number; ok: false; error: { code: string; message: string } };

let init: WorkerInit | undefined;

async function handle(task: WorkerTask): Promise<WorkerReply> {
  if (!init) throw new Error('worker not initialised');
  try {
    const widget = init.stamp ? await resolveStamp(task.pdf, init.stamp) : undefined;
    const prepared = prepareSignature(task.pdf, init.identity, { ...init.fields, widget });
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

parentPort?.on('message', (message: WorkerInit | WorkerTask) => {
  if (message.type === 'init') {
    init = message;
    return;
  }
  void handle(message).then((reply) => {
    // Hand both buffers back without copying: the input (base) and the new update.
    const transfer = reply.ok ? [...new Set([reply.update.buffer as ArrayBuffer, reply.base.buffer as ArrayBuffer])] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
