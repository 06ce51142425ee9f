import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_CODE_ID,
  compareTestRuns,
  detectTestRunner,
  runTests,
  scriptBaselineProblem,
  type RunnerPart,
  type TestRunnerInfo,
} from './index.js';
import { RUN_TIMEOUT_MS, createFixture, processesIn, waitFor, type Fixture } from './testing.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

async function setUp(files: Record<string, string | object>): Promise<TestRunnerInfo> {
  fixture = await createFixture(files);
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  return detected.runner;
}

function run(runner: TestRunnerInfo, options: { related?: string[]; timeoutMs?: number } = {}) {
  if (fixture === undefined) throw new Error('no fixture');
  return runTests(runner, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS, ...options });
}

const VITEST_PACKAGE = { type: 'module', scripts: { test: 'vitest run' } };
const slow = { timeout: RUN_TIMEOUT_MS * 4 };

describe('detectTestRunner', () => {
  it('gives a reason when the runner binary is missing', async () => {
    fixture = await createFixture({ 'package.json': VITEST_PACKAGE }, { nodeModules: false });
    const detected = await detectTestRunner(fixture.root);
    expect(detected).toEqual({
      reason:
        'vitest runs the tests, but node_modules/.bin/vitest is missing: a runner we cannot start (are the dependencies installed?)',
    });
  });

  it('gives a reason without a package.json', async () => {
    fixture = await createFixture({}, { nodeModules: false });
    expect(await detectTestRunner(fixture.root)).toEqual({ reason: 'no package.json' });
  });

  it('falls back to the one runner among the dependencies', async () => {
    const runner = await setUp({ 'package.json': { devDependencies: { jest: '^30.0.0' } } });
    expect(runner).toMatchObject({
      parts: [{ name: 'jest', source: 'dependencies', supportsRelated: true }],
      supportsRelated: true,
    });
  });
});

describe('runTests', () => {
  it(
    'runs vitest with a config file, which Vite bundles into node_modules, in the sandbox',
    slow,
    async () => {
      const runner = await setUp({
        'package.json': VITEST_PACKAGE,
        'vitest.config.js': "export default { test: { include: ['test/**/*.test.js'] } };\n",
        'test/a.test.js': "import { it } from 'vitest';\nit('works', () => {});\n",
      });
      const result = await run(runner);
      expect(result).toMatchObject({ status: 'ran', tests: { 'test/a.test.js > works': 'pass' } });
    },
  );

  it('marks a test that flips between the baseline runs as flaky', slow, async () => {
    // Fails on odd runs: the counter file survives between runs.
    const runner = await setUp({
      'package.json': VITEST_PACKAGE,
      'test/flaky.test.js': `import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
it('steady', () => {});
it('flips', () => {
  let n = 0;
  try { n = Number(readFileSync('counter.txt', 'utf8')); } catch {}
  writeFileSync('counter.txt', String(n + 1));
  expect((n + 1) % 2).toBe(0);
});
`,
    });
    const first = await run(runner);
    const second = await run(runner);
    const after = await run(runner);
    expect(first.tests['test/flaky.test.js > flips']).toBe('fail');
    expect(second.tests['test/flaky.test.js > flips']).toBe('pass');
    expect(compareTestRuns([first, second], after)).toEqual({
      newFailures: [],
      flaky: ['test/flaky.test.js > flips'],
      missing: [],
      empty: false,
      ok: true,
    });
  });

  it('kills a hanging test run at the time limit, workers included', slow, async () => {
    const runner = await setUp({
      'package.json': VITEST_PACKAGE,
      'test/hang.test.js': `import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
it('hangs', async () => {
  writeFileSync('worker.pid', String(process.pid));
  await new Promise(() => setInterval(() => {}, 1000));
}, 3_600_000);
`,
    });
    const result = await run(runner, { timeoutMs: 10_000 });
    expect(result.status).toBe('timeout');
    expect(result.tests).toEqual({});
    expect(result.output).toMatch(/timed out/);
    // The worker wrote its pid unless the machine was too slow to start it within the limit. It
    // is looked for by its folder: in the sandbox the pid it wrote is its PID namespace's.
    const pidFile = join(fixture?.root ?? '', 'worker.pid');
    if (existsSync(pidFile)) {
      expect(await waitFor(() => processesIn(fixture?.root ?? '').length === 0)).toBe(true);
    }
  });

  it('does not show our secrets to the tests', slow, async () => {
    const runner = await setUp({
      'package.json': VITEST_PACKAGE,
      'test/env.test.js': `import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
it('writes its environment', () => { writeFileSync('env.json', JSON.stringify(process.env)); });
`,
    });
    process.env.OPENAI_API_KEY = 'sk-test';
    process.env.BEAST_SECRET = 'beast-secret';
    try {
      expect((await run(runner)).status).toBe('ran');
    } finally {
      delete process.env.OPENAI_API_KEY;
      delete process.env.BEAST_SECRET;
    }
    const seen = fixture?.read('env.json') ?? '';
    expect(seen).not.toContain('sk-test');
    expect(seen).not.toContain('beast-secret');
    expect(JSON.parse(seen)).toMatchObject({ CI: '1', NO_COLOR: '1' });
  });

  it('counts a non-zero exit without a failing test (an unhandled error)', slow, async () => {
    const runner = await setUp({
      'package.json': VITEST_PACKAGE,
      'test/late.test.js': `import { it } from 'vitest';
it('passes, then throws late', () => { setTimeout(() => { throw new Error('late'); }, 0); });
`,
    });
    const result = await run(runner);
    expect(result.status).toBe('ran');
    expect(result.tests).toEqual({
      'test/late.test.js > passes, then throws late': 'pass',
      [EXIT_CODE_ID]: 'fail',
    });
  });

  it(
    'reads a runner that crashes while loading as an error, not as a failed test',
    slow,
    async () => {
      const runner = await setUp({
        // As a runner that refuses this Node's version does, before any test file is looked at.
        'package.json': {
          type: 'module',
          scripts: { test: 'NODE_OPTIONS=--require=./engine.cjs vitest run' },
        },
        'engine.cjs': "throw new Error('this Node is not supported by the config');\n",
        'test/a.test.js': "import { it } from 'vitest';\nit('works', () => {});\n",
      });
      const result = await run(runner);
      expect(result, result.output).toMatchObject({
        status: 'error',
        tests: {},
        executed: 0,
        passed: 0,
      });
      expect(result.lastWords).toMatch(/this Node is not supported by the config/);
      expect(result.lastWords).not.toMatch(/^\s*at /m);
    },
  );

  it('counts no executed test when every test file fails to load', slow, async () => {
    const runner = await setUp({
      'package.json': { type: 'module', scripts: { test: 'node --test test/' } },
      'test/a.test.js': "import 'node:test';\nthrow new Error('unsupported engine');\n",
    });
    const result = await run(runner);
    expect(result.tests).toEqual({ 'test/a.test.js > (file)': 'fail' });
    expect(result.executed).toBe(0);
  });

  it('counts the tests of a file that no longer loads as new failures', slow, async () => {
    const runner = await setUp({
      'package.json': VITEST_PACKAGE,
      'test/a.test.js': "import { it } from 'vitest';\nit('works', () => {});\n",
      'test/b.test.js': "import { it } from 'vitest';\nit('works too', () => {});\n",
    });
    const baseline = [await run(runner), await run(runner)] as const;
    await fixture?.write('test/a.test.js', "import { it } from 'vitest';\nit('works', () => {\n");
    const after = await run(runner);
    expect(compareTestRuns([...baseline], after)).toEqual({
      newFailures: ['test/a.test.js > (file)', 'test/a.test.js > works'],
      flaky: [],
      missing: ['test/a.test.js > works'],
      empty: false,
      ok: false,
    });
  });
});

/** Two source files, each with its own test file: related runs must pick one. */
const RELATED_FILES = {
  vitest: {
    'package.json': VITEST_PACKAGE,
    'src/a.js': 'export const a = () => 1;\n',
    'src/b.js': 'export const b = () => 2;\n',
    'test/a.test.js':
      "import { expect, it } from 'vitest';\nimport { a } from '../src/a.js';\nit('a', () => expect(a()).toBe(1));\n",
    'test/b.test.js':
      "import { expect, it } from 'vitest';\nimport { b } from '../src/b.js';\nit('b', () => expect(b()).toBe(2));\n",
  },
  jest: {
    'package.json': { scripts: { test: 'jest' } },
    'src/a.js': 'exports.a = () => 1;\n',
    'src/b.js': 'exports.b = () => 2;\n',
    'test/a.test.js':
      "const { a } = require('../src/a.js');\nit('a', () => expect(a()).toBe(1));\n",
    'test/b.test.js':
      "const { b } = require('../src/b.js');\nit('b', () => expect(b()).toBe(2));\n",
  },
};

describe.each(['vitest', 'jest'] as const)('related tests with %s', (name) => {
  it('runs only the tests of the touched file', slow, async () => {
    const runner = await setUp(RELATED_FILES[name]);
    expect(runner.supportsRelated).toBe(true);
    const full = await run(runner);
    expect(full.tests).toEqual({ 'test/a.test.js > a': 'pass', 'test/b.test.js > b': 'pass' });

    const related = await run(runner, { related: ['src/a.js'] });
    expect(related, related.output).toMatchObject({
      status: 'ran',
      related: true,
      files: ['test/a.test.js'],
      tests: { 'test/a.test.js > a': 'pass' },
    });
    expect(compareTestRuns([full, full], related).ok).toBe(true);
  });
});

describe('related tests with a runner that cannot', () => {
  it('runs everything and says so', slow, async () => {
    const runner = await setUp({
      'package.json': { scripts: { test: 'node --test' } },
      'a.test.js': "require('node:test')('a', () => {});\n",
    });
    const result = await run(runner, { related: ['a.js'] });
    expect(result).toMatchObject({
      status: 'ran',
      related: false,
      tests: { 'a.test.js > a': 'pass' },
    });
  });
});

describe('scriptBaselineProblem', () => {
  const script = {
    kind: 'script' as const,
    dir: '',
    script: 'test',
    command: 'make test',
    via: ['test'],
  };
  const runner: TestRunnerInfo = {
    parts: [script],
    setup: [],
    describe: 'the `test` script',
    supportsRelated: false,
    weak: true,
    packageManager: 'npm',
  };
  const runOf = (outcome: 'pass' | 'fail') => ({
    status: 'ran' as const,
    tests: { 'package.json > scripts.test': outcome },
    failed: outcome === 'fail' ? 1 : 0,
    passed: outcome === 'pass' ? 1 : 0,
    executed: 1,
    durationMs: 1,
    related: false,
    files: ['package.json'],
    output: '',
    lastWords: 'make: *** No rule to make target',
  });

  it('refuses scripts that all fail before any change: they cannot tell a broken change', () => {
    expect(scriptBaselineProblem(runner, runOf('fail'))).toBe(
      'the tests could not run (the script fails before any change, so its exit status cannot judge one): make: *** No rule to make target',
    );
  });

  it('accepts a passing script, and a failing one beside a runner', () => {
    expect(scriptBaselineProblem(runner, runOf('pass'))).toBeUndefined();
    const node: RunnerPart = {
      kind: 'runner',
      name: 'node:test',
      dir: '',
      via: ['test'],
      supportsRelated: false,
      source: 'script',
      bin: undefined,
      nodeArgs: [],
      options: [],
      positionals: [],
      env: {},
    };
    const mixed: TestRunnerInfo = { ...runner, parts: [script, node] };
    expect(scriptBaselineProblem(mixed, runOf('fail'))).toBeUndefined();
  });
});
