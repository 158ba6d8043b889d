import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { AppDeps } from '../deps.ts';

/**
 * A job type: its zod-typed payload and an idempotent handler (a job may run more than once: after a
 * crash between the handler's effect and the job's completion, it runs again).
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  type: string;
  payload: S;
  maxAttempts?: number;
  handle: (ctx: JobContext, payload: z.infer<S>) => Promise<void>;
};

export type JobContext = { deps: AppDeps; db: Db; logger: Logger; jobId: number; attempt: number };

/** Defines a job type (keeps the payload type tied to the handler). */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** A job ready to be enqueued: its type and checked payload (see jobRequest, enqueueMany). */
export type JobRequest = { type: string; payload: string; runAt: Date; maxAttempts: number; dedupeKey: string | null };

/** Checks a job's payload and shapes it for enqueueMany. */
export function jobRequest<S extends z.ZodType>(job: JobDefinition<S>, payload: z.infer<S>, options: { runAt?: Date; dedupeKey?: string } = {}): JobRequest {
  return { type: job.type, payload: JSON.stringify(job.payload.parse(payload)), runAt: options.runAt ?? new Date(), maxAttempts: job.maxAttempts ?? 8, dedupeKey: options.dedupeKey ?? null };
}

/**
 * Enqueues a job in the caller's transaction: it exists only if the business change commits.
 * With `dedupeKey`, a second enqueue of the same key is ignored (at most one live job per key).
 */
export async function enqueue<S extends z.ZodType>(
  tx: Db,
  job: JobDefinition<S>,
  payload: z.infer<S>,
  options: { runAt?: Date; dedupeKey?: string } = {},
): Promise<void> {
  await enqueueMany(tx, [jobRequest(job, payload, options)]);
}

/** Enqueues several jobs in one statement, in the caller's transaction (a repeated `dedupeKey` is ignored, as with enqueue). */
export async function enqueueMany(tx: Db, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  await tx.insertInto('job').values([...jobs]).onConflict((oc) => oc.column('dedupeKey').doNothing()).execute();
}

/** Delay before retry n (1-based): 5 s, 20 s, 80 s … capped at one hour, with ±20 % jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(5_000 * 4 ** (attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export type Worker = { stop: () => Promise<void>; runOnce: () => Promise<number> };

// A job locked longer than this is taken to belong to a dead worker and is claimed again.
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Runs due jobs: claims a batch with FOR UPDATE SKIP LOCKED (several workers never take the same job),
 * runs each handler, marks it done, or schedules a retry with backoff, or marks it failed after its
 * last attempt. `runOnce` processes one batch (tests); the loop polls every `pollMs`.
 */
export function startWorker(options: { deps: AppDeps; jobs: JobDefinition[]; pollMs?: number; batchSize?: number; autoStart?: boolean }): Worker {
  const { deps } = options;
  const { db, logger } = deps;
  const byType = new Map(options.jobs.map((j) => [j.type, j]));
  const workerId = randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  const runOnce = async (): Promise<number> => {
    const claimed = await claim(db, workerId, options.batchSize ?? 10, [...byType.keys()]);
    for (const job of claimed) await runJob(deps, byType, job);
    return claimed.length;
  };

  const loop = async () => {
    if (stopped) return;
    running = runOnce().catch((error: unknown) => {
      logger.error({ err: error }, 'job worker: claim failed');
      return 0;
    });
    const count = await running;
    if (!stopped) timer = setTimeout(loop, count > 0 ? 0 : (options.pollMs ?? 1000));
  };
  if (options.autoStart !== false) timer = setTimeout(loop, 0);

  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

type ClaimedJob = { id: number; type: string; payload: unknown; attempts: number; maxAttempts: number };

async function claim(db: Db, workerId: string, limit: number, types: string[]): Promise<ClaimedJob[]> {
  if (types.length === 0) return [];
  // Raw SQL: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING is the claim idiom.
  const result = await sql<ClaimedJob>`
    update job set locked_at = now(), locked_by = ${workerId}, attempts = attempts + 1
    where id in (
      select id from job
      where done_at is null and failed_at is null and run_at <= now()
        and type in (${sql.join(types)})
        and (locked_at is null or locked_at < now() - ${`${STALE_LOCK_MS / 1000} seconds`}::interval)
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, type, payload, attempts, max_attempts as "maxAttempts"`.execute(db);
  return result.rows;
}

async function runJob(deps: AppDeps, byType: Map<string, JobDefinition>, job: ClaimedJob): Promise<void> {
  const { db, logger } = deps;
  const definition = byType.get(job.type);
  const log = logger.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
  try {
    if (!definition) throw new Error(`no handler for job type ${job.type}`);
    const payload = definition.payload.parse(job.payload);
    await definition.handle({ deps, db, logger: log, jobId: job.id, attempt: job.attempts }, payload);
    await db.updateTable('job').set({ doneAt: new Date(), lockedAt: null, lastError: null }).where('id', '=', job.id).execute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const isLast = job.attempts >= job.maxAttempts;
    log.warn({ err: error, isLast }, 'job failed');
    await db
      .updateTable('job')
      .set({
        lockedAt: null,
        lastError: message.slice(0, 2000),
        ...(isLast ? { failedAt: new Date() } : { runAt: new Date(Date.now() + backoffMs(job.attempts)) }),
      })
      .where('id', '=', job.id)
      .execute();
  }
}
