import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests use real databases, real tools (qpdf, pdfsig, openssl, Chromium) and real processes:
    // generous timeouts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['src/test/global-setup.ts'],
    reporters: ['default', './src/test/summary-reporter.ts'],
    // Two groups, one after the other. The server tests first, a file per core: each has its own
    // database and mostly runs on its own CPU (PGlite, signing, PDF work), so two at a time nearly
    // halve their time on a two-core machine. Then the browser tests, two files at a time: each runs a
    // server and a Chromium but mostly waits (on the page, on a throttled network, on polls) — measured,
    // the whole browser group used 557 s of CPU in 1002 s with two at a time on a busy machine.
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['src/**/*.test.ts', 'bench/**/*.test.ts'], maxWorkers: '100%', sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
