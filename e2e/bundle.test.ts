import path from 'node:path';
import { expect, test } from 'vitest';
import { BUDGET_BYTES, measureInitialBundle } from '../web/bundle-report.ts';
import { ensureWebBuilt, ROOT } from './harness.ts';

test('the login page downloads at most 300 KB of gzipped JavaScript before the lazy pages', async () => {
  await ensureWebBuilt();
  const report = measureInitialBundle(path.join(ROOT, 'web', 'dist'));
  expect(report.files.length).toBeGreaterThan(0);
  expect(report.files.some((f) => f.file.includes('dashboard.page'))).toBe(false);
  expect(report.totalGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
});
