import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import libCoverage, { type CoverageMap, type FileCoverageData } from 'istanbul-lib-coverage';
import { ValidationError } from '../../core/index.js';
import { isTestOrToolFile } from './coverage-files.js';
import { prepareVitestProvider } from './coverage-provider.js';
import { readV8Coverage, relativeTo } from './coverage-v8.js';
import { zeroCoverage } from './coverage-zero.js';
import { RUNNERS } from './runners/index.js';
import { RUN_TITLE } from './runners/report.js';
import {
  partCoverageDir,
  runTests,
  type RunTestsOptions,
  type TestPart,
  type TestRun,
  type TestRunnerInfo,
} from './test-runner.js';

/**
 * Coverage measured the repository's way: its own runner with coverage on (vitest's v8 provider,
 * jest `--coverage`, `NODE_V8_COVERAGE` read with v8-to-istanbul, as c8 does, around mocha, ava
 * and node:test), read back from Istanbul's JSON. Nothing is installed into the repository: a
 * missing `@vitest/coverage-v8` is taken from a temporary copy, and the run says so.
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
   * @vitest/coverage-v8)`, `mocha: V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul`, a
   * provider taken from a temporary copy), or why it was not (`coverage not measured: ...`).
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
  /**
   * A suite that ran cleanly but holds no test: with `zero`, every `include`d file is reported
   * uncovered (test generation's starting point in a repository without tests); by default zero
   * tests executed is not a measurement.
   */
  emptySuite?: 'zero';
}

/** Fraction covered, 0..1; 1 when there is nothing to cover. */
export function ratio(counts: CoverageCounts): number {
  return counts.total === 0 ? 1 : counts.covered / counts.total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ZERO: CoverageCounts = { covered: 0, total: 0 };

function emptyTotals(): CoverageTotals {
  return {
    statements: { ...ZERO },
    branches: { ...ZERO },
    functions: { ...ZERO },
    lines: { ...ZERO },
  };
}

const MEASURES = ['statements', 'branches', 'functions', 'lines'] as const;

/** Sums of the four measures over files. Pure. */
export function sumCoverage(files: Iterable<CoverageTotals>): CoverageTotals {
  const totals = emptyTotals();
  for (const file of files) {
    for (const m of MEASURES) {
      totals[m].covered += file[m].covered;
      totals[m].total += file[m].total;
    }
  }
  return totals;
}

/** One file's measures and what it leaves uncovered, from Istanbul's data. */
function toFileCoverage(file: string, data: FileCoverageData): FileCoverage {
  const coverage = libCoverage.createFileCoverage(data);
  const summary = coverage.toSummary();
  const counts = (m: (typeof MEASURES)[number]): CoverageCounts => ({
    covered: summary[m].covered,
    total: summary[m].total,
  });
  const uncoveredFunctions = Object.entries(data.fnMap)
    .filter(([key]) => data.f[key] === 0)
    .map(([, fn]) => ({ name: fn.name, line: fn.decl.start.line || fn.loc.start.line }))
    .sort((a, b) => a.line - b.line);
  const uncoveredBranches = Object.entries(data.branchMap)
    .flatMap(([key, branch]) =>
      (data.b[key] ?? [])
        .map((hits, arm) => ({ hits, arm }))
        .filter(({ hits }) => hits === 0)
        .map(({ arm }) => ({
          line: (branch as { line?: number }).line ?? branch.loc.start.line,
          type: branch.type,
          arm,
        })),
    )
    .sort((a, b) => a.line - b.line || a.arm - b.arm);
  return {
    file,
    statements: counts('statements'),
    branches: counts('branches'),
    functions: counts('functions'),
    lines: counts('lines'),
    uncoveredLines: coverage
      .getUncoveredLines()
      .map(Number)
      .sort((a, b) => a - b),
    uncoveredFunctions,
    uncoveredBranches,
  };
}

/**
 * Reads Istanbul's `coverage-final.json` (an object keyed by absolute file path) into per-file
 * coverage keyed by path relative to `cwd` (or to the first of several folders that holds it: a
 * folder as given and as its real path). Files outside `cwd`, under node_modules, and test
 * code or a tool's configuration (`*.test.*`, `test/`, `vitest.config.*`) are left out.
 */
export function readIstanbulCoverage(
  json: unknown,
  cwd: string | readonly string[],
): Record<string, FileCoverage> {
  if (!isRecord(json)) {
    throw new ValidationError('coverage report: expected an object keyed by file path');
  }
  let map: CoverageMap;
  try {
    map = libCoverage.createCoverageMap(json as never);
  } catch (error) {
    throw new ValidationError(`coverage report: not Istanbul coverage data (${String(error)})`, {
      cause: error,
    });
  }
  const files: Record<string, FileCoverage> = {};
  for (const path of map.files().sort()) {
    const file = isAbsolute(path) ? relativeTo(cwd, path) : path.split('\\').join('/');
    if (file === undefined || isTestOrToolFile(file)) continue;
    const data = map.fileCoverageFor(path).toJSON() as FileCoverageData;
    if (!isRecord(data.statementMap) || !isRecord(data.fnMap) || !isRecord(data.branchMap)) {
      throw new ValidationError(
        `coverage report: ${file} has no statement, function or branch map`,
      );
    }
    files[file] = toFileCoverage(file, data);
  }
  return files;
}

function partWhere(part: TestPart, several: boolean): string {
  if (part.dir !== '') return ` (${part.dir})`;
  return several ? ' (root)' : '';
}

/** How a runner part measures, for a person. */
function partHow(part: TestPart & { kind: 'runner' }, provider: string | undefined): string {
  if (part.name === 'vitest') {
    return `vitest run --coverage (v8, ${provider ?? "the repository's own @vitest/coverage-v8"})`;
  }
  if (part.name === 'jest') return "jest --coverage (jest's own, its configured provider)";
  return V8_HOW;
}

const V8_HOW = 'V8 coverage (NODE_V8_COVERAGE) read with v8-to-istanbul';

/** One part's coverage as Istanbul data, or why there is none. */
async function readPart(
  part: TestPart & { kind: 'runner' },
  dir: string,
  root: readonly string[],
  keep: (file: string) => boolean,
): Promise<CoverageMap | string> {
  if (RUNNERS[part.name].coverage === 'node-v8') {
    const map = await readV8Coverage(dir, root, keep);
    return map.files().length === 0 && !(await hasFiles(dir)) ? 'no V8 coverage was written' : map;
  }
  const text = await readFile(join(dir, 'coverage-final.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return 'no coverage report (coverage-final.json) was written';
  try {
    return libCoverage.createCoverageMap(JSON.parse(text) as never);
  } catch (error) {
    return `its coverage report could not be read: ${String(error)}`;
  }
}

async function hasFiles(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [])).length > 0;
}

/** How a part of a workspace's run stopped (`error`, `timeout`), or undefined when it ran. */
function stoppedPart(run: TestRun, part: TestPart & { kind: 'runner' }): string | undefined {
  const prefix = part.dir === '' ? '' : `${part.dir} > `;
  return (['error', 'timeout'] as const).find(
    (status) => run.tests[`${prefix}${RUN_TITLE} > ${part.name} ${status}`] !== undefined,
  );
}

/** A suite with no test: every included file uncovered, said so. */
async function zeroRun(
  root: string,
  include: readonly string[],
  run: TestRun,
): Promise<CoverageRun> {
  const files: Record<string, FileCoverage> = {};
  for (const file of include.filter((f) => !isTestOrToolFile(f))) {
    const data = await zeroCoverage(root, file);
    const read = data === undefined ? undefined : readIstanbulCoverage(data, root)[file];
    if (read !== undefined) files[file] = read;
  }
  return {
    status: 'measured',
    how: `the suite ran no test, so every file counts as uncovered (functions found by parsing with TypeScript, read with v8-to-istanbul)`,
    files,
    totals: sumCoverage(Object.values(files)),
    run,
  };
}

function notRun(how: string, run: TestRun | undefined): CoverageRun {
  return { status: 'not-run', how, files: {}, totals: emptyTotals(), run };
}

/**
 * Runs the repository's tests with coverage on and reads per-file coverage back: each runner part
 * of `info` with its own coverage (vitest's v8 provider, from a temporary copy when the repository
 * has none; jest's `--coverage`; `NODE_V8_COVERAGE` around mocha, ava and node:test), merged by
 * file over parts. A script run as it is has no coverage (said in `how`). Not measured when the
 * tests did not start, timed out, or ran no test: zero tests executed is not a measurement. Test
 * files (the run's, and by convention) are left out; with `include`, exactly those files are
 * reported, a file no test loaded with 0 covered.
 */
export async function measureCoverage(
  info: TestRunnerInfo,
  options: MeasureCoverageOptions,
): Promise<CoverageRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'beast-coverage-'));
  try {
    return await measureIn(scratch, info, options);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function measureIn(
  scratch: string,
  info: TestRunnerInfo,
  options: MeasureCoverageOptions,
): Promise<CoverageRun> {
  const root = options.cwd;
  // Runners report real paths: the folder as given and as its real path (/tmp on macOS).
  const roots = [root, await realpath(root).catch(() => root)];
  const several = info.parts.length > 1 || info.parts.some((p) => p.dir !== '');
  const include = options.include?.map((f) => f.split('\\').join('/'));
  const providers: Record<string, string> = {};
  const providerHow: Record<string, string> = {};
  for (const part of info.parts) {
    if (part.kind !== 'runner' || part.name !== 'vitest' || part.dir in providers) continue;
    const prepared = await prepareVitestProvider(
      join(root, part.dir),
      join(scratch, 'provider', String(Object.keys(providers).length)),
    );
    if ('reason' in prepared) {
      return notRun(
        `coverage not measured: vitest${partWhere(part, several)}: ${prepared.reason}`,
        undefined,
      );
    }
    if (prepared.module !== undefined) {
      providers[part.dir] = prepared.module;
      providerHow[part.dir] = prepared.how;
    }
  }
  const dir = join(scratch, 'runs');
  const run = await runTests(info, {
    ...options,
    coverage: { dir, include, vitestProviders: providers, folders: [scratch] },
  });
  if (run.status !== 'ran') {
    const why = run.status === 'timeout' ? 'the tests timed out' : 'the tests did not run';
    return notRun(`coverage not measured: ${why}: ${run.lastWords}`, run);
  }
  if (run.executed === 0 && options.emptySuite === 'zero' && run.failed === 0 && include) {
    return zeroRun(root, include, run);
  }
  if (run.executed === 0) {
    return notRun(
      'coverage not measured: no test ran (zero tests executed is not a measurement)',
      run,
    );
  }
  const testFiles = new Set(run.files);
  const keep = (file: string) =>
    !testFiles.has(file) &&
    !isTestOrToolFile(file) &&
    (include === undefined || include.includes(file));
  const merged = libCoverage.createCoverageMap({});
  const how: string[] = [];
  let measured = 0;
  for (const [index, part] of info.parts.entries()) {
    const label = `${part.kind === 'runner' ? part.name : `the \`${part.script}\` script`}${partWhere(part, several)}`;
    if (part.kind === 'script') {
      how.push(`${label}: coverage not measured (a script run as it is, no runner we read)`);
      continue;
    }
    const stopped = stoppedPart(run, part);
    if (stopped !== undefined) {
      how.push(`${label}: coverage not measured: its tests did not run (${stopped})`);
      continue;
    }
    const read = await readPart(part, partCoverageDir(dir, index), roots, keep);
    if (typeof read === 'string') {
      how.push(`${label}: coverage not measured: ${read}`);
      continue;
    }
    measured++;
    merged.merge(read);
    const text = partHow(part, providerHow[part.dir]);
    how.push(several || text === V8_HOW ? `${label}: ${text}` : text);
  }
  if (measured === 0) return notRun(`coverage not measured: ${how.join('; ')}`, run);
  const files = Object.fromEntries(
    Object.entries(readIstanbulCoverage(merged.toJSON(), roots)).filter(([file]) => keep(file)),
  );
  const unloaded = (include ?? []).filter(
    (file) => files[file] === undefined && !isTestOrToolFile(file),
  );
  let counted = 0;
  for (const file of unloaded) {
    const data = await zeroCoverage(root, file);
    if (data === undefined) continue;
    const read = readIstanbulCoverage(data, root)[file];
    if (read === undefined) continue;
    files[file] = read;
    counted++;
  }
  if (counted > 0) {
    how.push(
      `${counted} file${counted > 1 ? 's' : ''} no test loaded counted as uncovered (functions found by parsing with TypeScript, read with v8-to-istanbul)`,
    );
  }
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  return {
    status: 'measured',
    how: how.join('; '),
    files: sorted,
    totals: sumCoverage(Object.values(sorted)),
    run,
  };
}
