import type { ArgSpec } from '../script.js';

/** The test runners the gate can run and read results from. */
export type TestRunnerName = 'vitest' | 'jest' | 'mocha' | 'node:test' | 'ava';

/** One test's outcome; todo tests count as skipped. */
export type TestOutcome = 'pass' | 'fail' | 'skip';

/** How to run a repository's tests, as found by `detectTestRunner`. */
export interface TestRunnerInfo {
  name: TestRunnerName;
  /** Whether the runner can run only the tests related to a list of changed files. */
  supportsRelated: boolean;
  /** Where it was found: the `test` script, or the dependencies and config files. */
  source: 'script' | 'dependencies';
  /** The runner's binary relative to the package root; undefined for node:test (our Node runs it). */
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

/** What a runner plug-in gets to build its command line and to find its report. */
export interface RunContext {
  cwd: string;
  /** A scratch folder of this run, for report files; removed afterwards. */
  dir: string;
  /** Absolute paths of the changed files, when running related tests only. */
  related: string[] | undefined;
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
  invocation(info: TestRunnerInfo, context: RunContext): Promise<Invocation> | Invocation;
  /** Reads the report; undefined when there is none (the runner crashed before writing it). */
  parse(context: RunContext, stdout: string): Promise<ParsedReport | undefined>;
}
