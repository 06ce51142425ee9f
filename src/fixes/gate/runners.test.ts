import { afterEach, describe, expect, it } from 'vitest';
import {
  detectTestRunner,
  executedTests,
  runTests,
  type TestOutcome,
  type TestRunnerName,
} from './index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from './testing.js';

/** One repository per runner with a passing, a failing and a skipped test, and a file that breaks. */
interface RunnerCase {
  runner: TestRunnerName;
  files: Record<string, string | object>;
  expected: Record<string, TestOutcome>;
  /** A test file with a syntax error, and what the run makes of it. */
  broken: { path: string; outcome: { status: 'error' } | { id: string } };
}

const BROKEN = 'this is not javascript(\n';

const VITEST_SUITE = `import { describe, expect, it } from 'vitest';
describe('math', () => {
  it('adds', () => { expect(1 + 1).toBe(2); });
  it('fails', () => { expect(1 + 1).toBe(3); });
  it.skip('skipped', () => {});
  describe('inner', () => { it('deep', () => {}); });
});
`;

const JEST_OR_MOCHA_SUITE = (assert: string, fails: string): string => `${assert}
describe('math', () => {
  it('adds', () => { ${fails.replace('3', '2')} });
  it('fails', () => { ${fails} });
  it.skip('skipped', () => {});
  describe('inner', () => { it('deep', () => {}); });
});
`;

const NODE_SUITE = `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('math', () => {
  it('adds', () => { assert.equal(1 + 1, 2); });
  it('fails', () => { assert.equal(1 + 1, 3); });
  it.skip('skipped', () => {});
  describe('inner', () => { it('deep', () => {}); });
});
`;

const AVA_SUITE = `import test from 'ava';
test('adds', (t) => { t.is(1 + 1, 2); });
test('fails', (t) => { t.is(1 + 1, 3); });
test.skip('skipped', (t) => { t.pass(); });
`;

function nested(file: string, sep = ' > '): Record<string, TestOutcome> {
  return {
    [`${file} > math${sep}adds`]: 'pass',
    [`${file} > math${sep}fails`]: 'fail',
    [`${file} > math${sep}skipped`]: 'skip',
    [`${file} > math${sep}inner${sep}deep`]: 'pass',
  };
}

const CASES: RunnerCase[] = [
  {
    runner: 'vitest',
    files: {
      'package.json': { type: 'module', scripts: { test: 'vitest' } },
      'test/math.test.js': VITEST_SUITE,
    },
    expected: nested('test/math.test.js'),
    broken: { path: 'test/bad.test.js', outcome: { id: 'test/bad.test.js > (file)' } },
  },
  {
    runner: 'jest',
    files: {
      'package.json': { scripts: { test: 'jest --coverage' } },
      'test/math.test.js': JEST_OR_MOCHA_SUITE('', 'expect(1 + 1).toBe(3);'),
    },
    expected: nested('test/math.test.js'),
    broken: { path: 'test/bad.test.js', outcome: { id: 'test/bad.test.js > (file)' } },
  },
  {
    runner: 'mocha',
    files: {
      'package.json': { scripts: { test: 'mocha --reporter dot' } },
      'test/math.spec.js': JEST_OR_MOCHA_SUITE(
        "const assert = require('node:assert');",
        'assert.equal(1 + 1, 3);',
      ),
    },
    // Mocha's json report gives the full title only, words joined by spaces.
    expected: nested('test/math.spec.js', ' '),
    broken: { path: 'test/bad.spec.js', outcome: { status: 'error' } },
  },
  {
    runner: 'node:test',
    files: {
      'package.json': { type: 'module', scripts: { test: 'node --test test/*.test.mjs' } },
      'test/math.test.mjs': NODE_SUITE,
    },
    expected: nested('test/math.test.mjs'),
    broken: { path: 'test/bad.test.mjs', outcome: { id: 'test/bad.test.mjs > (file)' } },
  },
  {
    runner: 'ava',
    files: {
      'package.json': { type: 'module', scripts: { test: 'ava' } },
      'test/math.test.js': AVA_SUITE,
      'test/other.test.js': "import test from 'ava';\ntest('works', (t) => { t.pass(); });\n",
    },
    // AVA's titles without the file prefix it adds only when several files run: one id either way.
    expected: {
      adds: 'pass',
      fails: 'fail',
      skipped: 'skip',
      works: 'pass',
    },
    broken: {
      path: 'test/bad.test.js',
      outcome: { id: 'test/bad.test.js > (file)' },
    },
  },
];

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

describe.each(CASES)('$runner', ({ runner, files, expected, broken }) => {
  it('is detected and reports each test', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    fixture = await createFixture(files);
    const detected = await detectTestRunner(fixture.root);
    if (!('runner' in detected)) throw new Error(detected.reason);
    expect(detected.runner.parts).toMatchObject([{ kind: 'runner', name: runner }]);
    expect(detected.runner.describe).toBe(runner);

    const run = await runTests(detected.runner, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS });
    expect(run, run.output).toMatchObject({ status: 'ran', related: false, failed: 1 });
    expect(run.tests).toEqual(expected);
    expect(run.output).toContain('fails');
  });

  it('survives a test file with a syntax error', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    fixture = await createFixture({ ...files, [broken.path]: BROKEN });
    const detected = await detectTestRunner(fixture.root);
    if (!('runner' in detected)) throw new Error(detected.reason);

    const run = await runTests(detected.runner, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS });
    if ('status' in broken.outcome) {
      expect(run.status).toBe(broken.outcome.status);
      expect(run.output).toMatch(/SyntaxError/);
    } else {
      expect(run.status, run.output).toBe('ran');
      expect(run.tests).toMatchObject({ ...expected, [broken.outcome.id]: 'fail' });
      expect(run.executed).toBe(executedTests(expected));
    }
  });
});

describe('mocha with given test files', () => {
  it(
    'runs only those files when its config sets spec, keeping the rest of the config',
    {
      timeout: RUN_TIMEOUT_MS * 2,
    },
    async () => {
      const spec = (name: string): string =>
        `const assert = require('node:assert');\nit('${name}', () => { assert.equal(globalThis.answer, 42); });\n`;
      fixture = await createFixture({
        'package.json': { scripts: { test: 'mocha' }, mocha: { timeout: 5000 } },
        '.mocharc.json': { spec: 'test/**/*.spec.js', require: ['test/setup.js'] },
        'test/setup.js': 'globalThis.answer = 42;\n',
        'test/a.spec.js': spec('a'),
        'test/b.spec.js': spec('b'),
      });
      const detected = await detectTestRunner(fixture.root);
      if (!('runner' in detected)) throw new Error(detected.reason);
      const whole = await runTests(detected.runner, {
        cwd: fixture.root,
        timeoutMs: RUN_TIMEOUT_MS,
      });
      expect(whole.tests, whole.output).toEqual({
        'test/a.spec.js > a': 'pass',
        'test/b.spec.js > b': 'pass',
      });
      const alone = await runTests(detected.runner, {
        cwd: fixture.root,
        timeoutMs: RUN_TIMEOUT_MS,
        testFiles: ['test/b.spec.js'],
      });
      // Before: mocha added the config's spec to the given file, running a.spec.js too.
      expect(alone.tests, alone.output).toEqual({ 'test/b.spec.js > b': 'pass' });
      expect(alone.status).toBe('ran');
    },
  );
});

describe('ava test ids', () => {
  it(
    'are the same whether one test file runs or several',
    {
      timeout: RUN_TIMEOUT_MS * 3,
    },
    async () => {
      fixture = await createFixture({
        'package.json': { type: 'module', scripts: { test: 'ava' } },
        'test/math.test.js': AVA_SUITE,
      });
      const run = async (): Promise<Record<string, TestOutcome>> => {
        const detected = await detectTestRunner(fixture!.root);
        if (!('runner' in detected)) throw new Error(detected.reason);
        const result = await runTests(detected.runner, {
          cwd: fixture!.root,
          timeoutMs: RUN_TIMEOUT_MS,
        });
        return result.tests;
      };
      const alone = await run();
      expect(alone).toEqual({ adds: 'pass', fails: 'fail', skipped: 'skip' });
      // A second file, in another folder: AVA now prefixes titles (`test › math › adds`).
      await fixture.write(
        'src/other.test.js',
        "import test from 'ava';\ntest('works', (t) => t.pass());\n",
      );
      expect(await run()).toEqual({ ...alone, works: 'pass' });
    },
  );
});
