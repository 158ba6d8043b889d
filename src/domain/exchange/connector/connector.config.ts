import { z } from 'zod';

/** Timings of the connector; the environment can shorten them (tests, benchmarks). */
export type ConnectorTimings = {
  /** How often the tick job sends pending packages and polls the axis. */
  pollMs: number;
  /** First retry delay of a failed send; then ×4 each attempt, capped at one hour. */
  retryBaseMs: number;
  /** Attempts before a package is marked failed (the clerk sees the error). */
  maxAttempts: number;
  /** Packages sent / received at the same time per agency. */
  concurrency: number;
  /** Largest number of outbox rows claimed per round. */
  batchSize: number;
  /** Timeout of one axis call. */
  timeoutMs: number;
  /** A claimed package not finished after this long (crash) is sent again. */
  leaseMs: number;
};

const num = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const ZTimingsEnv = z.object({
  VANTHU_EXCHANGE_POLL_MS: num(5000, 50, 3_600_000),
  VANTHU_EXCHANGE_RETRY_MS: num(5000, 10, 3_600_000),
  VANTHU_EXCHANGE_MAX_ATTEMPTS: num(8, 1, 100),
  VANTHU_EXCHANGE_CONCURRENCY: num(8, 1, 64),
  VANTHU_EXCHANGE_BATCH: num(100, 1, 5000),
  VANTHU_EXCHANGE_TIMEOUT_MS: num(30_000, 100, 600_000),
  VANTHU_EXCHANGE_LEASE_MS: num(120_000, 1000, 3_600_000),
});

/** Reads the connector timings from the environment (VANTHU_EXCHANGE_*), with production defaults. */
export function connectorTimings(env: Record<string, string | undefined> = process.env): ConnectorTimings {
  const e = ZTimingsEnv.parse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('VANTHU_EXCHANGE_') && v !== '')));
  return {
    pollMs: e.VANTHU_EXCHANGE_POLL_MS, retryBaseMs: e.VANTHU_EXCHANGE_RETRY_MS, maxAttempts: e.VANTHU_EXCHANGE_MAX_ATTEMPTS,
    concurrency: e.VANTHU_EXCHANGE_CONCURRENCY, batchSize: e.VANTHU_EXCHANGE_BATCH, timeoutMs: e.VANTHU_EXCHANGE_TIMEOUT_MS, leaseMs: e.VANTHU_EXCHANGE_LEASE_MS,
  };
}

/** Delay before the next attempt after `attempts` failed ones: base, ×4, ×16 … capped at one hour. */
export function retryDelayMs(timings: ConnectorTimings, attempts: number): number {
  return Math.min(timings.retryBaseMs * 4 ** Math.max(0, attempts - 1), 3_600_000);
}

/** Runs `work` over `items` with at most `limit` in flight; returns results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
