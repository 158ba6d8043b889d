import { z } from 'zod';
import { defineJob, enqueue, type JobDefinition } from '../../../platform/jobs/jobs.ts';
import { connectorTimings } from './connector.config.ts';
import { connectorRepo } from './connector.repository.ts';

/**
 * The connector's heartbeat: schedules the next tick first (its own commit, so a crash mid-round
 * cannot stop the chain; one job per time slot thanks to the dedupe key), then runs one round
 * (send pending packages, poll the axis, sync the directory) and removes old finished ticks.
 */
export const exchangeTickJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'exchange.tick',
  payload: z.object({}),
  maxAttempts: 1,
  handle: async (ctx) => {
    const timings = connectorTimings();
    const next = Math.floor(Date.now() / timings.pollMs) + 1;
    await ctx.db.transaction().execute((tx) => enqueue(tx, exchangeTickJob, {}, { runAt: new Date(next * timings.pollMs), dedupeKey: `exchange.tick:${next}` }));
    const { runConnectorOnce } = await import('./connector.service.ts');
    const report = await runConnectorOnce(ctx.deps, timings);
    if (report.errors.length > 0) ctx.logger.warn({ errors: report.errors }, 'exchange: round had errors');
    await connectorRepo.pruneTicks(ctx.db, new Date(Date.now() - 3_600_000));
  },
});

export const EXCHANGE_JOBS = [exchangeTickJob] as unknown as JobDefinition[];
