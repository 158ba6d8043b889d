/**
 * A process-wide pool of PDF worker threads (`signing.worker.ts`), started on first use and kept
 * (unref'd, so it never holds the process open): starting a worker and loading its modules costs
 * far more than preparing one file, so batches share the warm workers. Each batch registers its
 * signer identity and fields once per worker (`setup`), then sends only file bytes.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerFinish, WorkerInit, WorkerReply } from './signing.worker.ts';

/**
 * A batch's handle on the pool. `run` prepares a file in a worker; with `output` the worker keeps
 * it and the reply carries only the signed attributes (`id` names the file), then `finish` sends the
 * signature to that worker, which writes the output, or `forget` drops the file.
 */
export type PoolSession = {
  run: (pdf: Uint8Array | string, output?: string) => Promise<WorkerReply>;
  finish: (message: Omit<WorkerFinish, 'type'>) => Promise<WorkerReply>;
  forget: (id: number) => void;
  close: () => void;
};

type Shared = { workers: Worker[]; pending: Map<number, (reply: WorkerReply) => void>; next: number; setups: number; busy: Map<Worker, number> };
let shared: Shared | undefined;

function grow(size: number): Shared {
  const pool: Shared = (shared ??= { workers: [] as Worker[], pending: new Map(), next: 0, setups: 0, busy: new Map() });
  while (pool.workers.length < size) {
    const worker = new Worker(new URL('./signing.worker.ts', import.meta.url));
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      pool.busy.set(worker, (pool.busy.get(worker) ?? 1) - 1);
      pool.pending.get(reply.id)?.(reply);
      pool.pending.delete(reply.id);
      // Idle workers must not keep the process alive; busy ones must (a reply is awaited).
      if (pool.pending.size === 0) for (const w of pool.workers) w.unref();
    });
    worker.on('error', (error) => {
      // A crashed worker fails what was in flight; the pool is rebuilt on next use.
      for (const [id, resolve] of pool.pending) resolve({ id, ok: false, error: { code: 'signing.sign_failed', message: String(error) } });
      pool.pending.clear();
      if (shared === pool) shared = undefined;
    });
    pool.workers.push(worker);
  }
  return pool;
}

/**
 * Opens a session on (at least) `size` workers with the batch's setup. A file goes to the worker
 * with the fewest files in hand (a core slowed by other work gets less). Paths are read by the
 * worker. Bytes are never detached: a SharedArrayBuffer view is read by the worker in place; other
 * bytes are copied into a reusable shared buffer (or, for a file the worker keeps, into its own
 * buffer moved there). In-memory bytes then never come back: the reply carries only the update.
 */
export function openPoolSession(size: number, setup: Omit<WorkerInit, 'type' | 'setup'>): PoolSession {
  let pool: Shared | undefined;
  let workers: Worker[] = [];
  let id = 0;
  /** The worker holding each kept file (by task id). */
  const holders = new Map<number, Worker>();
  // Workers are started (or the warm ones registered) only when the first big file arrives.
  const ready = (): Shared => {
    if (pool) return pool;
    pool = grow(size);
    id = ++pool.setups;
    workers = pool.workers.slice(0, size);
    for (const w of workers) w.postMessage({ type: 'init', setup: id, ...setup } satisfies WorkerInit);
    return pool;
  };
  const send = (pool: Shared, worker: Worker, task: number, resolve: (reply: WorkerReply) => void, message: object, transfer: ArrayBuffer[] = []) => {
    pool.pending.set(task, resolve);
    for (const w of workers) w.ref();
    pool.busy.set(worker, (pool.busy.get(worker) ?? 0) + 1);
    worker.postMessage(message, transfer);
  };
  return {
    run: (pdf, output) => new Promise((done) => {
      const pool = ready();
      const task = pool.next++;
      const worker = workers.reduce((a, b) => ((pool.busy.get(b) ?? 0) < (pool.busy.get(a) ?? 0) ? b : a));
      if (output !== undefined) holders.set(task, worker);
      const resolve = (reply: WorkerReply) => {
        if (!('kept' in reply && reply.kept)) holders.delete(task);
        done(reply);
      };
      if (typeof pdf === 'string') return send(pool, worker, task, resolve, { type: 'task', setup: id, id: task, pdf, output });
      // Shared bytes are read by the worker in place: nothing is copied, only the update comes back.
      if (pdf.buffer instanceof SharedArrayBuffer) return send(pool, worker, task, resolve, { type: 'task', setup: id, id: task, pdf, output });
      if (output !== undefined) {
        // A kept file stays in the worker until `finish`: it gets its own copy.
        const own = new Uint8Array(pdf);
        return send(pool, worker, task, resolve, { type: 'task', setup: id, id: task, pdf: own, output }, [own.buffer]);
      }
      // Other bytes are copied into a reusable shared buffer (warm memory, no new 5 MB object for either
      // thread's collector); the caller keeps its bytes, so only the update comes back. Moving the input
      // to the worker and back instead cost more: 40-file batches of a 5 MB file, alternated, 4.0–5.2 ms
      // of CPU per file with 2–7 main-thread collections per batch, against 4.1–4.6 ms with none.
      const slot = takeSlot(pdf.byteLength);
      const view = new Uint8Array(slot, 0, pdf.byteLength);
      view.set(pdf);
      send(pool, worker, task, (reply) => {
        giveSlotBack(slot);
        resolve(reply);
      }, { type: 'task', setup: id, id: task, pdf: view, output });
    }),
    finish: (message) => new Promise((resolve) => {
      const worker = holders.get(message.id);
      holders.delete(message.id);
      // A worker that crashed since (the pool was dropped) no longer holds the file: fail, never wait.
      if (!worker || !pool || shared !== pool) return resolve({ id: message.id, ok: false, error: { code: 'signing.sign_failed', message: 'Luồng xử lý giữ tệp này đã dừng.' } });
      send(pool, worker, message.id, resolve, { type: 'finish', ...message } satisfies WorkerFinish);
    }),
    forget: (task) => {
      holders.get(task)?.postMessage({ type: 'forget', id: task });
      holders.delete(task);
    },
    close: () => {
      for (const w of workers) w.postMessage({ type: 'drop', setup: id });
    },
  };
}

/**
 * Free shared buffers for copies of in-memory inputs (at most SLOTS_MAX, let go SLOTS_IDLE_MS after
 * the last use): batches that follow one another reuse them instead of faulting in new 5 MB pages.
 */
const slots: SharedArrayBuffer[] = [];
const SLOTS_MAX = 16;
const SLOTS_IDLE_MS = 30_000;
let slotsRelease: ReturnType<typeof setTimeout> | undefined;

function takeSlot(size: number): SharedArrayBuffer {
  clearTimeout(slotsRelease);
  const fits = slots.filter((b) => b.byteLength >= size).sort((a, b) => a.byteLength - b.byteLength)[0];
  if (fits) {
    slots.splice(slots.indexOf(fits), 1);
    return fits;
  }
  return new SharedArrayBuffer(Math.max(1, Math.ceil(size / (1 << 20))) << 20);
}

function giveSlotBack(slot: SharedArrayBuffer) {
  if (slots.length < SLOTS_MAX) slots.push(slot);
  clearTimeout(slotsRelease);
  slotsRelease = setTimeout(() => (slots.length = 0), SLOTS_IDLE_MS).unref();
}

/** Terminates the pool's workers (CLI commands call it before exiting; the next batch starts a new pool). */
export async function shutdownSigningPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
}
