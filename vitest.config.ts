import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Store suites create their own PostgreSQL schemas and SQLite files, so files may run in parallel.
    pool: 'forks',
    // Most test time is waiting (PostgreSQL, child processes, real clients), not CPU: vitest's default of
    // one worker per core minus one would run this suite serially on a 2-core machine.
    maxWorkers: 3,
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
