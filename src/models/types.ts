import { type FileChange } from '../core/index.js';
import type { Finding } from '../core/index.js';
import type { TestStyle } from '../fixes/index.js';

/**
 * What a model is asked to do. The kinds are declared as data in `pipeline/tasks`; `fix` and
 * `refactor` work on findings today, and `test`, `feature` and `issue-fix` come with their own
 * task shapes.
 */
export const TASK_KINDS = ['fix', 'refactor', 'test', 'feature', 'issue-fix'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** What a model is told, as its task kind words it (an LLM's prompt; built-in engines ignore it). */
export interface TaskBrief {
  /** The opening of the system prompt: what the model does and what it must keep. */
  role: string;
  /** The closing request. */
  ask: string;
}

/** Change code about one finding of the scanner: fix it, or restructure the code it flags. */
export interface FindingTask {
  /** Any kind whose work items are findings; the kind's `brief` says what to do with one. */
  kind: TaskKind;
  finding: Finding;
  /** How the task kind words the request; a model's default fix wording when absent. */
  brief?: TaskBrief;
  /** Set when an earlier change of this model for the same finding was rejected by the gate. */
  repair?: RepairRequest;
}

/** What went wrong with the previous attempt, for a model that can learn from it. */
export interface RepairRequest {
  /** 1 for the first repair. */
  attempt: number;
  /** The rejected change, as a unified diff or edit blocks. */
  previous: string;
  /** The check that rejected it and what it said. */
  errors: string;
}

/**
 * Write tests for one source file: tests that pin its current behaviour and reach lines the
 * repository's suite leaves uncovered. The work item is uncovered code, not a finding.
 */
export interface TestTask {
  kind: 'test';
  /** The source file to test, relative to the repository root (`/` separators). */
  file: string;
  /** Exported names to aim at; every export of `file` when absent. */
  exports?: string[];
  /**
   * Lines of `file` (1-based) the repository's suite leaves uncovered, ascending; empty when the
   * coverage could not be measured (then every line is fair game).
   */
  uncoveredLines: number[];
  /** How the repository writes its tests; the proposal must follow it (runner, folder, imports). */
  style: TestStyle;
  /** Where the generated test file goes, relative to the root (from `testPathFor`). */
  testFile: string;
  /** An existing test file of the repository, shown to a model as an example; absent if none. */
  example?: { file: string; content: string };
  brief?: TaskBrief;
  /** Set when the previous attempt was rejected: its test file and what the gate said. */
  repair?: RepairRequest;
}

/** Every task shape a model may be given. */
export type Task = FindingTask | TestTask;

/** Whether a task is about a finding (fix, refactor) rather than uncovered code (test). */
export function isFindingTask(task: Task): task is FindingTask {
  return 'finding' in task;
}

/** What a model may read while proposing. Models never write files. */
export interface ModelContext {
  /** Absolute path of the repository (or worktree) the finding refers to. */
  root: string;
  /** Current text of a repository-relative file. */
  readFile(file: string): Promise<string>;
  /** Rule options from config, by rule id, so a fix matches what the scanner flagged. */
  ruleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The repo map: the repository's most central declarations, personalised toward the task's
   * files, from the codebase index (see `pipeline/codebase`); '' when there is none.
   */
  repoMap?: () => Promise<string>;
  signal?: AbortSignal;
}

/** Tokens and money spent on one proposal; zero for the built-in engines. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** In US dollars; undefined when the price is unknown (never silently 0). */
  costUsd: number | undefined;
}

/** A candidate change: data only, applied by the caller. */
export interface Proposal {
  /** `provider:model` id of the model that made it. */
  model: string;
  /** One line for the commit subject, e.g. "Use const for 'total'". */
  title: string;
  changes: FileChange[];
  /** Optional explanation, kept in the evidence record. */
  rationale?: string;
  usage?: Usage;
}

/**
 * Anything that proposes changes: the built-in engines now, LLM providers behind the router later.
 * `propose` returns candidates ranked best first, or none when it has nothing to offer.
 */
export interface Model {
  /** `provider:model`, e.g. `builtin:codemods`. */
  readonly id: string;
  /** Whether it runs locally and deterministically with no cost. */
  readonly builtin: boolean;
  /** Cheap check before `propose`: can this model handle the task at all? */
  supports(task: Task): boolean;
  propose(task: Task, context: ModelContext): Promise<Proposal[]>;
  /** Release long-lived resources (language services, connections). */
  dispose?(): Promise<void> | void;
}
