/**
 * The validation gate's runners: the repository's own tests and lint, run in a worktree with a
 * time limit, in their own process group, without our secrets, and compared before and after a
 * change.
 */
export {
  runProcess,
  testEnvironment,
  type ProcessResult,
  type RunProcessOptions,
} from './process.js';
export {
  sandboxUnavailable,
  sandboxWarnings,
  wrapCommand,
  type SandboxPaths,
  type WrappedCommand,
} from './sandbox.js';
export { detectTestRunner } from './detect-tests.js';
export {
  runTests,
  scriptBaselineProblem,
  executedTests,
  isSyntheticTest,
  EXIT_CODE_ID,
  type RunTestsOptions,
  type RunnerPart,
  type ScriptPart,
  type SetupStep,
  type TestPart,
  type TestOutcome,
  type TestRun,
  type TestRunnerInfo,
  type TestRunnerName,
} from './test-runner.js';
export { FILE_TITLE } from './runners/report.js';
export {
  baselineProblem,
  compareTestRuns,
  describeFailures,
  type TestComparison,
} from './test-compare.js';
export {
  compareLint,
  detectLinters,
  mergeLintErrors,
  runLint,
  FATAL_RULE,
  type LintErrors,
  type LintIncrease,
  type LintRun,
  type LinterDetection,
  type LinterInfo,
  type LinterName,
  type LinterSkip,
  type RunLintOptions,
} from './lint.js';
export { SCRIPT_FILE, SCRIPT_RULE } from './linters/script.js';
export {
  findRepositoryNode,
  readNodeRequirements,
  type FindNodeOptions,
  type FindNodeResult,
  type NodeRequirement,
  type NodeRequirements,
  type NodeSource,
  type RepositoryNode,
} from './node-version.js';
export { parseNodeRange, satisfiesRange, type NodeRange } from './node-range.js';
export {
  measureCoverage,
  ratio,
  readIstanbulCoverage,
  type CoverageCounts,
  type CoverageRun,
  type CoverageTotals,
  type FileCoverage,
  type MeasureCoverageOptions,
} from './coverage.js';
export { detectTestStyle, importSpecifier, testPathFor, type TestStyle } from './test-style.js';
