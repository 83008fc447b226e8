import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/harness/global-setup.ts'],
          // Real Chromium, real models, two cores: one file at a time, generous limits.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // expect.poll waits for a state (a streamed reply withheld after its review, a status line):
          // how long that takes depends on the machine's load, so wait long; a met condition returns at once.
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
