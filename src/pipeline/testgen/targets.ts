import path from 'node:path';
import { InputError } from '../../core/index.js';
import { ratio, type CoverageRun, type FileCoverage } from '../../fixes/index.js';

/**
 * Which source files `beast tests` works on: the given files and folders, else the least-covered
 * source files under the line-coverage target, most uncovered lines first.
 */

/** A file worth no generated test: configuration and declarations, whatever folder they are in. */
const NOT_A_TARGET = [
  /\.d\.[cm]?ts$/,
  /(^|\/)[^/]*\.config\.[cm]?[jt]sx?$/,
  /(^|\/)\.[^/]*rc\.[cm]?[jt]s$/,
  /(^|\/)(gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$/i,
];

/** Whether `file` (root-relative) is configuration or a declaration file, never a target. */
export function isConfigFile(file: string): boolean {
  return NOT_A_TARGET.some((pattern) => pattern.test(file));
}

export interface TargetInput {
  /** Source files of the repository (tests, fixtures and declarations already left out). */
  sources: readonly string[];
  /** Root-relative files or folders the user named; empty: choose by coverage. */
  paths: readonly string[];
  coverage: CoverageRun;
  /** Line coverage (0..1) at or above which a file is left alone. */
  target: number;
  maxFiles: number;
}

export interface Target {
  file: string;
  coverage: FileCoverage | undefined;
  /** Lines of `file` the suite leaves uncovered. */
  uncovered: number;
}

export interface TargetChoice {
  targets: Target[];
  /** Files named or found but left alone, with the reason. */
  skipped: string[];
}

function normalise(p: string): string {
  const posix = p.split(path.sep).join('/');
  const clean = path.posix.normalize(posix).replace(/\/+$/, '');
  return clean === '.' ? '' : clean.replace(/^\.\//, '');
}

/** The source files a named path stands for: itself, or those under the folder. */
function expand(named: string, sources: readonly string[]): string[] {
  const p = normalise(named);
  if (p.startsWith('..') || path.posix.isAbsolute(p)) {
    throw new InputError(`${named} is outside the repository`);
  }
  if (sources.includes(p)) return [p];
  const prefix = p === '' ? '' : `${p}/`;
  const under = sources.filter((f) => f.startsWith(prefix));
  if (under.length > 0) return under;
  throw new InputError(
    `${named}: no source file to test there (tests, fixtures, declarations and config files are not targets)`,
  );
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * Pure: the files to generate tests for, in order, at most `maxFiles`. Files already at or above
 * the target, and files with no line to cover (types only), are skipped with the reason.
 */
export function chooseTargets(input: TargetInput): TargetChoice {
  const sources = input.sources.filter((f) => !isConfigFile(f));
  const named = input.paths.length > 0;
  const candidates = named
    ? [...new Set(input.paths.flatMap((p) => expand(p, sources)))]
    : [...sources];
  const skipped: string[] = [];
  const chosen: Target[] = [];
  let unmeasured = 0;
  for (const file of candidates) {
    const coverage = input.coverage.files[file];
    if (coverage === undefined) {
      // Not measured (the runner does not load it): every line is uncovered, if it has any.
      if (named) chosen.push({ file, coverage: undefined, uncovered: Number.POSITIVE_INFINITY });
      else unmeasured++;
      continue;
    }
    if (coverage.lines.total === 0) {
      if (named) skipped.push(`${file}: no line to cover`);
      continue;
    }
    const lines = ratio(coverage.lines);
    if (lines >= input.target) {
      if (named) {
        skipped.push(
          `${file}: line coverage ${percent(lines)} is already at or above the target ${percent(input.target)}`,
        );
      }
      continue;
    }
    chosen.push({ file, coverage, uncovered: coverage.lines.total - coverage.lines.covered });
  }
  if (unmeasured > 0)
    skipped.push(`${unmeasured} source file(s) with no coverage measured left alone`);
  chosen.sort((a, b) => b.uncovered - a.uncovered || a.file.localeCompare(b.file));
  const targets = chosen.slice(0, input.maxFiles);
  const left = chosen.length - targets.length;
  if (left > 0)
    skipped.push(
      `${left} more file(s) under the target left for a later run (--max-files ${input.maxFiles})`,
    );
  return { targets, skipped };
}

/**
 * A test file name that is free: `testPath` itself, else `x.beast.test.ts`, `x.beast-2.test.ts`…
 * (the suffix goes before the style's infix and extension, so the runner still finds it).
 */
export function freeTestPath(
  testPath: string,
  suffix: { infix: string; extension: string },
  taken: (file: string) => boolean,
): string {
  if (!taken(testPath)) return testPath;
  const ending = `${suffix.infix}${suffix.extension}`;
  const stem = testPath.endsWith(ending)
    ? testPath.slice(0, -ending.length)
    : testPath.slice(0, -path.posix.extname(testPath).length);
  const tail = testPath.endsWith(ending) ? ending : path.posix.extname(testPath);
  for (let n = 1; ; n++) {
    const candidate = `${stem}.beast${n === 1 ? '' : `-${n}`}${tail}`;
    if (!taken(candidate)) return candidate;
  }
}
