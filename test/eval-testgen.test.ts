import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluatePackage,
  isTestPath,
  measureSuite,
  median,
  parseConfig,
  PLACEHOLDER,
  preparePackage,
  renameInPackageJson,
  renamePath,
  renderSection,
  summarise,
  summariseStops,
  type PackageResult,
  type PackageSpec,
} from '../bench/eval-testgen.js';
import { FUNNEL_STAGES, type TestVerdict } from '../src/pipeline/testgen/index.js';
import { detectTestRunner } from '../src/fixes/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-testgen-test-'));
  dirs.push(dir);
  return dir;
}

/** A tiny CommonJS package with its own tests, a dev dependency and a mocha test script. */
async function tinyPackage(): Promise<string> {
  const dir = tempDir();
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'tiny-clamp',
      version: '1.0.0',
      main: 'lib/index.js',
      scripts: { test: 'mocha', prepublish: 'exit 1' },
      devDependencies: { mocha: '^11.0.0' },
    }),
    'lib/index.js': [
      "const { sign } = require('./sign');",
      'function clamp(x, lo, hi) {',
      "  if (typeof x !== 'number') throw new TypeError('x must be a number');",
      '  if (x < lo) return lo;',
      '  if (x > hi) return hi;',
      '  return x;',
      '}',
      'function describe(x) {',
      "  return sign(x) > 0 ? 'positive' : sign(x) < 0 ? 'negative' : 'zero';",
      '}',
      'module.exports = { clamp, describe };',
      '',
    ].join('\n'),
    'lib/sign.js': 'exports.sign = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);\n',
    'lib/unused.js': 'exports.never = function never() {\n  return 42;\n};\n',
    'test/index.test.js': "require('../lib');\n",
    'test/fixtures/data.json': '{}\n',
    'lib/sign.spec.js': "require('./sign');\n",
    'README.md': '```js\nclamp(5, 0, 3) // 3\n```\n',
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

const SPEC = (source: string): PackageSpec => ({
  name: 'tiny-clamp',
  version: '1.0.0',
  entry: ['lib/index.js', 'lib/unused.js'],
  why: 'smoke test',
  path: source,
});

describe('parseConfig', () => {
  it('accepts the checked-in benchmark, with at least 10 pinned packages', () => {
    const json: unknown = JSON.parse(
      readFileSync(new URL('../bench/testgen-packages.json', import.meta.url), 'utf8'),
    );
    const { config, errors } = parseConfig(json);
    expect(errors).toEqual([]);
    expect(config.packages.length).toBeGreaterThanOrEqual(10);
    for (const p of config.packages) {
      expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(p.why).not.toBe('');
    }
    expect(config.dir.startsWith(path.resolve('.'))).toBe(false);
  });

  it.each([
    [{ packages: 'x' }, '`packages` must be a list'],
    [{ packages: [{ version: '1.0.0', entry: ['a.js'] }] }, 'packages[0]: `name` is missing'],
    [{ packages: [{ name: 'a', entry: ['a.js'] }] }, 'a: `version` must pin a version'],
    [{ packages: [{ name: 'a', version: '1.0.0', entry: [] }] }, 'a: `entry` must list'],
    [{ packages: [{ name: 'a', version: '1.0.0', entry: ['../x.js'] }] }, 'inside the package'],
    [
      {
        packages: [
          { name: 'a', version: '1.0.0', entry: ['a.js'] },
          { name: 'a', version: '2.0.0', entry: ['a.js'] },
        ],
      },
      'a: listed twice',
    ],
  ])('rejects %j', (json, error) => {
    const { errors } = parseConfig(json);
    expect(errors.join('; ')).toContain(error);
  });
});

describe('isTestPath', () => {
  it.each([
    ['test/a.js', true],
    ['lib/__tests__/a.js', true],
    ['a.test.js', true],
    ['src/a.spec.ts', true],
    ['test.js', true],
    ['test_input.js', true],
    ['test-api.js', true],
    ['geo-point.spec.js', true],
    ['jest.config.js', true],
    ['.mocharc.yml', true],
    ['lib/index.js', false],
    ['util/tester.js', false],
    ['lib/testing-library.js', false],
    ['contest.js', false],
    ['dist/complex.js', false],
  ])('%s -> %s', (file, expected) => {
    expect(isTestPath(file)).toBe(expected);
  });
});

describe('build folders renamed in the copy', () => {
  const renamed = { dist: 'pkg-dist', build: 'pkg-build' };
  it.each([
    ['dist/complex.js', 'pkg-dist/complex.js'],
    ['./dist/cjs/index.js', './pkg-dist/cjs/index.js'],
    ['build', 'pkg-build'],
    ['distance.js', 'distance.js'],
    ['lib/dist/a.js', 'lib/dist/a.js'],
    ['index.js', 'index.js'],
  ])('%s -> %s', (from, to) => {
    expect(renamePath(from, renamed)).toBe(to);
  });

  it('rewrites every path package.json names, and nothing else', () => {
    expect(
      renameInPackageJson(
        {
          name: 'dist',
          main: './dist/complex.js',
          exports: { '.': { import: './dist/complex.mjs', require: './dist/complex.js' } },
          files: ['dist', 'src'],
          version: '1.0.0',
          private: false,
        },
        renamed,
      ),
    ).toEqual({
      name: 'dist',
      main: './pkg-dist/complex.js',
      exports: { '.': { import: './pkg-dist/complex.mjs', require: './pkg-dist/complex.js' } },
      files: ['pkg-dist', 'src'],
      version: '1.0.0',
      private: false,
    });
  });
});

describe('medians and the section', () => {
  it('medians: odd, even, none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  const funnel = (kept: number) =>
    Object.fromEntries(FUNNEL_STAGES.map((s) => [s, kept + 1])) as PackageResult['funnel'];
  const result = (name: string, s: number, b: number): PackageResult => ({
    name,
    version: '1.0.0',
    why: '',
    status: 'measured',
    removed: 0,
    dependencies: [],
    scope: ['index.js'],
    engine: 'pipeline',
    funnel: funnel(1),
    testFiles: ['test/index.test.js'],
    coverage: {
      istanbul: {
        statements: { covered: s, total: 100 },
        branches: { covered: b, total: 100 },
        functions: { covered: 1, total: 2 },
      },
      statements: { covered: s, total: 100 },
      branches: { covered: b, total: 100 },
      functions: { covered: 1, total: 2 },
      files: [],
      how: 'v8',
      passed: 1,
      failed: 0,
      ms: 1,
    },
    stops: [],
    notes: [],
    prepareMs: 0,
    generateMs: 2000,
  });

  it('summarises over measured packages; a failed one is listed, not counted', () => {
    const failed: PackageResult = {
      ...result('broken', 0, 0),
      status: 'failed',
      failedAt: 'prepare',
      error: 'npm pack failed',
    };
    delete failed.coverage;
    const results = [result('a', 70, 40), result('b', 50, 20), result('c', 65, 36), failed];
    const s = summarise(results);
    expect(s.measured).toBe(3);
    expect(s.statements).toBeCloseTo(0.65);
    expect(s.branches).toBeCloseTo(0.36);
    expect(s.meetsTarget).toBe(true);
    expect(s.funnel.kept).toBe(8);
    const text = renderSection(results, [{ name: 'glob', version: '8.1.0', why: 'walks folders' }]);
    expect(text).toContain(
      '| a@1.0.0 | 1 | 70.0% (70/100) | 40.0% (40/100) | 50.0% | 70.0% | 40.0% | 2 / 2 / 2 / 2 / 2 / 2 | 1 | 2.0 |  |',
    );
    expect(text).toContain('| broken@1.0.0 | 1 | not measured |');
    expect(text).toContain('failed at prepare: npm pack failed');
    expect(text).toContain('**65.0%** | **36.0%**');
    expect(text).toContain('| Nessie (feedback-directed, offline), published | 51.3% | 25.6% |');
    expect(text).toContain('| TestPilot (gpt-3.5-turbo), published | 70.2% | 52.8% |');
    expect(text).toContain('≥ 60.0% (met) | ≥ 35.0% (met)');
    expect(text).toContain('glob@8.1.0 (walks folders)');
    expect(summarise([result('a', 70, 30)]).meetsTarget).toBe(false);
  });

  it('groups why candidates stopped, most frequent first', () => {
    const verdict = (stage: TestVerdict['stage'], reason: string | undefined, kept = false) =>
      ({ stage, reason, kept }) as TestVerdict;
    expect(
      summariseStops([
        verdict('passed', 'fails under TZ=Asia/Tokyo\nstack'),
        verdict('built', 'does not load'),
        verdict('passed', 'fails under TZ=Asia/Tokyo\nother'),
        verdict('kept', undefined, true),
      ]),
    ).toEqual([
      { stage: 'passed', reason: 'fails under TZ=Asia/Tokyo', count: 2 },
      { stage: 'built', reason: 'does not load', count: 1 },
    ]);
  });
});

describe('preparePackage', () => {
  it('copies the package without its tests, with node:test, committed, and finds its scope', async () => {
    const work = tempDir();
    const prepared = await preparePackage(SPEC(await tinyPackage()), work);
    expect(prepared.root).toBe(path.join(work, 'work', 'tiny-clamp@1.0.0'));
    expect(prepared.removed.sort()).toEqual([
      'lib/sign.spec.js',
      'test/fixtures/data.json',
      'test/index.test.js',
    ]);
    // The test folder went whole; the harness's placeholder (loading nothing of the package) is all.
    expect(readdirSync(path.join(prepared.root, 'test'))).toEqual([path.basename(PLACEHOLDER)]);
    expect(readFileSync(path.join(prepared.root, PLACEHOLDER), 'utf8')).not.toMatch(/lib|index/);
    expect(existsSync(path.join(prepared.root, 'README.md'))).toBe(true);
    // What requiring the main loads, plus the entries: the unused file too, never a test.
    expect(prepared.scope).toEqual(['lib/index.js', 'lib/sign.js', 'lib/unused.js']);
    const pkg = JSON.parse(readFileSync(path.join(prepared.root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies?: unknown;
    };
    expect(pkg.scripts).toEqual({ test: 'node --test' });
    expect(pkg.devDependencies).toBeUndefined();
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: prepared.root, encoding: 'utf8' }).trim();
    expect(git('status', '--porcelain')).toBe('');
    expect(git('rev-list', '--count', 'HEAD')).toBe('1');
    expect(git('rev-parse', 'HEAD')).toBe(prepared.base);
    const detected = await detectTestRunner(prepared.root);
    expect(
      'runner' in detected && detected.runner.parts.map((p) => p.kind === 'runner' && p.name),
    ).toEqual(['node:test']);
  });
});

describe('measureSuite', () => {
  it('measures the suite alone over the scope; a file no test loads counts as uncovered', async () => {
    const prepared = await preparePackage(SPEC(await tinyPackage()), tempDir());
    writeFileSync(
      path.join(prepared.root, 'lib', 'clamp.test.js'),
      [
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const { clamp } = require('./index.js');",
        "test('clamps below', () => assert.strictEqual(clamp(-1, 0, 3), 0));",
        '',
      ].join('\n'),
    );
    const none = await measureSuite(prepared.root, prepared.scope, [], 120_000);
    const some = await measureSuite(prepared.root, prepared.scope, ['lib/clamp.test.js'], 120_000);
    expect(some.passed).toBe(1);
    expect(some.failed).toBe(0);
    expect(some.statements.total).toBe(none.statements.total);
    expect(some.statements.covered).toBeGreaterThan(0);
    expect(some.statements.covered).toBeLessThan(some.statements.total);
    expect(some.branches.covered).toBeLessThan(some.branches.total);
    expect(none.statements.covered).toBeLessThan(some.statements.covered);
    // Istanbul, as nyc counts: clamp alone of the four functions; of the 14 branch arms, the
    // number check's else and the `x < lo` arm.
    expect(some.istanbul?.functions).toEqual({ covered: 1, total: 4 });
    expect(some.istanbul?.branches).toEqual({ covered: 2, total: 14 });
    expect(some.istanbul!.statements.covered).toBeGreaterThan(0);
    expect(some.istanbul!.statements.covered).toBeLessThan(some.istanbul!.statements.total);
    expect(none.istanbul?.statements.covered).toBe(0);
    expect(none.istanbul?.statements.total).toBe(some.istanbul?.statements.total);
    const unused = some.files.find((f) => f.file === 'lib/unused.js');
    expect(unused?.statements).toBe(0);
    expect(some.files.map((f) => f.file)).toEqual(prepared.scope);
  });
});

describe('evaluatePackage', () => {
  it('generates with the offline engine alone and measures the kept suite', async () => {
    const lines: string[] = [];
    const result = await evaluatePackage(SPEC(await tinyPackage()), {
      dir: tempDir(),
      timeoutMs: 300_000,
      onProgress: (line) => lines.push(line),
    });
    expect(result.error, lines.join('\n')).toBeUndefined();
    expect(result.status).toBe('measured');
    expect(result.funnel.generated).toBeGreaterThan(0);
    expect(result.funnel.kept).toBeGreaterThan(0);
    expect(result.testFiles.length).toBeGreaterThan(0);
    expect(result.coverage!.failed).toBe(0);
    expect(result.coverage!.passed).toBeGreaterThan(0);
    // clamp's branches are reachable with numbers alone; the unused file is in scope.
    const index = result.coverage!.files.find((f) => f.file === 'lib/index.js');
    expect(index?.statements).toBeGreaterThan(0.5);
    expect(result.coverage!.istanbul!.branches.covered).toBeGreaterThan(0);
    expect(result.scope).toContain('lib/unused.js');
  });
});
