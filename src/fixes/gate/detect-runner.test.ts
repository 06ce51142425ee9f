import { describe, expect, it } from 'vitest';
import {
  resolveFromDependencies,
  resolveRepositoryTests,
  resolveTestScript,
  toRunnerPart,
} from './detect-runner.js';
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

/** A summary of what was found: `vitest@packages/a options positionals` or `script@dir: command`. */
function found(
  root: Record<string, string>,
  members: Record<string, { name?: string; scripts: Record<string, string> }> = {},
  prePost = false,
): string[] | undefined {
  const packages = [
    { dir: '', name: 'root', pkg: { scripts: root } },
    ...Object.entries(members).map(([dir, { name, scripts }]) => ({ dir, name, pkg: { scripts } })),
  ];
  return resolveRepositoryTests(packages, { prePost })?.map((f) => {
    if (f.kind !== 'runner') return `${f.kind}@${f.dir}: ${f.command}`;
    const part = toRunnerPart(f.runner, 'script');
    const words = [...part.nodeArgs, ...part.options, ...part.positionals];
    return [`${f.runner.name}@${f.dir}`, ...words].join(' ');
  });
}

describe('resolveRepositoryTests: package managers, chains and scripts calling scripts', () => {
  it.each<[string, Record<string, string>, string[]]>([
    // Real repositories' scripts.
    [
      'ufo: a lint script, then vitest',
      { test: 'pnpm lint && vitest run --typecheck', lint: 'eslint . && prettier -c src test' },
      ['vitest@ --typecheck'],
    ],
    [
      'ky: xo, a build, then ava',
      { test: 'xo && npm run build && ava', build: 'del-cli distribution && tsc' },
      ['ava@'],
    ],
    [
      'commander: node --test, then a type check',
      { test: 'node --test && npm run check:type:ts', 'check:type:ts': 'tsd && tsc' },
      ['node:test@'],
    ],
    [
      'yargs-parser: mocha under c8 with its own options',
      { test: 'c8 --reporter=text --reporter=html mocha test/*.mjs' },
      ['mocha@ test/*.mjs'],
    ],
    [
      'tinyglobby: a quoted glob',
      { test: 'node --test "test/**/*.ts"' },
      ['node:test@ test/**/*.ts'],
    ],
    // The forms.
    [
      'pnpm lint && pnpm vitest run',
      { test: 'pnpm lint && pnpm vitest run', lint: 'eslint .' },
      ['vitest@'],
    ],
    ['yarn jest', { test: 'yarn jest --ci' }, ['jest@ --ci']],
    ['yarn run <script>', { test: 'yarn run test:unit', 'test:unit': 'vitest' }, ['vitest@']],
    ['yarn <script>', { test: 'yarn test:unit', 'test:unit': 'jest' }, ['jest@']],
    ['pnpm <script>', { test: 'pnpm test:unit', 'test:unit': 'vitest run' }, ['vitest@']],
    ['npx', { test: 'npx vitest run' }, ['vitest@']],
    ['npx with its options', { test: 'npx --yes jest -i' }, ['jest@ -i']],
    ['pnpm exec', { test: 'pnpm exec vitest' }, ['vitest@']],
    ['pnpm dlx', { test: 'pnpm dlx vitest run' }, ['vitest@']],
    ['yarn dlx', { test: 'yarn dlx ava' }, ['ava@']],
    ['yarn exec', { test: 'yarn exec mocha' }, ['mocha@']],
    ['bunx', { test: 'bunx vitest run' }, ['vitest@']],
    ['bun x', { test: 'bun x jest' }, ['jest@']],
    ['bun run <script>', { test: 'bun run test:unit', 'test:unit': 'vitest' }, ['vitest@']],
    ['npm exec --', { test: 'npm exec -- vitest run src/' }, ['vitest@ src/']],
    ['npm x', { test: 'npm x jest' }, ['jest@']],
    ['node --run <script>', { test: 'node --run test:unit', 'test:unit': 'vitest' }, ['vitest@']],
    ['tsx --test', { test: 'tsx --test test/*.ts' }, ['node:test@ --import tsx test/*.ts']],
    [
      'arguments after -- go to the script',
      { test: 'npm run test:unit -- --bail 1', 'test:unit': 'vitest run' },
      ['vitest@ --bail 1'],
    ],
    [
      'pnpm passes what follows the script name',
      { test: 'pnpm run test:unit --project unit', 'test:unit': 'vitest run' },
      ['vitest@ --project unit'],
    ],
    ['a || fallback', { test: 'vitest run || exit 1' }, ['vitest@']],
    ['a ; b', { test: 'tsc; jest' }, ['jest@']],
    [
      'two runners in one chain: both run',
      { test: 'vitest run && node --test test/' },
      ['vitest@', 'node:test@ test/'],
    ],
    [
      'two runners through two scripts',
      {
        test: 'npm run test:unit && npm run test:node',
        'test:unit': 'jest',
        'test:node': 'node --test',
      },
      ['jest@', 'node:test@'],
    ],
    [
      "pnpm's regex scripts",
      {
        test: 'pnpm run "/^test:.*/"',
        'test:unit': 'vitest run',
        'test:node': 'node --test',
        lint: 'jest',
      },
      ['vitest@', 'node:test@'],
    ],
    [
      'run-s with a glob',
      {
        test: 'run-s lint test:*',
        lint: 'eslint .',
        'test:unit': 'vitest run',
        'test:int': 'mocha',
        'test:int:slow': 'ava',
      },
      ['vitest@', 'mocha@'],
    ],
    [
      'npm-run-all with -s and -p groups and a globstar',
      {
        test: 'npm-run-all -s build -p "test:**"',
        build: 'tsc',
        'test:a': 'jest',
        'test:a:b': 'ava',
      },
      ['jest@', 'ava@'],
    ],
    [
      'run-p with a pattern and its arguments in one word',
      { test: 'run-p "test:unit -- --bail 1"', 'test:unit': 'vitest run' },
      ['vitest@ --bail 1'],
    ],
    [
      'concurrently with npm: shortcuts and commands',
      {
        test: 'concurrently -n a,b "npm:test:*" "node --test"',
        'test:unit': 'jest',
        'test:lint': 'eslint',
      },
      ['jest@', 'node:test@'],
    ],
    [
      'the same runner twice runs once',
      { test: 'vitest run && npm run again', again: 'vitest run' },
      ['vitest@'],
    ],
    ['cd into a folder', { test: 'cd packages/a && vitest run' }, ['vitest@packages/a']],
    // Where no runner is known, the script itself.
    [
      'nanoid: regex scripts of tools we do not read',
      {
        test: 'pnpm run /^test:/',
        'test:coverage': "bnt --coverage 100 --coverage-exclude 'test/*'",
        'test:lint': 'oxlint',
        'test:versions': 'node ./test/check-versions.js',
      },
      ['script@: pnpm run /^test:/'],
    ],
    ["bun's own test runner", { test: 'bun test' }, ['script@: bun test']],
    ['make', { test: 'make test' }, ['script@: make test']],
    [
      'scripts that call each other',
      { test: 'npm run a', a: 'npm run b', b: 'npm run a' },
      ['script@: npm run a'],
    ],
  ])('%s', (_, scripts, expected) => {
    expect(found(scripts)).toEqual(expected);
  });

  it('runs pre scripts first where the package manager does (npm, yarn classic)', () => {
    const scripts = {
      pretest: 'rimraf build && tsc -p tsconfig.test.json',
      test: 'c8 mocha test/*.mjs && npm run test:more',
      'pretest:more': 'tsc -b',
      'test:more': 'node --test',
    };
    expect(found(scripts, {}, true)).toEqual([
      'setup@: rimraf build && tsc -p tsconfig.test.json',
      'mocha@ test/*.mjs',
      'setup@: tsc -b',
      'node:test@',
    ]);
    expect(found(scripts, {}, false)).toEqual(['mocha@ test/*.mjs', 'node:test@']);
    expect(found({ pretest: 'tsc', test: 'make test' }, {}, true)).toEqual([
      'setup@: tsc',
      'script@: make test',
    ]);
  });

  it('finds nothing without a test script, or with npm init placeholder', () => {
    expect(found({ build: 'tsc' })).toBeUndefined();
    expect(found({ test: 'echo "Error: no test specified" && exit 1' })).toBeUndefined();
  });
});

describe('resolveRepositoryTests: workspaces', () => {
  const members = {
    'packages/a': { name: '@x/a', scripts: { test: 'vitest run' } },
    'packages/b': { name: '@x/b', scripts: { test: 'node ./run-tests.js' } },
    'packages/c': { name: '@x/c', scripts: { build: 'tsc' } },
    'apps/web': { name: 'web', scripts: { test: 'jest', 'test:unit': 'jest --ci' } },
  };
  const all = ['vitest@packages/a', 'script@packages/b: node ./run-tests.js', 'jest@apps/web'];
  it.each<[string, string, string[]]>([
    ['pnpm -r test', 'pnpm -r test', all],
    ['pnpm --recursive run test', 'pnpm --recursive run test', all],
    ['pnpm run -r --parallel test', 'pnpm run -r --parallel test', all],
    ['pnpm --filter by folder', 'pnpm --filter "./packages/**" test', all.slice(0, 2)],
    ['pnpm -F by name', 'pnpm -F @x/a test', all.slice(0, 1)],
    ['pnpm --filter by name glob', 'pnpm --filter "@x/*" run test', all.slice(0, 2)],
    ['npm --workspaces', 'npm test --workspaces --if-present', all],
    ['npm -ws', 'npm run test -ws', all],
    ['npm -w', 'npm test -w packages/a -w web', ['vitest@packages/a', 'jest@apps/web']],
    ['npm --prefix', 'npm --prefix packages/a test', all.slice(0, 1)],
    ['yarn workspaces run (classic)', 'yarn workspaces run test', all],
    ['yarn workspaces foreach (berry)', 'yarn workspaces foreach -A --parallel run test', all],
    [
      'yarn workspaces foreach with --include',
      'yarn workspaces foreach --include "@x/*" test',
      all.slice(0, 2),
    ],
    ['yarn workspace <name>', 'yarn workspace web test:unit', ['jest@apps/web --ci']],
    ['pnpm -C', 'pnpm -C apps/web test', ['jest@apps/web']],
    ['turbo run', 'turbo run test --filter=web', ['jest@apps/web']],
    ['turbo with two tasks', 'turbo test lint', all],
    ['lerna run', 'lerna run test --stream', all],
    ['nx run-many', 'nx run-many -t test', all],
    ['bun --filter', "bun --filter '*' test", all],
  ])('%s', (_, script, expected) => {
    expect(found({ test: script }, members)).toEqual(expected);
  });

  it("runs the root's runner when the root test script runs one (a vitest workspace)", () => {
    expect(found({ test: 'vitest' }, members)).toEqual(['vitest@']);
  });

  it("runs each package's tests when the root has no test script", () => {
    expect(found({ build: 'tsc -b' }, members)).toEqual(all);
  });

  it('runs the root runner and the recursive ones of a chain', () => {
    expect(found({ test: 'node --test && pnpm -r test' }, members)).toEqual(['node:test@', ...all]);
  });
});
