import type { PackageJson } from '../package-json.js';
import type { ScriptCommand } from '../script.js';

/** The linters the gate runs and reads a report from. */
export type LinterName = 'eslint' | 'xo' | 'oxlint' | 'biome';

/** One command of a package.json script, with the script's name. */
export interface ScriptUse {
  script: string;
  command: ScriptCommand;
}

/** What a linter plug-in looks at to tell whether the repository uses it. */
export interface DetectContext {
  root: string;
  /** The names of the files at the root. */
  files: readonly string[];
  pkg: PackageJson | undefined;
  /** Every command of every package.json script whose program is this linter's binary. */
  uses: readonly ScriptUse[];
}

/** Where the repository configures a linter, and how it runs it. */
export interface LinterSetup {
  /** The config file, `package.json#key`, or `scripts.<name>` when only a script runs it. */
  config: string;
  /** Environment variables the linter needs (ESLint's flat or legacy mode). */
  env?: Record<string, string>;
}

/** The options a script gives the linter that we keep, and whether warnings fail the lint. */
export interface ScriptOptions {
  options: string[];
  warningsAreErrors: boolean;
}

/** One problem a linter reported: its file (as printed), rule and severity. */
export interface LintMessage {
  file: string;
  /** The rule id, or `fatal` for a file the linter could not parse. */
  rule: string;
  severity: 'error' | 'warning';
}

export interface LintInvocation {
  /** Arguments after the binary. */
  args: string[];
  /** Where the report is: a file the linter writes, or stdout sent to that file. */
  report: string;
  stdoutToReport: boolean;
}

/**
 * One linter: how to find out that a repository uses it, how to run it on a list of files with a
 * machine-readable report, and how to read that report. All plug-ins look alike.
 */
export interface LinterPlugin {
  name: LinterName;
  /** How people write its name: `ESLint`. */
  label: string;
  /** Its binary in node_modules/.bin, and its program name in scripts. */
  bin: string;
  /** The package that provides the binary (to read its version). */
  packageName: string;
  /** Where the repository configures it; undefined when it does not use it. */
  detect(context: DetectContext): Promise<LinterSetup | undefined> | LinterSetup | undefined;
  /** Why a configured linter does not lint (Biome with its linter turned off), if so. */
  disabled?(context: DetectContext, setup: LinterSetup): Promise<string | undefined>;
  /** The options of the script that runs it (`--max-warnings 0`, `-c config`) that we keep. */
  scriptOptions(args: readonly string[]): ScriptOptions;
  invocation(
    files: readonly string[],
    context: {
      dir: string;
      options: readonly string[];
      warningsAreErrors: boolean;
      version: string;
    },
  ): LintInvocation;
  /** The problems in the report; undefined when it is not this linter's report (a crash). */
  parse(report: unknown): LintMessage[] | undefined;
}
