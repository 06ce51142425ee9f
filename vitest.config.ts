import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests never touch the user's own store: a CLI run without --db or BEAST_HOME of its own
    // uses this fresh folder.
    env: {
      BEAST_HOME: process.env.BEAST_HOME ?? mkdtempSync(path.join(tmpdir(), 'beast-test-home-')),
    },
  },
});
