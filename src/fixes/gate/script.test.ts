import { describe, expect, it } from 'vitest';
import { splitArgs, splitScript, unwrapCommand } from './script.js';

describe('splitScript', () => {
  it.each([
    ['vitest run', [['vitest', 'run']]],
    ['tsc && node --test', [['tsc'], ['node', '--test']]],
    ['a || b; c | d & e', [['a'], ['b'], ['c'], ['d'], ['e']]],
    [`mocha 'test/**/*.spec.js' "a b"`, [['mocha', 'test/**/*.spec.js', 'a b']]],
    [
      String.raw`jest --testNamePattern "say \"hi\"" a\ b`,
      [['jest', '--testNamePattern', 'say "hi"', 'a b']],
    ],
    ['NODE_ENV=test  jest', [['NODE_ENV=test', 'jest']]],
    ['', []],
  ])('%s', (script, expected) => {
    expect(splitScript(script)).toEqual(expected);
  });
});

describe('unwrapCommand', () => {
  it.each([
    [['jest', '--ci'], { env: {}, program: 'jest', args: ['--ci'] }],
    [
      ['NODE_ENV=test', 'cross-env', 'TZ=UTC', 'npx', '--no-install', 'jest'],
      { env: { NODE_ENV: 'test', TZ: 'UTC' }, program: 'jest', args: [] },
    ],
    [['c8', '--reporter=lcov', 'node', '--test'], { env: {}, program: 'node', args: ['--test'] }],
    [['pnpm', 'exec', 'vitest'], { env: {}, program: 'vitest', args: [] }],
    [['A=1'], undefined],
  ])('%j', (words, expected) => {
    expect(unwrapCommand(words)).toEqual(expected);
  });
});

describe('splitArgs', () => {
  const spec = {
    values: new Set(['--config', '--reporter']),
    drop: new Set(['--reporter', '--watch', '--coverage']),
  };
  it.each([
    [['--config', 'x.js', 'src/'], { options: ['--config', 'x.js'], positionals: ['src/'] }],
    [['--config=x.js', 'src/'], { options: ['--config=x.js'], positionals: ['src/'] }],
    [['--reporter', 'dot', '--watch', 'a'], { options: [], positionals: ['a'] }],
    [['--reporter=dot', '--coverage.enabled', '--ci'], { options: ['--ci'], positionals: [] }],
    [['--', '-weird-file'], { options: [], positionals: ['-weird-file'] }],
  ])('%j', (args, expected) => {
    expect(splitArgs(args, spec)).toEqual(expected);
  });
});
