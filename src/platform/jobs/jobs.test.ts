import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { useTestApp } from '../../test/app.ts';
import { defineJob, enqueue, enqueueMany, jobRequest, startWorker } from './jobs.ts';

const t = useTestApp();

const seen: string[] = [];
const recordJob = defineJob({ type: 'test.record', payload: z.object({ value: z.string() }), handle: async (_ctx, p) => void seen.push(p.value) });
let failuresLeft = 0;
const flakyJob = defineJob({
  type: 'test.flaky', payload: z.object({}), maxAttempts: 2,
  handle: async () => {
    if (failuresLeft-- > 0) throw new Error('tạm thời lỗi');
  },
});

describe('the job queue', () => {
  test('a job enqueued in a rolled-back transaction never runs; a committed one runs once', async () => {
    await t.db.transaction().execute(async (tx) => {
      await enqueue(tx, recordJob, { value: 'committed' });
    });
    await t.db.transaction().execute(async (tx) => {
      await enqueue(tx, recordJob, { value: 'rolled-back' });
      throw new Error('abort');
    }).catch(() => {});
    const worker = startWorker({ deps: t.deps, jobs: [recordJob], autoStart: false });
    await worker.runOnce();
    await worker.runOnce();
    expect(seen).toEqual(['committed']);
  });

  test('a failing job is retried later with backoff, and marked failed after its last attempt', async () => {
    failuresLeft = 5;
    await enqueue(t.db, flakyJob, {});
    const worker = startWorker({ deps: t.deps, jobs: [flakyJob], autoStart: false });
    expect(await worker.runOnce()).toBe(1);
    const afterFirst = await t.db.selectFrom('job').selectAll().where('type', '=', 'test.flaky').executeTakeFirstOrThrow();
    expect(afterFirst.lastError).toBe('tạm thời lỗi');
    expect(afterFirst.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(await worker.runOnce()).toBe(0);
    await t.db.updateTable('job').set({ runAt: new Date() }).where('id', '=', afterFirst.id).execute();
    await worker.runOnce();
    const final = await t.db.selectFrom('job').selectAll().where('id', '=', afterFirst.id).executeTakeFirstOrThrow();
    expect(final.failedAt).not.toBeNull();
    expect(final.attempts).toBe(2);
  });

  test('a dedupe key keeps one live job per key', async () => {
    await enqueue(t.db, recordJob, { value: 'one' }, { dedupeKey: 'k1' });
    await enqueue(t.db, recordJob, { value: 'two' }, { dedupeKey: 'k1' });
    const rows = await t.db.selectFrom('job').select('id').where('dedupeKey', '=', 'k1').execute();
    expect(rows).toHaveLength(1);
  });

  test('jobs enqueued together in one statement each run once, and a key repeated among them keeps one job', async () => {
    seen.length = 0;
    await t.db.transaction().execute(async (tx) => {
      await enqueueMany(tx, [
        jobRequest(recordJob, { value: 'm1' }), jobRequest(recordJob, { value: 'm2' }, { dedupeKey: 'k2' }), jobRequest(recordJob, { value: 'm3' }, { dedupeKey: 'k2' }),
      ]);
    });
    const worker = startWorker({ deps: t.deps, jobs: [recordJob], autoStart: false });
    while ((await worker.runOnce()) > 0);
    expect(seen.filter((v) => v.startsWith('m')).sort()).toEqual(['m1', 'm2']);
  });

  test('a payload that does not match its job type is refused before anything is written', () => {
    expect(() => jobRequest(recordJob, { value: 1 } as unknown as { value: string })).toThrow();
  });

  test('two workers racing over the same jobs never run one twice', async () => {
    seen.length = 0;
    for (let i = 0; i < 30; i++) await enqueue(t.db, recordJob, { value: `r${i}` });
    const a = startWorker({ deps: t.deps, jobs: [recordJob], autoStart: false, batchSize: 4 });
    const b = startWorker({ deps: t.deps, jobs: [recordJob], autoStart: false, batchSize: 4 });
    const drain = async (w: typeof a) => {
      while ((await w.runOnce()) > 0);
    };
    await Promise.all([drain(a), drain(b)]);
    expect(seen.filter((v) => v.startsWith('r')).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`).sort());
  });
});
