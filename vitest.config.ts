import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-fast-check.ts'],
    // probes PostgreSQL once: its suites run, are skipped with one line, or fail under CI=true
    globalSetup: ['test/postgres/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // property tests with many runs and child-process tests share 2 cores
    pool: 'forks',
  },
});
