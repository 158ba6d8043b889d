import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    // Tests use real databases, real tools (qpdf, pdfsig, openssl, Chromium) and real processes:
    // generous timeouts. Files run in cores − 1 workers (Vitest's default): one at a time on a
    // two-core machine, whose second core goes to the servers, browsers and tools a test starts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['src/test/global-setup.ts'],
    reporters: ['default', './src/test/summary-reporter.ts'],
  },
});
