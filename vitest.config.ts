import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration and end-to-end tests start servers and child processes; 2 cores, so keep workers few.
    maxWorkers: 2,
    // Bounds that only a hang reaches: every test waits for events, never for time, so a busy machine only makes it
    // slower (issue 11: the suite passes with another process keeping a core busy).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The same tests on both databases (issue 15): SQLite, the embedded default, and a throwaway PostgreSQL server.
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
