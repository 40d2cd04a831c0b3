import { defineConfig } from 'vitest/config';

// Projects chosen by file name: unit tests are fast and pure; integration tests talk to real services or spawn
// real processes; e2e tests drive the built CLI and daemon; browser tests drive Chromium.
// Vitest runs the projects that allow parallel files first, together (at most REALTIME_LANE_WORKERS files at
// once), then every file of the projects that do not, one at a time. The e2e files that spend most of their
// time waiting on the real clock (a cron minute, a 60 s crash loop, a billed minute) run in the first group,
// beside the unit and integration tests, instead of adding their waiting to the sequential end: each uses its
// own home and port 0, and their timing bounds are measured in the test, so a busy neighbour is no harm.
const REALTIME_E2E = [
  'tests/e2e/cron-realtime.test.ts',
  'tests/e2e/backoff.test.ts',
  'tests/e2e/usage.test.ts',
];
// Files of the first group that may run at once (every project in one group must say the same).
const REALTIME_LANE_WORKERS = 2;
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.browser.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
          maxWorkers: REALTIME_LANE_WORKERS,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          maxWorkers: REALTIME_LANE_WORKERS,
        },
      },
      {
        test: {
          name: 'e2e-realtime',
          include: REALTIME_E2E,
          testTimeout: 180_000,
          hookTimeout: 60_000,
          maxWorkers: REALTIME_LANE_WORKERS,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: [...REALTIME_E2E, '**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['packages/*/test/**/*.browser.test.ts', 'tests/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each file runs a daemon and a Chromium: one at a time on a small machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
