import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareTestRuns,
  detectTestRunner,
  runTests,
  type RunTestsOptions,
  type TestRunnerInfo,
} from '../src/fixes/index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from '../src/fixes/gate/testing.js';
import type { ImproveReport } from '../src/pipeline/index.js';
import { beast, git, makeRepo } from './helpers/repo.js';

// Test detection as the repository's CI runs its tests, end to end: real package.json scripts,
// real runners from our node_modules, real workspaces, each run sandboxed by runProcess.

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

const slow = { timeout: RUN_TIMEOUT_MS * 4 };

async function detect(files: Record<string, string | object>): Promise<TestRunnerInfo> {
  fixture = await createFixture(files);
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  return detected.runner;
}

function run(runner: TestRunnerInfo, options: Partial<RunTestsOptions> = {}) {
  if (fixture === undefined) throw new Error('no fixture');
  return runTests(runner, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS, ...options });
}

const vitestTest = (title: string) =>
  `import { expect, it } from 'vitest';\nit('${title}', () => expect(1).toBe(1));\n`;
const nodeTest = (title: string, body = '') =>
  `const { test } = require('node:test');\nconst assert = require('node:assert');\ntest('${title}', () => { ${body} });\n`;

describe('a pnpm-style chain', () => {
  it('runs the vitest of `pnpm lint && pnpm vitest run`, not the linter', slow, async () => {
    const runner = await detect({
      'package.json': {
        type: 'module',
        packageManager: 'pnpm@10.28.0',
        scripts: { lint: 'eslint .', test: 'pnpm lint && pnpm vitest run' },
      },
      'test/a.test.js': vitestTest('works'),
    });
    expect(runner).toMatchObject({
      describe: 'vitest',
      weak: false,
      packageManager: 'pnpm',
      parts: [{ kind: 'runner', name: 'vitest', dir: '', bin: 'node_modules/.bin/vitest' }],
    });
    const result = await run(runner);
    expect(result, result.output).toMatchObject({
      status: 'ran',
      tests: { 'test/a.test.js > works': 'pass' },
    });
  });
});

describe('a chain of two runners', () => {
  it('runs both, and a change that breaks the second is caught', slow, async () => {
    const runner = await detect({
      'package.json': {
        type: 'module',
        scripts: { test: 'vitest run && npm run test:node', 'test:node': 'node --test test/node/' },
      },
      'vitest.config.js': "export default { test: { include: ['test/vitest/**/*.test.js'] } };\n",
      'test/vitest/a.test.js': vitestTest('vitest test'),
      'test/node/b.test.cjs': nodeTest('node test'),
    });
    expect(runner.parts.map((p) => (p.kind === 'runner' ? p.name : p.script))).toEqual([
      'vitest',
      'node:test',
    ]);
    expect(runner.describe).toBe('vitest (root), node:test (root), via `npm test`');
    const baseline = await run(runner);
    expect(baseline, baseline.output).toMatchObject({
      status: 'ran',
      executed: 2,
      tests: {
        'test/vitest/a.test.js > vitest test': 'pass',
        'test/node/b.test.cjs > node test': 'pass',
      },
    });
    await fixture?.write('test/node/b.test.cjs', nodeTest('node test', 'assert.equal(1, 2);'));
    const after = await run(runner);
    expect(compareTestRuns([baseline, baseline], after)).toMatchObject({
      ok: false,
      newFailures: ['test/node/b.test.cjs > node test'],
    });
  });
});

describe('a pretest that builds what the tests import', () => {
  it('runs before the tests (npm runs it), so the tests see the change', slow, async () => {
    const runner = await detect({
      'package.json': {
        scripts: { pretest: 'node build.js', test: 'node --test test/' },
      },
      'build.js': [
        "const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');",
        "const source = readFileSync('src/lib.js', 'utf8');",
        "if (source.includes('syntax error')) { console.error('Error: build failed on src/lib.js'); process.exit(2); }",
        "mkdirSync('build', { recursive: true });",
        "writeFileSync('build/lib.js', source);",
        '',
      ].join('\n'),
      'src/lib.js': 'exports.two = () => 2;\n',
      'test/lib.test.js': nodeTest('two', "assert.equal(require('../build/lib.js').two(), 2);"),
    });
    expect(runner.describe).toBe('node:test, after the `pretest` script');
    expect(runner.setup).toEqual([{ dir: '', script: 'pretest', command: 'node build.js' }]);
    const baseline = await run(runner);
    expect(baseline, baseline.output).toMatchObject({
      status: 'ran',
      tests: { 'test/lib.test.js > two': 'pass' },
    });

    await fixture?.write('src/lib.js', 'exports.two = () => 3;\n');
    const after = await run(runner);
    expect(after.tests).toEqual({ 'test/lib.test.js > two': 'fail' });

    await fixture?.write('src/lib.js', '// syntax error\n');
    const broken = await run(runner);
    expect(broken).toMatchObject({
      status: 'error',
      tests: {},
      lastWords: 'the `pretest` script failed (2): Error: build failed on src/lib.js',
    });
  });
});

/** A pnpm monorepo: vitest in a, node:test in b, a script of its own in c, nothing in d. */
const MONOREPO = {
  'package.json': {
    private: true,
    packageManager: 'pnpm@10.0.0',
    scripts: { test: 'pnpm -r test' },
  },
  'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
  'packages/a/package.json': { name: 'a', type: 'module', scripts: { test: 'vitest run' } },
  'packages/a/src/a.js': 'export const a = () => 1;\n',
  'packages/a/test/a.test.js':
    "import { expect, it } from 'vitest';\nimport { a } from '../src/a.js';\nit('a', () => expect(a()).toBe(1));\n",
  'packages/b/package.json': { name: 'b', scripts: { test: 'node --test' } },
  'packages/b/src/b.js': 'exports.b = () => 2;\n',
  'packages/b/test/b.test.js': nodeTest('b', "assert.equal(require('../src/b.js').b(), 2);"),
  'packages/c/package.json': { name: 'c', scripts: { test: 'node check.js' } },
  'packages/c/check.js': "process.exit(require('fs').existsSync('broken') ? 1 : 0);\n",
  'packages/d/package.json': { name: 'd', scripts: { build: 'tsc' } },
};

describe('a workspace monorepo', () => {
  it('runs each package with tests in its folder, ids under the folder', slow, async () => {
    const runner = await detect(MONOREPO);
    expect(runner.describe).toBe(
      'vitest (packages/a), node:test (packages/b), the `test` script (packages/c) run as it is (exit status only: a weaker check), via `pnpm test`',
    );
    expect(runner).toMatchObject({ supportsRelated: true, weak: true });
    expect(runner.parts[0]).toMatchObject({
      dir: 'packages/a',
      bin: '../../node_modules/.bin/vitest',
    });

    const full = await run(runner);
    expect(full, full.output).toMatchObject({ status: 'ran', related: false, executed: 3 });
    expect(full.tests).toEqual({
      'packages/a/test/a.test.js > a': 'pass',
      'packages/b/test/b.test.js > b': 'pass',
      'packages/c/package.json > scripts.test': 'pass',
    });

    // A change in b runs b's tests only: the package that owns the file.
    const related = await run(runner, { related: ['packages/b/src/b.js'] });
    expect(related, related.output).toMatchObject({
      status: 'ran',
      related: true,
      files: ['packages/b/test/b.test.js'],
      tests: { 'packages/b/test/b.test.js > b': 'pass' },
    });
    expect(compareTestRuns([full, full], related).ok).toBe(true);

    // A change in a runs vitest's related tests there.
    const inA = await run(runner, { related: ['packages/a/src/a.js'] });
    expect(inA.tests).toEqual({ 'packages/a/test/a.test.js > a': 'pass' });

    // Re-running failing tests: only the files asked for, a script by its package.json.
    const rerun = await run(runner, {
      testFiles: ['packages/a/test/a.test.js', 'packages/c/package.json'],
    });
    expect(rerun.tests).toEqual({
      'packages/a/test/a.test.js > a': 'pass',
      'packages/c/package.json > scripts.test': 'pass',
    });
    expect(rerun.related).toBe(true);

    // A script that starts failing is a new failure, as a test is.
    await fixture?.write('packages/c/broken', '');
    const broken = await run(runner);
    expect(compareTestRuns([full, full], broken)).toMatchObject({
      ok: false,
      newFailures: ['packages/c/package.json > scripts.test'],
    });
  });

  it(
    'runs npm workspaces packages with mocha and ava when the root has no test script',
    slow,
    async () => {
      // AVA titles a test by its file only when there are several: `packages/v > v` here.
      const runner = await detect({
        'package.json': { private: true, workspaces: { packages: ['packages/*'] } },
        'packages/m/package.json': { name: 'm', scripts: { test: 'mocha test/*.spec.cjs' } },
        'packages/m/test/m.spec.cjs': "it('m', () => {});\n",
        'packages/v/package.json': { name: 'v', type: 'module', scripts: { test: 'ava' } },
        'packages/v/test.js': "import test from 'ava';\ntest('v', (t) => t.pass());\n",
      });
      expect(runner.describe).toBe('mocha (packages/m), ava (packages/v), via `npm test`');
      const result = await run(runner);
      expect(result, result.output).toMatchObject({
        status: 'ran',
        tests: { 'packages/m/test/m.spec.cjs > m': 'pass', 'packages/v > v': 'pass' },
      });
    },
  );

  it("reports a package's runner that is not installed, naming the package", async () => {
    fixture = await createFixture(
      {
        'package.json': {
          private: true,
          workspaces: ['packages/*'],
          scripts: { test: 'npm test --workspaces' },
        },
        'packages/a/package.json': { name: 'a', scripts: { test: 'jest' } },
      },
      { nodeModules: false },
    );
    expect(await detectTestRunner(fixture.root)).toEqual({
      reason:
        'jest runs the tests in packages/a, but node_modules/.bin/jest is missing: a runner we cannot start (are the dependencies installed?)',
    });
  });
});

describe('a script run as it is', () => {
  it(
    'compares its exit status, with node_modules/.bin on PATH, as one weak test',
    slow,
    async () => {
      const runner = await detect({
        'package.json': {
          scripts: { test: 'npm run build && tsx scripts/check.ts', build: 'true' },
        },
        'scripts/check.ts': [
          "import { readFileSync } from 'node:fs';",
          "const source: string = readFileSync('src/label.js', 'utf8');",
          "if (!source.includes('a:')) { console.error('Error: label lost its prefix'); process.exit(1); }",
          '',
        ].join('\n'),
        'src/label.js': "export const label = (x) => 'a:' + x;\n",
      });
      expect(runner).toMatchObject({
        weak: true,
        supportsRelated: false,
        describe: 'the `test` script run as it is (exit status only: a weaker check)',
        parts: [{ kind: 'script', dir: '', command: 'npm run build && tsx scripts/check.ts' }],
      });
      const baseline = await run(runner);
      expect(baseline, baseline.output).toMatchObject({
        status: 'ran',
        executed: 1,
        tests: { 'package.json > scripts.test': 'pass' },
      });
      await fixture?.write('src/label.js', "export const label = (x) => 'b:' + x;\n");
      const after = await run(runner);
      expect(after.tests).toEqual({ 'package.json > scripts.test': 'fail' });
      expect(after.lastWords).toBe('Error: label lost its prefix');
      expect(compareTestRuns([baseline, baseline], after).newFailures).toEqual([
        'package.json > scripts.test',
      ]);
    },
  );

  it('runs pnpm regex scripts through a stand-in where pnpm is not installed', slow, async () => {
    const runner = await detect({
      'package.json': {
        packageManager: 'pnpm@10.0.0',
        scripts: {
          test: 'pnpm lint && pnpm run "/^check:/"',
          lint: 'node -e "0"',
          'check:a': 'node check.js a',
          'check:b': 'node check.js b -- --extra',
        },
      },
      'check.js': [
        "const { appendFileSync, existsSync } = require('node:fs');",
        "appendFileSync('ran.txt', process.argv.slice(2).join(' ') + '\\n');",
        "if (existsSync('broken-' + process.argv[2])) { console.error('Error: check ' + process.argv[2] + ' failed'); process.exit(1); }",
        '',
      ].join('\n'),
    });
    expect(runner.describe).toBe(
      'the `test` script run as it is (exit status only: a weaker check)',
    );
    const baseline = await run(runner);
    expect(baseline, baseline.output).toMatchObject({
      status: 'ran',
      tests: { 'package.json > scripts.test': 'pass' },
    });
    expect(fixture?.read('ran.txt')).toBe('a\nb -- --extra\n');
    await fixture?.write('broken-b', '');
    const after = await run(runner);
    expect(after.tests).toEqual({ 'package.json > scripts.test': 'fail' });
    expect(after.lastWords).toBe('Error: check b failed');
  });

  it('keeps a hostile script in the sandbox: no secrets, no writes outside', slow, async () => {
    const outside = await mkdtemp(path.join('/var/tmp', 'beast-detect-outside-'));
    try {
      const runner = await detect({
        'package.json': {
          scripts: {
            test: `env > seen.txt; echo pwned > ${outside}/pwned.txt; cat ${outside}/../../etc/hostname >/dev/null; exit 0`,
          },
        },
      });
      process.env.BEAST_DETECT_SECRET = 'detect-secret-value';
      try {
        expect((await run(runner)).status).toBe('ran');
      } finally {
        delete process.env.BEAST_DETECT_SECRET;
      }
      expect(existsSync(path.join(outside, 'pwned.txt'))).toBe(false);
      const seen = fixture?.read('seen.txt') ?? '';
      expect(seen).toMatch(/^CI=1$/m);
      expect(seen).not.toContain('detect-secret-value');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('the Node to run with', () => {
  it('starts the runner with the given Node, first on the tests’ PATH', slow, async () => {
    const runner = await detect({
      'package.json': { scripts: { test: 'node --test' } },
      'path.test.js': nodeTest(
        'path',
        "require('node:fs').writeFileSync('seen-path.txt', process.env.PATH.split(':')[0]);",
      ),
      // A Node of the repository's own: a wrapper that leaves a mark, inside the repository so
      // that the sandbox shows it.
      'node-dist/bin/node': `#!/bin/sh\necho used > "$PWD/node-used.txt"\nexec "${process.execPath}" "$@"\n`,
    });
    const node = path.join(fixture?.root ?? '', 'node-dist/bin/node');
    await chmod(node, 0o755);
    const result = await run(runner, { node });
    expect(result, result.output).toMatchObject({
      status: 'ran',
      tests: { 'path.test.js > path': 'pass' },
    });
    expect(fixture?.read('node-used.txt')).toBe('used\n');
    expect(fixture?.read('seen-path.txt')).toBe(path.dirname(node));
  });
});

describe('beast improve on a workspace monorepo', () => {
  it('runs the packages’ tests and says which', async () => {
    const nodeTestFile = (from: string) =>
      [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        `import { label } from '${from}';`,
        "test('label', () => assert.equal(label('x'), 'a:x'));",
        '',
      ].join('\n');
    const repo = await makeRepo({
      'package.json': JSON.stringify({
        private: true,
        workspaces: ['packages/*'],
        scripts: { test: 'npm test --workspaces --if-present' },
      }),
      'packages/a/package.json': JSON.stringify({
        name: 'a',
        type: 'module',
        scripts: { test: 'node --test' },
      }),
      'packages/a/src/label.js':
        "let prefix = 'a';\nexport const label = (name) => prefix + ':' + name;\n",
      'packages/a/test/label.test.js': nodeTestFile('../src/label.js'),
      'packages/b/package.json': JSON.stringify({
        name: 'b',
        type: 'module',
        scripts: { test: 'node --test' },
      }),
      'packages/b/test/b.test.js': nodeTestFile('../../a/src/label.js'),
    });
    const home = await mkdtemp(path.join(tmpdir(), 'beast-detect-state-'));
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.checks.find((c) => c.name === 'tests')).toMatchObject({
      ran: true,
      detail: expect.stringMatching(
        /^node:test \(packages\/a\), node:test \(packages\/b\), via `npm test`, 2 tests executed in one baseline run, related tests per batch/,
      ) as unknown,
    });
    expect(report.status).toBe('delivered');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 180_000);
});
