import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  detectTestRunner,
  measureCoverage,
  ratio,
  readIstanbulCoverage,
  runTests,
  type CoverageCounts,
  type CoverageRun,
  type MeasureCoverageOptions,
} from '../src/fixes/index.js';
import {
  OUR_NODE_MODULES,
  RUN_TIMEOUT_MS,
  createFixture,
  type Fixture,
} from '../src/fixes/gate/testing.js';

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
  create: () => Promise<Fixture> = () => createFixture(files),
): Promise<CoverageRun> {
  fixture = await create();
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

/**
 * The CommonJS module read the same way: line 5 (\`function sign(n) {\`, no \`export\` before it)
 * lies wholly in \`sign\`'s range and did not run; line 11 (the exports) ran.
 */
const V8_MATH_CJS = {
  ...V8_MATH_ESM,
  statements: counts(5, 11),
  lines: counts(5, 11),
  uncoveredLines: [5, 6, 7, 8, 9, 10],
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

  it('measures a suite with a failing test too', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { type: 'module', scripts: { test: 'vitest' } },
      'src/math.js': MATH_ESM,
      'test/math.test.js': `${VITEST_TEST}it('fails', () => { expect(add(1, 1)).toBe(3); });\n`,
    });
    expect(run.status, run.how).toBe('measured');
    expect(run.run).toMatchObject({ failed: 1, passed: 1 });
    expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...VITEST_MATH });
  });

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

  it(
    'reads TypeScript run by tsx through the source maps Node recorded',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure({
        'package.json': {
          type: 'module',
          scripts: { test: 'node --import tsx --test test/math.test.ts' },
        },
        'src/math.ts': MATH_TS,
        'test/math.test.ts': NODE_TEST.replace('../src/math.js', '../src/math.ts'),
      });
      expect(run.status, run.how).toBe('measured');
      expect(Object.keys(run.files)).toEqual(['src/math.ts']);
      // As the JavaScript, at the TypeScript's lines; esbuild's \`__name\` helper is not counted,
      // and of V8's blocks only \`add\`'s maps back into the source.
      expect(run.files['src/math.ts']).toEqual({
        file: 'src/math.ts',
        ...V8_MATH_ESM,
        branches: counts(1, 1),
      });
    },
  );

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
    expect(run.files['lib/math.js']).toEqual({ file: 'lib/math.js', ...V8_MATH_CJS });
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

const JEST_CJS_TEST = `const { add } = require('../lib/math.js');
it('adds', () => { expect(add(1, 2)).toBe(3); });
`;

/**
 * A repository whose node_modules has everything of ours but `@vitest/coverage-v8`: a folder of
 * symlinks to our packages, with vitest a copy, so that nothing resolved from where vitest is
 * (its workers import the provider from there) finds our provider.
 */
async function withoutVitestProvider(files: Record<string, string | object>): Promise<Fixture> {
  const made = await createFixture(files, { nodeModules: false });
  const modules = join(made.root, 'node_modules');
  await mkdir(join(modules, '@vitest'), { recursive: true });
  for (const name of await readdir(OUR_NODE_MODULES)) {
    // Runner caches (.vite, .cache) are the fixture's own, as in a real repository: the sandbox
    // mounts them writable, and a mount point cannot be a symlink to a folder it does not show.
    if (name === '@vitest' || name === '.vite' || name === '.cache' || name === '.vite-temp') {
      continue;
    }
    await symlink(join(OUR_NODE_MODULES, name), join(modules, name), 'dir');
  }
  for (const name of await readdir(join(OUR_NODE_MODULES, '@vitest'))) {
    if (name === 'coverage-v8') continue;
    await symlink(join(OUR_NODE_MODULES, '@vitest', name), join(modules, '@vitest', name), 'dir');
  }
  await rm(join(modules, 'vitest'), { force: true });
  await rm(join(modules, '.bin'), { force: true });
  await cp(join(OUR_NODE_MODULES, 'vitest'), join(modules, 'vitest'), { recursive: true });
  await mkdir(join(modules, '.bin'));
  await symlink('../vitest/vitest.mjs', join(modules, '.bin', 'vitest'));
  return made;
}

/**
 * As `withoutVitestProvider`, with vitest a copy of ours that says it is `version`: our own
 * provider no longer matches, so one of that version comes from the registry.
 */
async function withVitestVersion(
  files: Record<string, string | object>,
  version: string,
): Promise<Fixture> {
  const made = await withoutVitestProvider(files);
  const modules = join(made.root, 'node_modules');
  const pkgPath = join(modules, 'vitest', 'package.json');
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as Record<string, unknown>;
  await writeFile(pkgPath, JSON.stringify({ ...pkg, version }));
  return made;
}

describe('measureCoverage on vitest without @vitest/coverage-v8', () => {
  it(
    'loads a temporary copy as a custom provider, and says so',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const files = {
        'package.json': { type: 'module', scripts: { test: 'vitest' } },
        'src/math.js': MATH_ESM,
        'test/math.test.js': VITEST_TEST,
      };
      const run = await measure(files, {}, () => withoutVitestProvider(files));
      expect(run.status, run.how).toBe('measured');
      expect(run.how).toMatch(
        /^vitest run --coverage \(v8, @vitest\/coverage-v8@4\.\d+\.\d+ copied from beast's own into a temporary folder \(the repository has none\)\)$/,
      );
      expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...VITEST_MATH });
      // Nothing was installed into the repository.
      await expect(readdir(join(fixture!.root, 'node_modules', '@vitest'))).resolves.not.toContain(
        'coverage-v8',
      );
    },
  );
});

describe('measureCoverage on vitest of a version we do not have a provider for', () => {
  it(
    'installs that version into a temporary folder from the registry, or says why not',
    { timeout: RUN_TIMEOUT_MS * 4 },
    async () => {
      const files = {
        'package.json': { type: 'module', scripts: { test: 'vitest' } },
        'src/math.js': MATH_ESM,
        'test/math.test.js': VITEST_TEST,
      };
      const run = await measure(files, { timeoutMs: RUN_TIMEOUT_MS * 2 }, () =>
        withVitestVersion(files, '4.1.11'),
      );
      if (run.status === 'measured') {
        expect(run.how).toBe(
          'vitest run --coverage (v8, @vitest/coverage-v8@4.1.11 installed from the registry into a temporary folder (the repository has none))',
        );
        expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...VITEST_MATH });
      } else {
        // Offline: not measured, and why.
        expect(run.how).toMatch(
          /^coverage not measured: vitest: the repository has no @vitest\/coverage-v8, and installing @vitest\/coverage-v8@4\.1\.11 into a temporary folder failed: \S/,
        );
        expect(run.run).toBeUndefined();
      }
      await expect(readdir(join(fixture!.root, 'node_modules', '@vitest'))).resolves.not.toContain(
        'coverage-v8',
      );
    },
  );
});

/** Ten tests that each append their number to `order.txt`, in the given syntax. */
function tenTests(line: (i: number) => string): string {
  return Array.from({ length: 10 }, (_, i) => line(i)).join('\n');
}

async function ranOrder(): Promise<number[]> {
  const text = await readFile(join(fixture!.root, 'order.txt'), 'utf8');
  return text.trim().split(/\s+/).map(Number);
}

const SORTED = Array.from({ length: 10 }, (_, i) => i);

describe('runTests in shuffled order', () => {
  it('shuffles vitest (--sequence.shuffle)', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    fixture = await createFixture({
      'package.json': { type: 'module', scripts: { test: 'vitest' } },
      'test/order.test.js': `import { appendFileSync } from 'node:fs';\nimport { it } from 'vitest';\n${tenTests(
        (i) => `it('t${i}', () => { appendFileSync('order.txt', '${i} '); });`,
      )}\n`,
    });
    const detected = await detectTestRunner(fixture.root);
    if (!('runner' in detected)) throw new Error(detected.reason);
    const fixed = await runTests(detected.runner, { cwd: fixture.root, timeoutMs: RUN_TIMEOUT_MS });
    expect(fixed.order).toBeUndefined();
    expect(await ranOrder()).toEqual(SORTED);
    await fixture.write('order.txt', '');
    const run = await runTests(detected.runner, {
      cwd: fixture.root,
      timeoutMs: RUN_TIMEOUT_MS,
      shuffle: true,
    });
    expect(run).toMatchObject({ status: 'ran', passed: 10, order: 'shuffled' });
    const order = await ranOrder();
    // One chance in 3,628,800 that a shuffle keeps the written order.
    expect([...order].sort((a, b) => a - b)).toEqual(SORTED);
    expect(order).not.toEqual(SORTED);
  });

  it('shuffles jest (--randomize)', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    fixture = await createFixture({
      'package.json': { scripts: { test: 'jest' } },
      'test/order.test.js': `const { appendFileSync } = require('node:fs');\n${tenTests(
        (i) => `it('t${i}', () => { appendFileSync('order.txt', '${i} '); });`,
      )}\n`,
    });
    const detected = await detectTestRunner(fixture.root);
    if (!('runner' in detected)) throw new Error(detected.reason);
    const run = await runTests(detected.runner, {
      cwd: fixture.root,
      timeoutMs: RUN_TIMEOUT_MS,
      shuffle: true,
    });
    expect(run).toMatchObject({ status: 'ran', passed: 10, order: 'shuffled' });
    expect(run.orderNote).toBeUndefined();
    const order = await ranOrder();
    expect([...order].sort((a, b) => a - b)).toEqual(SORTED);
    expect(order).not.toEqual(SORTED);
  });

  it(
    'says mocha cannot, and runs in the written order',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      fixture = await createFixture({
        'package.json': { scripts: { test: 'mocha' } },
        'test/order.spec.js': `const { appendFileSync } = require('node:fs');\n${tenTests(
          (i) => `it('t${i}', () => { appendFileSync('order.txt', '${i} '); });`,
        )}\n`,
      });
      const detected = await detectTestRunner(fixture.root);
      if (!('runner' in detected)) throw new Error(detected.reason);
      const run = await runTests(detected.runner, {
        cwd: fixture.root,
        timeoutMs: RUN_TIMEOUT_MS,
        shuffle: true,
      });
      expect(run).toMatchObject({
        status: 'ran',
        passed: 10,
        order: 'fixed',
        orderNote: 'not shuffled: mocha cannot',
      });
      expect(await ranOrder()).toEqual(SORTED);
    },
  );
});

describe('measureCoverage on jest', () => {
  it('reads its own coverage of CommonJS', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { scripts: { test: 'jest' } },
      'lib/math.js': MATH_CJS,
      'test/math.test.js': JEST_CJS_TEST,
    });
    expect(run.status, run.how).toBe('measured');
    expect(run.how).toBe("jest --coverage (jest's own, its configured provider)");
    expect(Object.keys(run.files)).toEqual(['lib/math.js']);
    // Babel's Istanbul: as vitest's, plus the `module.exports =` statement on line 11, which ran.
    expect(run.files['lib/math.js']).toEqual({
      file: 'lib/math.js',
      ...VITEST_MATH,
      statements: counts(2, 5),
      lines: counts(2, 5),
    });
  });

  it('reads ESM under --experimental-vm-modules', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': {
        type: 'module',
        scripts: { test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js' },
      },
      'src/math.js': MATH_ESM,
      'test/math.test.js': VITEST_TEST.replace("import { expect, it } from 'vitest';\n", ''),
    });
    expect(run.status, run.how).toBe('measured');
    expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...VITEST_MATH });
  });

  it(
    'reports an included file no test loads with 0 covered',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure(
        {
          'package.json': { scripts: { test: 'jest' } },
          'lib/math.js': MATH_CJS,
          'lib/unused.js': MATH_CJS,
          'test/math.test.js': JEST_CJS_TEST,
        },
        { include: ['lib/math.js', 'lib/unused.js'] },
      );
      expect(run.status, run.how).toBe('measured');
      expect(run.how).not.toMatch(/no test loaded/);
      expect(run.files['lib/unused.js']).toMatchObject({
        statements: counts(0, 5),
        functions: counts(0, 2),
      });
    },
  );
});

describe('measureCoverage on mocha and ava', () => {
  it('reads mocha (CommonJS) under NODE_V8_COVERAGE', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const run = await measure({
      'package.json': { scripts: { test: 'mocha' } },
      'lib/math.js': MATH_CJS,
      'test/math.spec.js': `const assert = require('node:assert');
const { add } = require('../lib/math.js');
describe('math', () => { it('adds', () => { assert.equal(add(1, 2), 3); }); });
`,
    });
    expect(run.status, run.how).toBe('measured');
    expect(run.how).toBe('mocha: V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul');
    expect(run.files['lib/math.js']).toEqual({ file: 'lib/math.js', ...V8_MATH_CJS });
  });

  it(
    'reads ava (ESM, worker threads) under NODE_V8_COVERAGE',
    { timeout: RUN_TIMEOUT_MS * 2 },
    async () => {
      const run = await measure({
        'package.json': { type: 'module', scripts: { test: 'ava' } },
        'src/math.js': MATH_ESM,
        'test/math.test.js': `import test from 'ava';
import { add } from '../src/math.js';
test('adds', (t) => { t.is(add(1, 2), 3); });
`,
      });
      expect(run.status, run.how).toBe('measured');
      expect(run.how).toBe('ava: V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul');
      // AVA does not name its test files: they are left out by convention.
      expect(Object.keys(run.files)).toEqual(['src/math.js']);
      expect(run.files['src/math.js']).toEqual({ file: 'src/math.js', ...V8_MATH_ESM });
    },
  );
});

describe('measureCoverage on a workspace', () => {
  it(
    'measures each package with its runner and merges a shared file',
    { timeout: RUN_TIMEOUT_MS * 3 },
    async () => {
      const run = await measure({
        'package.json': { private: true, workspaces: ['packages/*'] },
        'lib/math.cjs': MATH_CJS,
        'packages/a/package.json': { name: 'a', type: 'module', scripts: { test: 'vitest run' } },
        'packages/a/src/math.js': MATH_ESM,
        'packages/a/test/math.test.js': VITEST_TEST,
        'packages/m/package.json': { name: 'm', scripts: { test: 'mocha' } },
        'packages/m/test/add.spec.js': `const assert = require('node:assert');
const { add } = require('../../../lib/math.cjs');
it('adds', () => { assert.equal(add(1, 2), 3); });
`,
        'packages/n/package.json': { name: 'n', scripts: { test: 'node --test' } },
        'packages/n/test/sign.test.js': `const { test } = require('node:test');
const assert = require('node:assert/strict');
const { sign } = require('../../../lib/math.cjs');
test('negative', () => { assert.equal(sign(-1), -1); });
`,
        'packages/c/package.json': { name: 'c', scripts: { test: 'node check.js' } },
        'packages/c/check.js': "console.log('ok');\n",
      });
      expect(run.status, run.how).toBe('measured');
      expect(run.how.split('; ')).toEqual([
        "vitest (packages/a): vitest run --coverage (v8, the repository's own @vitest/coverage-v8)",
        'the `test` script (packages/c): coverage not measured (a script run as it is, no runner we read)',
        'mocha (packages/m): V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul',
        'node:test (packages/n): V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul',
      ]);
      expect(Object.keys(run.files)).toEqual(['lib/math.cjs', 'packages/a/src/math.js']);
      expect(run.files['packages/a/src/math.js']).toMatchObject(VITEST_MATH);
      // mocha ran lines 1-4 and 11 (\`add\`), node:test lines 4-11 (\`sign(-1)\`; v8-to-istanbul
      // counts line 9 as run, as no unrun block spans it whole): merged, every line and function.
      expect(run.files['lib/math.cjs']).toMatchObject({
        lines: counts(11, 11),
        functions: counts(2, 2),
        uncoveredLines: [],
        uncoveredFunctions: [],
      });
      expect(run.totals.functions).toEqual(counts(3, 4));
    },
  );
});

describe('measureCoverage on a workspace with a package that does not run', () => {
  it(
    'measures the others and says which did not run',
    { timeout: RUN_TIMEOUT_MS * 3 },
    async () => {
      const run = await measure({
        'package.json': { private: true, workspaces: ['packages/*'] },
        'packages/a/package.json': { name: 'a', type: 'module', scripts: { test: 'vitest run' } },
        'packages/a/src/math.js': MATH_ESM,
        'packages/a/test/math.test.js': VITEST_TEST,
        'packages/b/package.json': {
          name: 'b',
          type: 'module',
          scripts: { test: 'node --no-such-option --test' },
        },
        'packages/b/src/math.js': MATH_ESM,
        'packages/b/test/math.test.js': NODE_TEST,
      });
      expect(run.status, run.how).toBe('measured');
      expect(run.how).toContain(
        'node:test (packages/b): coverage not measured: its tests did not run (error)',
      );
      expect(Object.keys(run.files)).toEqual(['packages/a/src/math.js']);
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
