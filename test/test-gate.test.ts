import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  detectTestRunner,
  measureCoverage,
  runTests,
  type CoverageRun,
  type TestRunnerInfo,
  type TestStyle,
} from '../src/fixes/index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from '../src/fixes/gate/testing.js';
import {
  gateTests,
  type CandidateTest,
  type TestGateContext,
  type TestVerdict,
} from '../src/pipeline/testgen/index.js';

/**
 * The test gate end to end: real repositories in temporary folders, their real runners (vitest,
 * node:test, mocha), the baseline from a real run, and generated test files that each fail one
 * check of the funnel.
 */

const slow = { timeout: RUN_TIMEOUT_MS * 20 };

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

/** The code under test: small, so that every mutant of it is tried. */
const MATH = `export function add(a, b) {
  return a + b;
}

export function clamp(x, lo, hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}

export function hourOf(ms) {
  return new Date(ms).getHours();
}

export const settings = { scale: 1 };

export function scaled(x) {
  return x * settings.scale;
}
`;

function zeroTotals(): CoverageRun['totals'] {
  const zero = { covered: 0, total: 0 };
  return { statements: zero, branches: zero, functions: zero, lines: zero };
}

/** The baseline's coverage, or a run that says why it was not measured. */
async function baselineCoverage(info: TestRunnerInfo, root: string): Promise<CoverageRun> {
  try {
    return await measureCoverage(info, { cwd: root, timeoutMs: RUN_TIMEOUT_MS });
  } catch (error) {
    const how = error instanceof Error ? error.message : String(error);
    return { status: 'not-run', how, files: {}, totals: zeroTotals(), run: undefined };
  }
}

async function contextFor(
  files: Record<string, string | object>,
  style: Pick<TestStyle, 'runner' | 'extension' | 'assertions'>,
  extra: Partial<TestGateContext> = {},
): Promise<{ context: TestGateContext; progress: string[] }> {
  fixture = await createFixture(files);
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  const info = detected.runner;
  const baselineRun = await runTests(info, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS });
  expect(baselineRun.status, baselineRun.output).toBe('ran');
  expect(baselineRun.failed, baselineRun.output).toBe(0);
  const progress: string[] = [];
  const context: TestGateContext = {
    root: fixture.root,
    info,
    style: {
      packageDir: '',
      placement: { kind: 'folder', dir: 'test', mirror: false },
      infix: '.test',
      module: 'esm',
      importExtension: '.js',
      globals: false,
      example: undefined,
      ...style,
    },
    baselineRun,
    baselineCoverage: await baselineCoverage(info, fixture.root),
    timeoutMs: RUN_TIMEOUT_MS,
    typecheck: false,
    onProgress: (line) => progress.push(line),
    ...extra,
  };
  return { context, progress };
}

function candidate(file: string, content: string): CandidateTest {
  return { file, content, target: 'src/math.js', model: 'test:fixture', attempt: 1 };
}

function byFile(verdicts: readonly TestVerdict[], file: string): TestVerdict {
  const verdict = verdicts.find((v) => v.file === file);
  if (verdict === undefined) throw new Error(`no verdict for ${file}`);
  return verdict;
}

const VITEST_HEADER =
  "import { expect, it } from 'vitest';\nimport { clamp, hourOf } from '../src/math.js';\n";

describe('gateTests on vitest', () => {
  it(
    'keeps a good case, prunes a flaky, a time-zone-dependent and a trivial one, and rejects a test that does not type-check',
    slow,
    async () => {
      const { context, progress } = await contextFor(
        {
          'package.json': { type: 'module', scripts: { test: 'vitest run' } },
          'tsconfig.json': {
            compilerOptions: {
              strict: true,
              target: 'es2022',
              module: 'esnext',
              moduleResolution: 'bundler',
              allowJs: true,
              noEmit: true,
              skipLibCheck: true,
            },
            // The tests are outside the project's include: the gate checks them all the same.
            include: ['src'],
          },
          'src/math.js': MATH,
          // The suite runs clamp's lines but never checks what clamp returns below the range.
          'test/math.test.js': `import { expect, it } from 'vitest';
import { add, clamp, scaled } from '../src/math.js';
it('adds', () => { expect(add(1, 2)).toBe(3); });
it('clamps inside the range', () => { expect(clamp(5, 0, 10)).toBe(5); clamp(-1, 0, 10); clamp(11, 0, 10); });
it('scales', () => { expect(scaled(2)).toBe(2); });
`,
        },
        { runner: 'vitest', extension: '.js', assertions: 'expect' },
        { typecheck: true },
      );
      const target = readFileSync(path.join(context.root, 'src/math.js'));
      const good = `${VITEST_HEADER}import { existsSync, writeFileSync } from 'node:fs';

it('clamps below the range', () => {
  expect(clamp(-5, 0, 10)).toBe(0);
});

it('draws a random number', () => {
  // Passes on its first run, then fails four times in five.
  const first = !existsSync('flaky-seen');
  writeFileSync('flaky-seen', '');
  expect(first ? 0 : Math.random()).toBeLessThan(0.2);
});

it('is true', () => {
  expect(true).toBe(true);
});
`;
      const zoned = `${VITEST_HEADER}
it('knows the hour of the epoch', () => {
  expect(hourOf(0)).toBe(0);
});

it('prints a number', () => {
  expect(clamp(1234.5, 0, 2000).toLocaleString()).toBe('1,234.5');
});
`;
      const typed = `${VITEST_HEADER}
it('clamps above the range', () => {
  const wrong: number = 'three';
  expect(clamp(15, 0, 10)).toBe(10);
  void wrong;
});
`;
      const result = await gateTests(context, [
        candidate('test/clamp-gen.test.js', good),
        candidate('test/hour-gen.test.js', zoned),
        candidate('test/typed-gen.test.ts', typed),
      ]);
      const log = progress.join('\n');

      const kept = byFile(result.verdicts, 'test/clamp-gen.test.js');
      expect(kept, log).toMatchObject({
        kept: true,
        stage: 'kept',
        reason: undefined,
        funnel: { generated: 3, built: 3, passed: 3, stable: 2, useful: 1, kept: 1 },
      });
      expect(kept.content).toContain("it('clamps below the range'");
      expect(kept.content).not.toContain('draws a random number');
      expect(kept.content).not.toContain("it('is true'");
      // The imports only the pruned flaky case used went with it.
      expect(kept.content).not.toContain('node:fs');
      expect(readFileSync(path.join(context.root, 'test/clamp-gen.test.js'), 'utf8')).toBe(
        kept.content,
      );
      expect(log).toMatch(
        /pruned 1 case\(s\): stable: failed in run \d of 5 alone: draws a random number/,
      );
      expect(log).toMatch(
        /pruned 1 case\(s\): asserts: is true asserts nothing that comes from src\/math\.js/,
      );
      // It adds no coverage (the suite runs every line of clamp): its worth is the mutant it
      // kills that the suite lets live, \`return lo\` → \`return undefined\`.
      expect(kept.mutants.killedOnlyByNew).toBeGreaterThan(0);
      expect(log).toMatch(
        /mutant line 6: lo → undefined: killed only by the new file \(clamps below the range\)/,
      );

      const zonedVerdict = byFile(result.verdicts, 'test/hour-gen.test.js');
      expect(zonedVerdict, log).toMatchObject({
        kept: false,
        stage: 'passed',
        content: undefined,
        funnel: { generated: 2, built: 2, passed: 2, stable: 0, useful: 0, kept: 0 },
      });
      expect(zonedVerdict.reason).toMatch(
        /^stable: fails under TZ=Pacific\/Chatham LANG=de_DE\.UTF-8: /,
      );
      expect(existsSync(path.join(context.root, 'test/hour-gen.test.js'))).toBe(false);

      const typedVerdict = byFile(result.verdicts, 'test/typed-gen.test.ts');
      expect(typedVerdict, log).toMatchObject({
        kept: false,
        stage: 'generated',
        funnel: { generated: 1, built: 0, kept: 0 },
      });
      expect(typedVerdict.reason).toMatch(/^type-check: test\/typed-gen\.test\.ts:5 TS2322 /);

      expect(result.funnel).toEqual({
        generated: 6,
        built: 5,
        passed: 5,
        stable: 2,
        useful: 1,
        kept: 1,
      });
      // vitest shuffles the whole suite.
      expect(result.skipped.filter((line) => line.startsWith('shuffled order'))).toEqual([]);
      // Every mutant was written back: the target's bytes are as before.
      expect(readFileSync(path.join(context.root, 'src/math.js')).equals(target)).toBe(true);
      expect(existsSync(path.join(context.root, 'tsconfig.beast-test-gate.json'))).toBe(false);
    },
  );
});

const NODE_HEADER =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { clamp } from '../src/math.js';\n";

const NODE_FILES = {
  'package.json': { type: 'module', scripts: { test: 'node --test test/' } },
  'src/math.js': MATH,
  'test/math.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clamp } from '../src/math.js';
test('clamps inside the range', () => { assert.equal(clamp(5, 0, 10), 5); clamp(-1, 0, 10); });
`,
};

describe('gateTests on node:test', () => {
  it(
    'keeps a test that raises coverage, and one that adds none but kills a mutant the suite lets live',
    slow,
    async () => {
      const { context, progress } = await contextFor(NODE_FILES, {
        runner: 'node:test',
        extension: '.js',
        assertions: 'node:assert',
      });
      const baseline = context.baselineCoverage;
      expect(baseline.status, baseline.how).toBe('measured');
      const target = readFileSync(path.join(context.root, 'src/math.js'));
      // The suite runs clamp's line 6 both ways but never checks `return lo`.
      const clampTest = `${NODE_HEADER}
test('clamps below the range', () => {
  assert.equal(clamp(-5, 0, 10), 0);
});

test('compares constants', () => {
  assert.equal(1, 1);
});
`;
      const hourTest = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hourOf } from '../src/math.js';

test('gives an hour', () => {
  assert.equal(typeof hourOf(0), 'number');
});
`;
      const result = await gateTests(context, [
        candidate('test/clamp-gen.test.js', clampTest),
        candidate('test/hour-gen.test.js', hourTest),
      ]);
      const log = progress.join('\n');
      const clamp = byFile(result.verdicts, 'test/clamp-gen.test.js');
      expect(clamp, log).toMatchObject({
        kept: true,
        funnel: { generated: 2, built: 2, passed: 2, stable: 2, useful: 1, kept: 1 },
      });
      expect(clamp.content).not.toContain('compares constants');
      expect(clamp.mutants.killedOnlyByNew).toBeGreaterThan(0);
      expect(log).toMatch(
        /clamp-gen\.test\.js: mutant line 6: lo → undefined: killed only by the new file/,
      );
      // Mutants of lines the suite never runs are not tried (line 12: hourOf).
      expect(log).not.toMatch(/clamp-gen\.test\.js: mutant line 12/);

      const hour = byFile(result.verdicts, 'test/hour-gen.test.js');
      expect(hour, log).toMatchObject({ kept: true, mutants: { tried: 0, killedOnlyByNew: 0 } });
      expect(hour.after?.lines.covered).toBeGreaterThan(hour.before?.lines.covered ?? 0);
      expect(hour.after?.uncoveredLines).not.toContain(12);

      expect(result.coverageAfter?.status).toBe('measured');
      expect(result.coverageAfter?.totals.lines.covered).toBeGreaterThan(
        baseline.totals.lines.covered,
      );
      expect(readFileSync(path.join(context.root, 'src/math.js')).equals(target)).toBe(true);
    },
  );

  it('restores the target when the gate is stopped among the mutants', slow, async () => {
    const controller = new AbortController();
    const { context } = await contextFor(
      NODE_FILES,
      { runner: 'node:test', extension: '.js', assertions: 'node:assert' },
      { signal: controller.signal },
    );
    context.onProgress = (line) => {
      if (line.includes(': mutant ')) controller.abort();
    };
    const target = readFileSync(path.join(context.root, 'src/math.js'));
    const content = `${NODE_HEADER}
test('clamps below the range', () => {
  assert.equal(clamp(-5, 0, 10), 0);
});
`;
    await expect(
      gateTests(context, [candidate('test/clamp-gen.test.js', content)]),
    ).rejects.toThrow(/abort/i);
    expect(readFileSync(path.join(context.root, 'src/math.js')).equals(target)).toBe(true);
    expect(existsSync(path.join(context.root, 'test/clamp-gen.test.js'))).toBe(false);
  });

  it('rejects a candidate whose path leaves the repository', async () => {
    const context = { root: '/nonexistent' } as TestGateContext;
    await expect(
      gateTests(context, [{ ...candidate('../outside.test.js', ''), target: 'src/math.js' }]),
    ).rejects.toThrow(
      'gateTests: the test file ../outside.test.js is not a path inside the repository',
    );
  });
});

describe('gateTests on mocha', () => {
  it(
    'rejects a test that leaks global state and breaks another test of the suite',
    slow,
    async () => {
      const { context, progress } = await contextFor(
        {
          'package.json': { type: 'module', scripts: { test: 'mocha' } },
          'src/math.js': MATH,
          'test/math.test.js': `import assert from 'node:assert/strict';
import { scaled } from '../src/math.js';
it('scales by one', () => { assert.equal(scaled(2), 2); });
`,
        },
        { runner: 'mocha', extension: '.js', assertions: 'node:assert' },
      );
      // Mocha loads every file into one process before it runs a test: the scale this file sets
      // when it loads holds for every test of the suite, whatever the order of the files.
      const content = `import assert from 'node:assert/strict';
import { scaled, settings } from '../src/math.js';
settings.scale = 3;
it('scales by three', () => {
  assert.equal(scaled(2), 6);
});
`;
      const result = await gateTests(context, [candidate('test/a-gen.test.js', content)]);
      const [verdict] = result.verdicts;
      expect(verdict, progress.join('\n')).toMatchObject({
        kept: false,
        stage: 'passed',
        funnel: { generated: 1, built: 1, passed: 1, stable: 0 },
      });
      expect(verdict?.reason).toMatch(
        /^stable: breaks other tests of the suite: 1 new failure\(s\): test\/math\.test\.js > scales by one/,
      );
      expect(existsSync(path.join(context.root, 'test/a-gen.test.js'))).toBe(false);
      expect(result.skipped).toContain(
        'shuffled order: mocha cannot, so the whole suite ran in its usual order',
      );
    },
  );
});
