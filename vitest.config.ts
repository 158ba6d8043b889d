import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    // Tests use real databases, real tools (qpdf, pdfsig, openssl, Chromium) and real processes:
    // generous timeouts, and files run in parallel on the machine's two cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['src/test/global-setup.ts'],
    reporters: ['default', './src/test/summary-reporter.ts'],
  },
});
