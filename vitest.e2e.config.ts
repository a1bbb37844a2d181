import { defineConfig } from 'vitest/config';

// Browser tests (e2e/): a real server and the built UI driven by Debian's Chromium. One file at a
// time in one fork: each file starts its own server, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    isolate: false,
  },
});
