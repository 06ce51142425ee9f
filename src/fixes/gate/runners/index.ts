import { ava } from './ava.js';
import { jest } from './jest.js';
import { mocha } from './mocha.js';
import { nodeTest } from './node-test.js';
import type { RunnerPlugin, TestRunnerName } from './types.js';
import { vitest } from './vitest.js';

/** Every runner the gate knows, by name. */
export const RUNNERS: Readonly<Record<TestRunnerName, RunnerPlugin>> = {
  vitest,
  jest,
  mocha,
  'node:test': nodeTest,
  ava,
};

export type * from './types.js';
