import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    // The handlers' Powertools loggers would print one JSON line per chunk sent: keep warnings.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  },
});
