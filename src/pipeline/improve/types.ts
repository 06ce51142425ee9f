import { type FileChange } from '../../core/index.js';
import type { Finding, Grade } from '../../core/index.js';
import type { Model, SelectionStats, TaskKind } from '../../models/index.js';
import type { Store } from '../../store/index.js';
import type { DeliveryResult } from '../deliver/index.js';

/** The checks of the validation gate, in the order they run. */
export const CHECKS = ['parse', 'rescan', 'idempotence', 'typecheck', 'lint', 'tests'] as const;
export type CheckName = (typeof CHECKS)[number];

/** Whether a check could run in this repository, and with what. */
export interface CheckAvailability {
  name: CheckName;
  ran: boolean;
  /** What ran (`TypeScript 5.9.3 (repository), tsconfig.json`) or why it could not. */
  detail: string;
}

/** One check's verdict on one validation. */
export interface CheckResult {
  name: CheckName;
  ok: boolean;
  detail?: string;
  durationMs: number;
}

/** A few metrics of a file, as an evidence record keeps them. */
export interface FileMetricsDigest {
  codeLines: number;
  cyclomatic: number;
  cognitive: number;
  maxNesting: number;
  maintainability: number;
  duplicatedLines: number;
}

export interface FileEvidence {
  file: string;
  before: number;
  after: number | undefined;
  metrics?: { before: FileMetricsDigest | undefined; after: FileMetricsDigest | undefined };
}

export type ChangeStatus = 'accepted' | 'rejected' | 'withheld';

/** What happened to one proposed change: the evidence record. */
export interface ChangeOutcome {
  id: number;
  finding: Finding;
  model: string;
  /** Why this model was chosen. */
  selection: string;
  title: string;
  changes: FileChange[];
  status: ChangeStatus;
  /** The check that rejected it. */
  gate?: CheckName;
  reason?: string;
  commit?: string;
  /** The commit the change was proposed on (its round's start): what its edits' offsets refer to. */
  proposedOn?: string;
  /** sha256 of the finding's message and the code it spans: the change is about this code. */
  contentHash: string;
  /** Every check of the last validation this change took part in. */
  checks: CheckResult[];
  /** Scores and metrics of the touched files before and after the validation that decided it. */
  scores: FileEvidence[];
  durationMs: number;
  /** What the proposal cost in US dollars (0 for built-in engines); absent when unknown. */
  costUsd?: number;
  /** The deployment that answered, when an LLM model made it (a fallback shows here). */
  deployment?: string;
  /** 1, 2, ...: this change is a repair of a rejected one, made with the gate's errors. */
  repair?: number;
}

export interface QualitySnapshot {
  score: number;
  grade: Grade;
  findings: number;
}

export type ImproveStatus =
  /** Accepted changes are on the branch. */
  | 'delivered'
  /** Dry run: the diff was printed and the branch deleted. */
  | 'dry-run'
  /** Nothing was accepted. */
  | 'nothing-to-do'
  /** Changes passed every check that could run, but the tests could not: nothing applied. */
  | 'unvalidated'
  /** The final full test suite failed on the result: nothing delivered. */
  | 'failed';

/** The report of `beast improve`, as printed with `--json`. */
export interface ImproveReport {
  /** The user's repository folder that was improved. */
  repository: string;
  /** The kind of task the run did. */
  kind: TaskKind;
  status: ImproveStatus;
  /** The branch holding the commits; undefined when none was kept. */
  branch: string | undefined;
  base: string;
  head: string | undefined;
  dryRun: boolean;
  /** The user's working tree had uncommitted changes; they were left alone. */
  dirty: boolean;
  before: QualitySnapshot;
  /** Equal to `before` unless something was delivered (or, in a dry run, would be). */
  after: QualitySnapshot;
  /**
   * What `after` measures: the delivered branch, the code as a dry run would leave it, or nothing
   * (no change was applied, so `after` is `before`).
   */
  afterBasis: 'delivered' | 'dry-run' | 'nothing-delivered';
  /** Score of each file a delivered (or dry-run) change touched, before and after. */
  files: { path: string; before: number; after: number }[];
  findingsFixed: number;
  changes: ChangeOutcome[];
  /**
   * The ids of `changes` by outcome; each change is in exactly one list. Withheld changes passed
   * every check that ran but were not applied, so they are never counted as accepted.
   */
  outcomes: Record<ChangeStatus, number[]>;
  checks: CheckAvailability[];
  /** The repository's formatter applied to proposals, or why none was. */
  formatter: string;
  /** How findings were ordered: by a stored defect-risk model's predictions, or by hotspots. */
  ordering: string;
  /** Tests that failed after a change and also when rerun on the accepted state; excluded. */
  flakyTests: string[];
  validations: {
    /** Validations of a batch with every check, tests included. */
    full: number;
    /** Per-change pre-checks that run no tests (parse, rescan, idempotence, type-check). */
    quick: number;
  };
  timings: {
    totalMs: number;
    baselineMs: number;
    /** Running the test suite for the baseline (0 when no change needed it); part of validateMs. */
    testBaselineMs: number;
    proposeMs: number;
    validateMs: number;
    deliverMs: number;
  };
  /** Worktrees of dead runs that were removed first. */
  cleanedUp: string[];
  /** Unified diff of the branch, in dry runs. */
  diff?: string;
  patchFile?: string;
  warnings: string[];
  /** Money the models spent on proposals, and how many proposals had no known cost. */
  spend: { costUsd: number; unknownCost: number };
  /** What `--apply`, `--push` and `--pr` did with the delivered branch, when asked. */
  delivery?: DeliveryResult;
}

export interface ImproveOptions {
  /**
   * The kind of task (`fix`, `refactor`; see `pipeline/tasks`): which work it does and how it is
   * validated and delivered. Default `fix`.
   */
  kind?: string;
  /** Branch to create; default `beast/<kind's prefix>-<date>-<id>` (`beast/improve-…` for fixes). */
  branch?: string;
  /** Validate, print the diff, keep nothing. */
  dryRun?: boolean;
  /** Also write the branch's diff to this file. */
  patchFile?: string;
  maxChanges?: number;
  /** One commit per change (default) or per rule. */
  group?: 'change' | 'rule';
  /** Apply changes even when the tests cannot run. */
  allowUnvalidated?: boolean;
  /** Changes validated together before bisecting (1 validates one by one). Default 64. */
  batchSize?: number;
  /** Timeout of one test run. Default 5 minutes. */
  testTimeoutMs?: number;
  /** The Node binary to run the repository's tests and linters with (`--node`), if it fits. */
  node?: string;
  /** Only fix findings of these rules. */
  rules?: readonly string[];
  /** Only fix findings in these files (paths relative to the improved folder, `/`-separated). */
  files?: readonly string[];
  /**
   * Also fix findings in test code (test, bench and fixture files). Off by default, unless `files`
   * names files: naming a file asks for it, whatever its kind.
   */
  includeTests?: boolean;
}

export type ImproveEvent =
  | { type: 'phase'; phase: 'baseline' | 'propose' | 'validate' | 'deliver'; message: string }
  | { type: 'change'; change: ChangeOutcome };

export interface ImproveDeps {
  /** The models to ask, in order of preference. */
  models: readonly Model[];
  /** Where worktrees live (beside the store). */
  stateDir: string;
  store?: Store;
  onEvent?: (event: ImproveEvent) => void;
  /**
   * Learned selection: built-in engines first, then LLM models by Thompson sampling on recorded
   * acceptance (see `rankModels`). Without it, models are asked in the order given.
   */
  selection?: { stats: SelectionStats; random?: () => number };
  /** How often a rejected LLM change is sent back with the gate's errors (default 2). */
  repairAttempts?: number;
  /** Warnings from setting the models up, repeated in the report. */
  warnings?: readonly string[];
  /** Who the branch's commits are by (config `delivery.author`); BEAST MODE when absent. */
  author?: { name: string; email: string };
  /** The repo map LLM prompts carry, personalised toward the given files (see `promptRepoMaps`). */
  repoMap?: (focusFiles: readonly string[]) => Promise<{ text: string; failure?: string }>;
}
