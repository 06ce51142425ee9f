import { describe, expect, it } from 'vitest';
import { resolveFromDependencies, resolveTestScript, toRunnerPart } from './detect-runner.js';
import type { PackageJson } from './package-json.js';
import type { RunnerPart } from './runners/index.js';

function detect(scripts: Record<string, string>): Partial<RunnerPart> | { reason: string } {
  const found = resolveTestScript(scripts);
  if (found === undefined || 'reason' in found) return found ?? { reason: 'none' };
  const { name, bin, nodeArgs, options, positionals, env } = toRunnerPart(found, 'script');
  return { name, bin, nodeArgs, options, positionals, env };
}

const none = { nodeArgs: [], options: [], positionals: [], env: {} };

describe('resolveTestScript', () => {
  it.each<[string, Record<string, string>, Partial<RunnerPart>]>([
    ['vitest', { test: 'vitest' }, { name: 'vitest', bin: 'node_modules/.bin/vitest', ...none }],
    [
      'vitest run with a config, coverage and a filter',
      { test: 'vitest run --coverage --config vitest.unit.ts src/' },
      { name: 'vitest', ...none, options: ['--config', 'vitest.unit.ts'], positionals: ['src/'] },
    ],
    [
      'jest through cross-env with Node options',
      { test: 'cross-env NODE_OPTIONS=--experimental-vm-modules jest --watchAll --ci' },
      {
        name: 'jest',
        ...none,
        options: ['--ci'],
        env: { NODE_OPTIONS: '--experimental-vm-modules' },
      },
    ],
    [
      'jest started by node',
      { test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js -i' },
      { name: 'jest', ...none, nodeArgs: ['--experimental-vm-modules'], options: ['-i'] },
    ],
    [
      'mocha with a reporter and a glob',
      { test: "mocha -r ts-node/register --reporter dot 'test/**/*.spec.ts'" },
      {
        name: 'mocha',
        ...none,
        options: ['-r', 'ts-node/register'],
        positionals: ['test/**/*.spec.ts'],
      },
    ],
    [
      'node --test after a build, with an import and a reporter',
      { test: 'tsc -p . && node --import tsx --test --test-reporter=spec test/*.test.ts' },
      {
        name: 'node:test',
        bin: undefined,
        ...none,
        nodeArgs: ['--import', 'tsx'],
        positionals: ['test/*.test.ts'],
      },
    ],
    [
      'ava via npm run',
      { test: 'npm run test:ava', 'test:ava': 'ava --verbose' },
      { name: 'ava', ...none, options: ['--verbose'] },
    ],
  ])('%s', (_, scripts, expected) => {
    expect(detect(scripts)).toMatchObject(expected);
  });

  it('gives a reason for a script that runs no runner we know', () => {
    expect(detect({ test: 'make test' })).toEqual({
      reason: 'the test script ("make test") runs none of vitest, jest, mocha, node --test or ava',
    });
  });

  it('does not loop on scripts that call each other', () => {
    expect(detect({ test: 'npm run a', a: 'npm run b', b: 'npm run a' })).toHaveProperty('reason');
  });

  it('treats a missing script and npm init placeholder as no script', () => {
    expect(resolveTestScript({})).toBeUndefined();
    expect(
      resolveTestScript({ test: 'echo "Error: no test specified" && exit 1' }),
    ).toBeUndefined();
  });
});

describe('resolveFromDependencies', () => {
  it.each<[string, PackageJson, string[], string | { reason: string }]>([
    ['the one runner', { devDependencies: { jest: '^30' } }, [], 'jest'],
    [
      'none',
      { devDependencies: { typescript: '5' } },
      [],
      { reason: 'no test script, and no test runner among the dependencies' },
    ],
    [
      'the configured one of two',
      { devDependencies: { jest: '1', vitest: '1' } },
      ['vitest.config.ts'],
      'vitest',
    ],
    ['a package.json key', { devDependencies: { ava: '1', mocha: '1' }, ava: {} }, [], 'ava'],
    [
      'two and no config',
      { devDependencies: { jest: '1', mocha: '1' } },
      [],
      { reason: 'no test script, and several test runners among the dependencies (jest, mocha)' },
    ],
  ])('%s', (_, pkg, files, expected) => {
    expect(resolveFromDependencies(pkg, files)).toEqual(expected);
  });
});
