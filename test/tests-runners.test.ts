import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUR_NODE_MODULES } from '../src/fixes/gate/testing.js';
import type { TestGenReport } from '../src/pipeline/index.js';
import { beastAsync, git, makeRepo } from './helpers/repo.js';

/*
 * `beast tests` on each runner other than vitest (tests-cli.test.ts has vitest): the built CLI on a
 * small repository per runner, in that runner's dialect, with real git and the real runner from this
 * project's node_modules. Each must deliver a branch whose test file is in the repository's style,
 * raises the target's coverage, and passes when the runner itself runs it, leaving the user's
 * working tree as it was.
 */

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** `add` is tested; `clamp` is not: its branches are what a generated test can cover. */
const BODY = `function add(a, b) {
  return a + b;
}

function clamp(value, low, high) {
  if (value < low) {
    return low;
  }
  if (value > high) {
    return high;
  }
  return value;
}
`;
const MATH_CJS = `${BODY}\nmodule.exports = { add, clamp };\n`;
const MATH_ESM = BODY.replace(/^function /gm, 'export function ');

function pkg(test: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'calc', private: true, scripts: { test }, ...extra }, null, 2);
}

const NODE_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from '../src/math.js';

test('adds two numbers', () => {
  assert.equal(add(2, 3), 5);
});
`;

interface RunnerCase {
  name: string;
  /** What the report names as the runner. */
  runner: string;
  files: Record<string, string>;
  /** The kept test file's path on the branch. */
  keptPath: RegExp;
  /** Marks of the repository's dialect the kept file must have, and marks it must not have. */
  style: RegExp[];
  notStyle: RegExp[];
  /** The runner's own command line for the whole suite on the branch, printing each test's title. */
  command: string[];
}

const CASES: RunnerCase[] = [
  {
    name: 'jest (CommonJS)',
    runner: 'jest',
    files: {
      'package.json': pkg('jest', { devDependencies: { jest: '*' } }),
      'src/math.js': MATH_CJS,
      'test/math.test.js': `const { add } = require('../src/math');

describe('add', () => {
  test('adds two numbers', () => {
    expect(add(2, 3)).toBe(5);
  });
});
`,
    },
    keptPath: /^test\/math\.[\w.]*test\.js$/,
    style: [/require\('\.\.\/src\/math'\)/, /\bexpect\(clamp\(/, /\bdescribe\(/],
    notStyle: [/\bimport\b/, /node:assert/],
    command: ['node_modules/.bin/jest', '--verbose'],
  },
  {
    name: 'jest (__tests__ folders, testMatch in jest.config.js)',
    runner: 'jest',
    files: {
      'package.json': pkg('jest --ci', { devDependencies: { jest: '*' } }),
      'jest.config.js': "module.exports = { testMatch: ['**/__tests__/**/*.js'] };\n",
      'src/math.js': MATH_CJS,
      'src/__tests__/math.js': `const { add } = require('../math');

it('adds two numbers', () => {
  expect(add(2, 3)).toBe(5);
});
`,
    },
    // Only a file under __tests__ would run.
    keptPath: /^src\/__tests__\/math[\w.]*\.js$/,
    style: [/require\('\.\.\/math'\)/, /\bexpect\(clamp\(/],
    notStyle: [/\bimport\b/, /node:assert/],
    command: ['node_modules/.bin/jest', '--verbose'],
  },
  {
    name: 'mocha (node:assert, CommonJS, spec from .mocharc.json)',
    runner: 'mocha',
    files: {
      'package.json': pkg('mocha', { devDependencies: { mocha: '*' } }),
      '.mocharc.json': JSON.stringify({ spec: 'test/**/*.spec.js' }),
      'src/math.js': MATH_CJS,
      'test/math.spec.js': `const assert = require('node:assert');
const { add } = require('../src/math');

describe('add', function () {
  it('adds two numbers', function () {
    assert.strictEqual(add(2, 3), 5);
  });
});
`,
    },
    // The .mocharc's spec decides the name: a `.test.js` file would never run.
    keptPath: /^test\/math\.[\w.]*spec\.js$/,
    style: [/require\('node:assert/, /require\('\.\.\/src\/math'\)/, /assert\.\w+\(clamp\(/],
    notStyle: [/\bexpect\(/, /\bimport\b/],
    command: ['node_modules/.bin/mocha'],
  },
  {
    name: 'mocha (node:assert, ESM, spec from .mocharc.yml)',
    runner: 'mocha',
    files: {
      'package.json': pkg('mocha', { type: 'module', devDependencies: { mocha: '*' } }),
      '.mocharc.yml': "spec:\n  - 'test/**/*.test.js'\n",
      'src/math.js': MATH_ESM,
      'test/math.test.js': `import assert from 'node:assert';
import { add } from '../src/math.js';

describe('add', () => {
  it('adds two numbers', () => {
    assert.equal(add(2, 3), 5);
  });
});
`,
    },
    keptPath: /^test\/math\.[\w.]*test\.js$/,
    style: [
      /import assert from 'node:assert/,
      /from '\.\.\/src\/math\.js'/,
      /assert\.\w+\(clamp\(/,
    ],
    notStyle: [/\bexpect\(/, /\brequire\(/, /node:test/],
    command: ['node_modules/.bin/mocha'],
  },
  {
    name: 'node:test (ESM)',
    runner: 'node:test',
    files: {
      'package.json': pkg('node --test', { type: 'module' }),
      'src/math.js': MATH_ESM,
      'test/math.test.js': NODE_TEST,
    },
    keptPath: /^test\/math\.[\w.]*test\.js$/,
    style: [/from 'node:test'/, /from '\.\.\/src\/math\.js'/, /assert\.\w+\(clamp\(/],
    notStyle: [/\bexpect\(/, /\brequire\(/],
    command: [process.execPath, '--test'],
  },
  {
    name: 'node:test via pnpm (pnpm-lock.yaml, a script calling a script)',
    runner: 'node:test, via `pnpm test`',
    files: {
      'package.json': pkg('pnpm run test:unit', {
        type: 'module',
        packageManager: 'pnpm@9.15.0',
        scripts: { test: 'pnpm run test:unit', 'test:unit': 'node --test' },
      }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n",
      'src/math.js': MATH_ESM,
      'test/math.test.js': NODE_TEST,
    },
    keptPath: /^test\/math\.[\w.]*test\.js$/,
    style: [/from 'node:test'/, /from '\.\.\/src\/math\.js'/, /assert\.\w+\(clamp\(/],
    notStyle: [/\bexpect\(/, /\brequire\(/],
    command: [process.execPath, '--test'],
  },
  {
    name: 'ava (ESM)',
    runner: 'ava',
    files: {
      'package.json': pkg('ava', { type: 'module', devDependencies: { ava: '*' } }),
      'src/math.js': MATH_ESM,
      'test/math.test.js': `import test from 'ava';
import { add } from '../src/math.js';

test('adds two numbers', (t) => {
  t.is(add(2, 3), 5);
});
`,
    },
    keptPath: /^test\/math\.[\w.]*test\.js$/,
    style: [/import test from 'ava'/, /from '\.\.\/src\/math\.js'/, /t\.\w+\(clamp\(/],
    notStyle: [/\bexpect\(/, /\bdescribe\(/, /\brequire\(/],
    command: ['node_modules/.bin/ava', '--tap'],
  },
];

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await makeRepo({ '.gitignore': 'node_modules\ncoverage\n', ...files });
  temps.push(dir);
  await symlink(OUR_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every file of the working tree (not .git) with its hash, plus git's view of the user's state. */
async function userState(dir: string): Promise<string> {
  const entries: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(at, entry.name);
      if (entry.isSymbolicLink())
        entries.push(`${path.relative(dir, full)} -> ${await readlink(full)}`);
      else if (entry.isDirectory()) await walk(full);
      else {
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
        entries.push(`${path.relative(dir, full)} ${hash}`);
      }
    }
  };
  await walk(dir);
  return [
    ...entries.sort(),
    git(dir, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
    git(dir, 'stash', 'list'),
    git(dir, 'diff', '--cached'),
    git(dir, 'rev-parse', 'HEAD'),
    git(dir, 'symbolic-ref', 'HEAD'),
  ].join('\n');
}

function pct(c: { covered: number; total: number }): number {
  return c.total === 0 ? 1 : c.covered / c.total;
}

/** A fresh clone of the branch, with node_modules linked as the user's would be. */
async function checkout(dir: string, branch: string): Promise<string> {
  const clone = await mkdtemp(path.join(tmpdir(), 'beast-runners-branch-'));
  temps.push(clone);
  git(clone, 'clone', '-q', '--branch', branch, dir, '.');
  await symlink(OUR_NODE_MODULES, path.join(clone, 'node_modules'), 'dir');
  return clone;
}

describe.each(CASES)('beast tests with $name', (c) => {
  it(
    'delivers a kept test in the repository style that raises coverage and passes',
    {
      timeout: 20 * 60_000,
    },
    async () => {
      const dir = await repo(c.files);
      await writeFile(path.join(dir, 'notes.txt'), 'mine, not committed\n');
      const before = await userState(dir);

      const result = await beastAsync(
        ['tests', '--model', 'builtin:testgen', '--json', '--no-store'],
        {
          cwd: dir,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code, result.stdout).toBe(0);
      const report = JSON.parse(result.stdout) as TestGenReport;
      expect(report.status, JSON.stringify(report.verdicts)).toBe('delivered');
      expect(report.runner).toBe(c.runner);

      // Coverage: the target was measured before, partly covered (clamp untested), and after fully.
      expect(report.files.map((f) => f.file)).toEqual(['src/math.js']);
      const target = report.files[0]!;
      expect(target.before!.uncoveredFunctions.map((f) => f.name)).toEqual(['clamp']);
      expect(pct(target.before!.lines)).toBeLessThan(1);
      expect(pct(target.after!.lines)).toBeGreaterThan(pct(target.before!.lines));
      expect(target.after!.uncoveredFunctions).toEqual([]);
      expect(target.after!.branches.covered).toBeGreaterThan(target.before!.branches.covered);
      expect(pct(report.after.lines)).toBeGreaterThan(pct(report.before.lines));

      const kept = report.verdicts.filter((v) => v.kept);
      expect(kept.map((v) => [v.target, v.model])).toEqual([['src/math.js', 'builtin:testgen']]);
      expect(report.funnel.kept).toBeGreaterThan(0);
      const file = kept[0]!;
      expect(file.file).toMatch(c.keptPath);
      for (const mark of c.style) expect(file.content).toMatch(mark);
      for (const mark of c.notStyle) expect(file.content).not.toMatch(mark);

      // The branch: one commit on HEAD adding only the kept file.
      const head = git(dir, 'rev-parse', 'HEAD').trim();
      expect(report.base).toBe(head);
      expect(git(dir, 'rev-list', '--count', `${head}..${report.branch!}`).trim()).toBe('1');
      expect(git(dir, 'diff', '--name-status', head, report.branch!).trim()).toBe(
        `A\t${file.file}`,
      );
      expect(git(dir, 'show', `${report.branch!}:${file.file}`)).toBe(file.content);

      // The runner itself, on a clone of the branch: the whole suite passes, the new tests included.
      const clone = await checkout(dir, report.branch!);
      const [command, ...args] = c.command;
      const run = spawnSync(command!, args, {
        cwd: clone,
        encoding: 'utf8',
        env: { ...process.env, CI: '1' },
      });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status, output).toBe(0);
      expect(output).toContain('adds two numbers');
      expect(output).toMatch(/clamp\(/);

      expect(await userState(dir)).toBe(before);
    },
  );
});
