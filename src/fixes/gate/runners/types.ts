import type { PackageManager } from '../package-managers.js';
import type { ArgSpec } from '../script.js';

/** The test runners the gate can run and read results from. */
export type TestRunnerName = 'vitest' | 'jest' | 'mocha' | 'node:test' | 'ava';

/** One test's outcome; todo tests count as skipped. */
export type TestOutcome = 'pass' | 'fail' | 'skip';

/** One runner started in one package folder: a part of what `detectTestRunner` finds. */
export interface RunnerPart {
  kind: 'runner';
  name: TestRunnerName;
  /** The package folder it runs in, relative to the repository root (`/` separators); '' for the root. */
  dir: string;
  /** The scripts that lead to it, outermost first (`test`, `test:unit`); empty from dependencies. */
  via: string[];
  /** Whether the runner can run only the tests related to a list of changed files. */
  supportsRelated: boolean;
  /** Where it was found: the `test` script, or the dependencies and config files. */
  source: 'script' | 'dependencies';
  /**
   * The runner's binary relative to the package folder (`../../node_modules/.bin/vitest` when the
   * workspace hoists it); undefined for node:test (Node runs it).
   */
  bin: string | undefined;
  /** Node.js options the script starts the runner with (`node --experimental-vm-modules jest`). */
  nodeArgs: string[];
  /** The script's options for the runner, minus watch, reporter, coverage and snapshot updates. */
  options: string[];
  /** The script's positional arguments: file filters or globs. */
  positionals: string[];
  /** Variables the script sets (`NODE_ENV=test jest`, `cross-env TZ=UTC jest`). */
  env: Record<string, string>;
}

/**
 * A package's test script that runs no runner the gate reads: run as the repository's CI runs it,
 * with only its exit status compared (one synthetic test), a weaker check than per-test results.
 */
export interface ScriptPart {
  kind: 'script';
  /** The package folder, relative to the repository root; '' for the root. */
  dir: string;
  /** The script's name (`test`). */
  script: string;
  /** The command line it runs, with the arguments a calling script passed. */
  command: string;
  /** The scripts that lead to it, outermost first. */
  via: string[];
}

/** A script run before the tests, as the package manager does (`pretest`); its failure stops the run. */
export interface SetupStep {
  dir: string;
  script: string;
  command: string;
}

/** One thing the gate runs to test a repository. */
export type TestPart = RunnerPart | ScriptPart;

/**
 * How to run a repository's tests, as found by `detectTestRunner`: every runner its test script
 * runs (a chain may run several, a workspace one per package), or scripts run as they are.
 */
export interface TestRunnerInfo {
  parts: TestPart[];
  /** Scripts to run first, in order (`pretest` with npm and yarn classic). */
  setup: SetupStep[];
  /** What runs, for a person: `vitest (packages/a), node:test (root), via \`pnpm test\``. */
  describe: string;
  /** Whether a run can be narrowed to the tests that matter for changed files. */
  supportsRelated: boolean;
  /** True when some part is a script whose exit status alone is compared: a weaker check. */
  weak: boolean;
  /** The package manager the repository's CI runs scripts with. */
  packageManager: PackageManager;
}

/** What a runner plug-in gets to build its command line and to find its report. */
export interface RunContext {
  cwd: string;
  /** A scratch folder of this run, for report files; removed afterwards. */
  dir: string;
  /** Absolute paths of the changed files, when running related tests only. */
  related: string[] | undefined;
  /** Test files to run instead of the script's selection, relative to `cwd`. */
  testFiles?: readonly string[] | undefined;
  /** Measure coverage: where the runner writes it, and what to report (see `RunnerCoverage`). */
  coverage?: CoverageContext | undefined;
  /** Run the tests in a random order, where the runner can (`shuffle` on the plug-in). */
  shuffle?: boolean | undefined;
}

/** What a run with coverage on gives a plug-in. */
export interface CoverageContext {
  /** An empty folder of this part's run for the coverage report (kept after the run). */
  dir: string;
  /** Source files to report even when no test loads them, relative to `cwd`. */
  include?: readonly string[] | undefined;
  /** vitest: a coverage provider module to load instead of the repository's `@vitest/coverage-v8`. */
  providerModule?: string | undefined;
}

export interface Invocation {
  /** Arguments after the runner's binary (after `node` and its options for node:test). */
  args: string[];
  /** Send stdout to this file, uncapped, when the report is printed there. */
  stdoutFile?: string;
}

export interface TestFailure {
  id: string;
  message: string;
}

/** Per-test results read from a runner's machine-readable report. */
export interface ParsedReport {
  tests: Record<string, TestOutcome>;
  /** Test files the report covers, relative to the working folder with `/` separators. */
  files: string[];
  failures: TestFailure[];
}

/** One test runner: how to invoke it and how to read its report. All plug-ins look alike. */
export interface RunnerPlugin {
  name: TestRunnerName;
  /** The npm package that provides it (for detection from dependencies); undefined for node:test. */
  packageName: string | undefined;
  supportsRelated: boolean;
  /** Config files at the package root that point at this runner. */
  configFiles: RegExp | undefined;
  /** The package.json key that configures it, if any. */
  packageJsonKey: string | undefined;
  args: ArgSpec;
  /**
   * How it measures coverage: `istanbul` writes Istanbul's `coverage-final.json` into the coverage
   * folder itself (its arguments added by `invocation`); `node-v8` runs under `NODE_V8_COVERAGE`
   * set to the folder, whose raw V8 coverage is read afterwards.
   */
  coverage: 'istanbul' | 'node-v8';
  /** Whether it can run the tests in a random order (`invocation` adds the option). */
  shuffle: boolean;
  invocation(info: RunnerPart, context: RunContext): Promise<Invocation> | Invocation;
  /** Reads the report; undefined when there is none (the runner crashed before writing it). */
  parse(context: RunContext, stdout: string): Promise<ParsedReport | undefined>;
}
