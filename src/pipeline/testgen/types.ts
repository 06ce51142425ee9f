import type {
  CoverageRun,
  CoverageTotals,
  FileCoverage,
  TestRun,
  TestRunnerInfo,
  TestStyle,
} from '../../fixes/index.js';

/**
 * The stages of the test gate, in order; a test case that fails one stops there.
 * - `generated`: a model proposed it;
 * - `built`: its file type-checks (TypeScript repositories) and loads;
 * - `passed`: it passes alone;
 * - `stable`: it passes 5 times in isolation, once in the whole suite in shuffled order, and under
 *   another time zone and locale, and no other test of the suite breaks;
 * - `useful`: it asserts something non-trivial, and raises the target's line or branch coverage or
 *   kills a mutant the existing suite lets live;
 * - `kept`: it is delivered.
 */
export const FUNNEL_STAGES = ['generated', 'built', 'passed', 'stable', 'useful', 'kept'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Test cases that reached each stage. */
export type Funnel = Record<FunnelStage, number>;

/** One generated test file, as a model proposed it. */
export interface CandidateTest {
  /** Root-relative path of the new test file. */
  file: string;
  content: string;
  /** The source file it tests, root-relative. */
  target: string;
  /** `provider:model` that wrote it. */
  model: string;
  /** 1 for a first attempt, 2… for a repair with the gate's errors. */
  attempt: number;
}

/** What the gate needs to know of the repository. */
export interface TestGateContext {
  /** The worktree the tests run in. */
  root: string;
  info: TestRunnerInfo;
  style: TestStyle;
  /** The existing suite's run and coverage, before any generated test. */
  baselineRun: TestRun;
  baselineCoverage: CoverageRun;
  timeoutMs: number;
  /** The Node binary the repository's tests run with. */
  node?: string;
  /**
   * Source files, relative to the root, whose related tests stand for the whole suite (`--scope
   * related`); the whole suite runs when absent.
   */
  related?: readonly string[];
  /** Whether the repository type-checks (`tsconfig.json` and TypeScript found). */
  typecheck: boolean;
  signal?: AbortSignal;
  /** Progress lines for a person. */
  onProgress?: (line: string) => void;
}

/** The gate's verdict on one candidate file. */
export interface TestVerdict {
  file: string;
  target: string;
  model: string;
  attempt: number;
  kept: boolean;
  /** The last stage its best case reached. */
  stage: FunnelStage;
  /** Why it stopped there (the check and what it said); undefined when kept. */
  reason: string | undefined;
  /** The file as kept: cases that failed a stage are removed; undefined when nothing is kept. */
  content: string | undefined;
  /** Cases generated and kept, and how many reached each stage. */
  funnel: Funnel;
  /** The target's coverage before and with this file. */
  before: FileCoverage | undefined;
  after: FileCoverage | undefined;
  /** Mutants of the target's covered lines tried, and killed by this file but not the suite. */
  mutants: { tried: number; killedOnlyByNew: number };
}

export interface TestGateResult {
  verdicts: TestVerdict[];
  /** Sums over the verdicts. */
  funnel: Funnel;
  /** The suite's coverage with every kept file. */
  coverageAfter: CoverageRun | undefined;
  /** Checks that could not run, with the reason (no TypeScript: no type-check). */
  skipped: string[];
}

/** What `beast tests` and the API's job ask for. */
export interface TestGenOptions {
  /** Source files or folders to test, root-relative; the least-covered files when empty. */
  paths: string[];
  /** Line coverage to aim for per file (0..1): files at or above it are left alone. 0.8. */
  target: number;
  /** Models to use, in order (`builtin:testgen`, `openai:gpt-4o-mini`); the router's choice when empty. */
  models: string[];
  /** Most files to work on in one run. */
  maxFiles: number;
  /** Attempts per file for a model that can repair (an LLM): the first and the repairs. */
  attempts: number;
  /** Leave the branch out: print what would be kept. */
  dryRun: boolean;
  /** Branch to deliver to; `beast/tests-<date>-<id>` by default. */
  branch?: string;
  /** Per test run. */
  timeoutMs: number;
  /**
   * Which of the suite's tests run as the baseline and as the gate's "whole suite": `suite`, all
   * of them (the default); `related`, only the tests the runner finds related to the named paths
   * (vitest and jest), for a suite too slow to run per candidate. Coverage of the targets is the
   * same (a test that covers a file imports it), but a test that breaks an unrelated test through
   * shared state goes unnoticed: the report says so.
   */
  scope?: 'suite' | 'related';
}

export type TestGenStatus = 'delivered' | 'dry-run' | 'nothing-kept' | 'not-run';

/** The report of `beast tests` (`--json`) and of the API's job. */
export interface TestGenReport {
  repository: string;
  status: TestGenStatus;
  /** Why nothing ran (`no test runner we can write for`), when status is `not-run`. */
  reason?: string;
  base: string;
  branch: string | undefined;
  head: string | undefined;
  /** The runner and how coverage was measured. */
  runner: string;
  coverageHow: string;
  before: CoverageTotals;
  after: CoverageTotals;
  /** The files worked on, with their line and branch coverage before and after. */
  files: { file: string; before: FileCoverage | undefined; after: FileCoverage | undefined }[];
  funnel: Funnel;
  verdicts: TestVerdict[];
  skipped: string[];
  warnings: string[];
  durationMs: number;
}
