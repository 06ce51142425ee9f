import type { CoverageTotals, FileCoverage } from '../../src/fixes/index.js';
import { recordTestGenReport, type TestGenReport } from '../../src/pipeline/index.js';
import type { Store } from '../../src/store/index.js';

/* Test-generation reports for tests of what reads stored runs (the API, the dashboard). */

type Funnel = TestGenReport['funnel'];
type TestVerdict = TestGenReport['verdicts'][number];

/**
 * Records `report` as `beast tests` records a run (its generated files' text left out), started
 * at `startedAt`; returns the run's id.
 */
export const recordReport = (
  store: Store,
  root: string,
  startedAt: string,
  report: TestGenReport,
): Promise<number> => recordTestGenReport(store, root, startedAt, report);

const counts = (covered: number, total: number) => ({ covered, total });

function totals(lines: [number, number], branches: [number, number]): CoverageTotals {
  return {
    statements: counts(lines[0] + 2, lines[1] + 3),
    branches: counts(...branches),
    functions: counts(Math.ceil(lines[0] / 4), Math.ceil(lines[1] / 4)),
    lines: counts(...lines),
  };
}

function fileCoverage(
  file: string,
  lines: [number, number],
  branches: [number, number],
): FileCoverage {
  return {
    file,
    ...totals(lines, branches),
    uncoveredLines: Array.from({ length: lines[1] - lines[0] }, (_, i) => i + 1),
    uncoveredFunctions: [],
    uncoveredBranches: [],
  };
}

const funnel = (...n: [number, number, number, number, number, number]): Funnel => ({
  generated: n[0],
  built: n[1],
  passed: n[2],
  stable: n[3],
  useful: n[4],
  kept: n[5],
});

/**
 * A delivered run over two files of `repository`: one test file kept, one stopped at `passed`
 * with the gate's reason, one stopped at `useful`. `seed` varies every figure, so a reader that
 * shows another run's numbers is caught.
 */
export function deliveredReport(repository: string, seed: number): TestGenReport {
  const a = fileCoverage('src/cart.js', [10 + seed, 40], [3, 12 + seed]);
  const aAfter = fileCoverage('src/cart.js', [31 + seed, 40], [9, 12 + seed]);
  const b = fileCoverage('src/format.js', [4, 17 + seed], [1, 6]);
  const verdicts: TestVerdict[] = [
    {
      file: 'test/cart.generated.test.js',
      target: 'src/cart.js',
      model: 'builtin:testgen',
      attempt: 1,
      kept: true,
      stage: 'kept',
      reason: undefined,
      content: `import { test } from 'node:test';\n// the kept cases of seed ${seed}\n`,
      funnel: funnel(7 + seed, 7, 6, 5, 3, 3),
      before: a,
      after: aAfter,
      mutants: { tried: 9, killedOnlyByNew: 2 + seed },
    },
    {
      file: 'test/format.generated.test.js',
      target: 'src/format.js',
      model: 'builtin:testgen',
      attempt: 1,
      kept: false,
      stage: 'passed',
      reason: `stable: failed 1 of 5 runs in isolation (seed ${seed})`,
      content: undefined,
      funnel: funnel(4, 4, 2, 0, 0, 0),
      before: b,
      after: undefined,
      mutants: { tried: 0, killedOnlyByNew: 0 },
    },
    {
      file: 'test/format.generated-2.test.js',
      target: 'src/format.js',
      model: 'builtin:testgen',
      attempt: 2,
      kept: false,
      stage: 'useful',
      reason: 'useful: raised no coverage and killed no mutant',
      content: undefined,
      funnel: funnel(2, 2, 2, 2, 0, 0),
      before: b,
      after: b,
      mutants: { tried: 4, killedOnlyByNew: 0 },
    },
  ];
  return {
    repository,
    status: 'delivered',
    base: `${'a'.repeat(39)}${seed}`,
    branch: `beast/tests-20261207-${seed}`,
    head: `${'b'.repeat(39)}${seed}`,
    runner: 'node:test',
    coverageHow: 'c8 from a temporary copy beside the worktree',
    before: totals([120 + seed, 300], [40, 110 + seed]),
    after: totals([141 + seed * 2, 300], [46 + seed, 110 + seed]),
    files: [
      { file: 'src/cart.js', before: a, after: aAfter },
      { file: 'src/format.js', before: b, after: b },
    ],
    funnel: funnel(13 + seed, 13, 10, 7, 3, 3),
    verdicts,
    skipped: ['type-check: no tsconfig.json'],
    warnings: [],
    durationMs: 61_500 + seed,
  };
}

/** A run that could not measure anything. */
export function notRunReport(repository: string): TestGenReport {
  const zero = totals([0, 0], [0, 0]);
  return {
    repository,
    status: 'not-run',
    reason: 'no test runner we can write for',
    base: 'c'.repeat(40),
    branch: undefined,
    head: undefined,
    runner: 'none',
    coverageHow: 'not measured: no test runner',
    before: { ...zero, statements: counts(0, 0), functions: counts(0, 0) },
    after: zero,
    files: [],
    funnel: funnel(0, 0, 0, 0, 0, 0),
    verdicts: [],
    skipped: [],
    warnings: [],
    durationMs: 900,
  };
}
