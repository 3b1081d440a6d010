import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'flows/**/*.test.ts'],
    globalSetup: ['test/support/database.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Files run in parallel, each on its own database of the one shared server.
    pool: 'forks',
  },
});
