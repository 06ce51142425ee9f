import { afterEach, describe, expect, it } from 'vitest';
import {
  detectTestRunner,
  measureCoverage,
  ratio,
  readIstanbulCoverage,
  type CoverageCounts,
  type CoverageRun,
  type MeasureCoverageOptions,
} from '../src/fixes/index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from '../src/fixes/gate/testing.js';

/** Two functions: `add` is tested, `sign` (an `if` and a `?:`) never runs. Lines 1-10. */
const MATH_ESM = `export function add(a, b) {
  return a + b;
}

export function sign(n) {
  if (n < 0) {
    return -1;
  }
  return n === 0 ? 0 : 1;
}
`;

/** The same, CommonJS: lines 1-11, `sign` on lines 5-10. */
const MATH_CJS = `function add(a, b) {
  return a + b;
}

function sign(n) {
  if (n < 0) {
    return -1;
  }
  return n === 0 ? 0 : 1;
}
module.exports = { add, sign };
`;

const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}

export function sign(n: number): -1 | 0 | 1 {
  if (n < 0) {
    return -1;
  }
  return n === 0 ? 0 : 1;
}
`;

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

async function measure(
  files: Record<string, string | object>,
  options: Partial<MeasureCoverageOptions> = {},
): Promise<CoverageRun> {
  fixture = await createFixture(files);
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  return measureCoverage(detected.runner, {
    cwd: fixture.root,
    timeoutMs: RUN_TIMEOUT_MS,
    ...options,
  });
}

const counts = (covered: number, total: number): CoverageCounts => ({ covered, total });

/**
 * What vitest's v8 provider (an AST-based remap) reports for the math module: 4 statements
 * (`return a + b`, the `if`, `return -1`, the last `return`), 1 run; the `if`'s two arms and the
 * `?:`'s two, none taken; `add` of the two functions called.
 */
const VITEST_MATH = {
  statements: counts(1, 4),
  branches: counts(0, 4),
  functions: counts(1, 2),
  lines: counts(1, 4),
  uncoveredLines: [6, 7, 9],
  uncoveredFunctions: [{ name: 'sign', line: 5 }],
  uncoveredBranches: [
    { line: 6, type: 'if', arm: 0 },
    { line: 6, type: 'if', arm: 1 },
    { line: 9, type: 'cond-expr', arm: 0 },
    { line: 9, type: 'cond-expr', arm: 1 },
  ],
};

/**
 * What v8-to-istanbul (c8's reading of raw V8 coverage) reports for the ESM math module: every
 * line is a statement (10); lines 1-5 ran (line 5 is only partly inside `sign`), 6-10 did not;
 * V8's blocks as branches: the module's and `add`'s, both run (`sign` never ran, so V8 has no
 * blocks in it); `add` of the two functions called.
 */
const V8_MATH_ESM = {
  statements: counts(5, 10),
  branches: counts(2, 2),
  functions: counts(1, 2),
  lines: counts(5, 10),
  uncoveredLines: [6, 7, 8, 9, 10],
  uncoveredFunctions: [{ name: 'sign', line: 5 }],
  uncoveredBranches: [],
};

const VITEST_TEST = `import { expect, it } from 'vitest';
import { add } from '../src/math.js';
it('adds', () => { expect(add(1, 2)).toBe(3); });
`;

const NODE_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from '../src/math.js';
test('adds', () => { assert.equal(add(1, 2), 3); });
`;

describe('measureCoverage on vitest', () => {
  it(
    'reads v8 coverage of the tested module, test files left out',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure({
        'package.json': { type: 'module', scripts: { test: 'vitest' } },
        'src/math.js': MATH_ESM,
        'test/math.test.js': VITEST_TEST,
      });
      expect(run.status, run.how).toBe('measured');
      expect(run.how).toBe("vitest run --coverage (v8, the repository's own @vitest/coverage-v8)");
      expect(Object.keys(run.files)).toEqual(['src/math.js']);
      expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...VITEST_MATH });
      expect(run.totals.functions).toEqual(counts(1, 2));
      expect(ratio(run.totals.statements)).toBe(0.25);
      expect(run.run?.executed).toBe(1);
    },
  );

  it('reads TypeScript at its own lines', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { type: 'module', scripts: { test: 'vitest run' } },
      'src/math.ts': MATH_TS,
      'src/math.test.ts': VITEST_TEST.replace('../src/math.js', './math.js'),
    });
    expect(run.status, run.how).toBe('measured');
    expect(Object.keys(run.files)).toEqual(['src/math.ts']);
    expect(run.files['src/math.ts']).toEqual({ file: 'src/math.ts', ...VITEST_MATH });
  });

  it(
    'reports an included file no test loads with 0 covered',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure(
        {
          'package.json': { type: 'module', scripts: { test: 'vitest' } },
          'src/math.js': MATH_ESM,
          'src/unused.js': MATH_ESM,
          'test/math.test.js': VITEST_TEST,
        },
        { include: ['src/math.js', 'src/unused.js'] },
      );
      expect(run.status, run.how).toBe('measured');
      expect(Object.keys(run.files)).toEqual(['src/math.js', 'src/unused.js']);
      expect(run.files['src/unused.js']).toMatchObject({
        statements: counts(0, 4),
        branches: counts(0, 4),
        functions: counts(0, 2),
        uncoveredFunctions: [
          { name: 'add', line: 1 },
          { name: 'sign', line: 5 },
        ],
      });
      expect(run.totals.statements).toEqual(counts(1, 8));
    },
  );

  it('is not a measurement when no test ran', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { type: 'module', scripts: { test: 'vitest' } },
      'src/math.js': MATH_ESM,
      'test/math.test.js': VITEST_TEST.replace("it('adds'", "it.skip('adds'"),
    });
    expect(run.status).toBe('not-run');
    expect(run.how).toMatch(/no test ran \(zero tests executed is not a measurement\)/);
    expect(run.files).toEqual({});
    expect(run.run?.status).toBe('ran');
  });
});

describe('measureCoverage on node:test', () => {
  it('reads NODE_V8_COVERAGE with v8-to-istanbul', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { type: 'module', scripts: { test: 'node --test test/' } },
      'src/math.js': MATH_ESM,
      'test/math.test.js': NODE_TEST,
    });
    expect(run.status, run.how).toBe('measured');
    expect(run.how).toBe('node:test: V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul');
    expect(Object.keys(run.files)).toEqual(['src/math.js']);
    expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...V8_MATH_ESM });
  });

  it('reads CommonJS', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { scripts: { test: 'node --test' } },
      'lib/math.js': MATH_CJS,
      'test/math.test.js': `const { test } = require('node:test');
const assert = require('node:assert/strict');
const { add } = require('../lib/math.js');
test('adds', () => { assert.equal(add(1, 2), 3); });
`,
    });
    expect(run.status, run.how).toBe('measured');
    expect(Object.keys(run.files)).toEqual(['lib/math.js']);
    // As ESM, but line 5 (`function sign(n) {`, no `export` before it) lies wholly in `sign`'s
    // range and did not run; line 11 (the exports) ran.
    expect(run.files['lib/math.js']).toEqual({
      file: 'lib/math.js',
      ...V8_MATH_ESM,
      statements: counts(5, 11),
      lines: counts(5, 11),
      uncoveredLines: [5, 6, 7, 8, 9, 10],
    });
  });

  it(
    'counts an included file no test loads by parsing it',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure(
        {
          'package.json': { type: 'module', scripts: { test: 'node --test test/' } },
          'src/math.js': MATH_ESM,
          'src/unused.js': MATH_ESM,
          'test/math.test.js': NODE_TEST,
        },
        { include: ['src/unused.js'] },
      );
      expect(run.status, run.how).toBe('measured');
      expect(run.how).toMatch(/1 file no test loaded counted as uncovered/);
      // Only what `include` names: math.js ran, but was not asked for.
      expect(Object.keys(run.files)).toEqual(['src/unused.js']);
      expect(run.files['src/unused.js']).toMatchObject({
        statements: counts(0, 10),
        functions: counts(0, 2),
        uncoveredLines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        uncoveredFunctions: [
          { name: 'add', line: 1 },
          { name: 'sign', line: 5 },
        ],
      });
    },
  );

  it(
    'is not a measurement when the runner cannot start',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure({
        'package.json': { type: 'module', scripts: { test: 'node --no-such-option --test test/' } },
        'src/math.js': MATH_ESM,
        'test/math.test.js': NODE_TEST,
      });
      expect(run.status).toBe('not-run');
      expect(run.how).toMatch(/^coverage not measured: the tests did not run: /);
    },
  );
});

describe('readIstanbulCoverage through the index', () => {
  it('keys files by path from the root, workspace packages and their tests too', () => {
    const data = (path: string) => ({
      path,
      statementMap: { '0': { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } } },
      s: { '0': 0 },
      fnMap: {},
      f: {},
      branchMap: {},
      b: {},
    });
    const files = readIstanbulCoverage(
      {
        '/repo/packages/a/src/x.js': data('/repo/packages/a/src/x.js'),
        '/repo/packages/a/test/x.js': data('/repo/packages/a/test/x.js'),
      },
      '/repo',
    );
    expect(Object.keys(files)).toEqual(['packages/a/src/x.js']);
    expect(files['packages/a/src/x.js']?.uncoveredLines).toEqual([1]);
    expect(files['packages/a/src/x.js']?.functions).toEqual(counts(0, 0));
  });
});
