import { ValidationError } from '../../core/index.js';
import type { RunTestsOptions, TestRun, TestRunnerInfo } from './test-runner.js';

/**
 * Coverage measured the repository's way: its own runner with coverage on (vitest's v8 provider,
 * jest `--coverage`, V8 coverage read with c8 around mocha, ava and node:test), read back from
 * Istanbul's JSON. Nothing is installed into the repository: a missing coverage tool is taken from
 * a temporary copy beside the worktree, and the run says so.
 */

/** Covered and total of one measure. */
export interface CoverageCounts {
  covered: number;
  total: number;
}

/** The four measures Istanbul reports. */
export interface CoverageTotals {
  statements: CoverageCounts;
  branches: CoverageCounts;
  functions: CoverageCounts;
  lines: CoverageCounts;
}

/** One source file's coverage. */
export interface FileCoverage extends CoverageTotals {
  /** Relative to the repository root, `/` separators. */
  file: string;
  /** 1-based lines holding a statement that never ran, ascending. */
  uncoveredLines: number[];
  /** Functions never called. */
  uncoveredFunctions: { name: string; line: number }[];
  /** Branch arms never taken (`if` arm 1 = the else side, and so on). */
  uncoveredBranches: { line: number; type: string; arm: number }[];
}

/** One coverage run of a repository's suite. */
export interface CoverageRun {
  /** `measured`: a report was read; `not-run`: coverage could not be measured (see `how`). */
  status: 'measured' | 'not-run';
  /**
   * How it was measured, for a person (`vitest run --coverage (v8, the repository's own
   * @vitest/coverage-v8)`, `c8 from a temporary copy beside the worktree`), or why it was not.
   */
  how: string;
  /** Per source file, keyed by its root-relative path; test files are left out. */
  files: Record<string, FileCoverage>;
  /** Sums over `files`. */
  totals: CoverageTotals;
  /** The test run that produced it; undefined when the runner could not start. */
  run: TestRun | undefined;
}

export interface MeasureCoverageOptions extends RunTestsOptions {
  /**
   * Source files to report, relative to `cwd`: a file no test loads is reported with 0 covered,
   * as Istanbul's `all` does. Every file the runner loaded when absent.
   */
  include?: readonly string[];
}

/** Fraction covered, 0..1; 1 when there is nothing to cover. */
export function ratio(counts: CoverageCounts): number {
  return counts.total === 0 ? 1 : counts.covered / counts.total;
}

/** Runs the repository's tests with coverage on and reads per-file coverage back. */
export function measureCoverage(
  info: TestRunnerInfo,
  options: MeasureCoverageOptions,
): Promise<CoverageRun> {
  void info;
  void options;
  return Promise.reject(new ValidationError('measureCoverage: not built yet'));
}

/**
 * Reads Istanbul's `coverage-final.json` (an object keyed by absolute file path) into per-file
 * coverage keyed by path relative to `cwd`.
 */
export function readIstanbulCoverage(json: unknown, cwd: string): Record<string, FileCoverage> {
  void json;
  void cwd;
  throw new ValidationError('readIstanbulCoverage: not built yet');
}
