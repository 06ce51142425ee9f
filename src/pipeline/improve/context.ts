import { sha256, type RuleOptionsOf } from '../../analysis/index.js';
import { type FileReport, type Finding, type ScanReport } from '../../core/index.js';
import { type Formatter, type Workspace } from '../../fixes/index.js';
import type { Model, RepairRequest } from '../../models/index.js';
import { proposalKey } from '../../store/index.js';
import { type Verdict } from './batches.js';
import { type Candidate, type Gate } from './gate.js';
import { offsetOf } from './locations.js';
import type { WorkingState } from './state.js';
import type {
  ChangeOutcome,
  FileMetricsDigest,
  CheckAvailability,
  ImproveDeps,
  ImproveOptions,
} from './types.js';
import { type PreparedTests } from './validators.js';
import type { TaskKindSpec } from '../tasks/index.js';

export interface RunContext {
  /** The kind of task this run does. */
  kind: TaskKindSpec;
  deps: ImproveDeps;
  options: ImproveOptions;
  workspace: Workspace;
  /** The scanned folder inside the worktree. */
  root: string;
  /** That folder relative to the worktree's top, with a trailing slash ('' at the top). */
  prefix: string;
  /** Changes accepted in the current round, on top of the round's base (the commit it proposes on). */
  round: { accepted: Candidate[]; base: string };
  /** The checks of the gate and whether each could run. */
  checks: CheckAvailability[];
  /** The repository's formatter, applied to every proposal. */
  formatter: Formatter | undefined;
  state: WorkingState;
  gate: Gate;
  tests: PreparedTests | undefined;
  outcomes: ChangeOutcome[];
  /** Proposals rejected before, in this run or an earlier one (see `codeHashOf`). */
  rejected: Set<string>;
  validations: { full: number; quick: number };
  timings: { proposeMs: number; validateMs: number; deliverMs: number; testBaselineMs: number };
  /** True when changes cannot be validated by tests and the user did not allow that. */
  unvalidated: boolean;
  nextId: number;
  /** Rejected LLM changes that may be repaired in the next round, by `keyOf`. */
  repairs: Map<string, RepairRequest>;
  /** Set when the budget is spent: no LLM model is asked again in this run. */
  llmStopped: string | undefined;
  warnings: string[];
  /** Outcomes already added to the selection stats. */
  counted: number;
  /** The repository's rule options by rule id: models compute fixes with them. */
  /** Each file's rule options, its config overrides included. */
  ruleOptions: RuleOptionsOf;
}

export function emitPhase(
  ctx: Pick<RunContext, 'deps'>,
  phase: 'baseline' | 'propose' | 'validate' | 'deliver',
  message: string,
): void {
  ctx.deps.onEvent?.({ type: 'phase', phase, message });
}

/**
 * Hash of what a finding is about: its message and the code it spans. Edits elsewhere in the file
 * leave it unchanged, so a model that failed on it is not asked again, in this run or a later one.
 */
export function codeHashOf(finding: Finding, text: string): string {
  const { line, column, endLine, endColumn } = finding.location;
  const span = text.slice(offsetOf(text, line, column), offsetOf(text, endLine, endColumn));
  return sha256(`${finding.message}\0${span}`);
}

export function keyOf(model: Model, finding: Finding, contentHash: string): string {
  return proposalKey({ model: model.id, ruleId: finding.ruleId, file: finding.file, contentHash });
}

export function outcomeOf(
  candidate: Candidate,
  status: ChangeOutcome['status'],
  verdict?: Verdict,
): ChangeOutcome {
  return {
    id: candidate.id,
    finding: candidate.finding,
    model: candidate.model.id,
    selection: candidate.selection,
    title: candidate.title,
    changes: candidate.changes,
    status,
    ...(verdict?.gate !== undefined ? { gate: verdict.gate as ChangeOutcome['gate'] } : {}),
    ...(verdict?.reason !== undefined ? { reason: verdict.reason } : {}),
    contentHash: candidate.contentHash,
    checks: candidate.checks,
    scores: candidate.scores,
    durationMs: candidate.proposeMs,
    ...(candidate.model.builtin ? { costUsd: 0 } : {}),
    ...(candidate.costUsd !== undefined ? { costUsd: candidate.costUsd } : {}),
    ...(candidate.deployment !== undefined ? { deployment: candidate.deployment } : {}),
    ...(candidate.repair !== undefined ? { repair: candidate.repair } : {}),
  };
}

export function recordScores(
  candidates: readonly Candidate[],
  before: ScanReport,
  after: ScanReport,
): void {
  const was = new Map(before.files.map((f) => [f.path, f]));
  const is = new Map(after.files.map((f) => [f.path, f]));
  for (const c of candidates) {
    c.scores = [...new Set(c.changes.map((ch) => ch.file))].map((file) => ({
      file,
      before: was.get(file)?.score.score ?? 0,
      after: is.get(file)?.score.score,
      metrics: { before: keyMetrics(was.get(file)), after: keyMetrics(is.get(file)) },
    }));
  }
}

/** The file metrics an evidence record keeps. */
export function keyMetrics(file: FileReport | undefined): FileMetricsDigest | undefined {
  if (!file) return undefined;
  const m = file.metrics;
  return {
    codeLines: m.codeLines,
    cyclomatic: m.cyclomatic,
    cognitive: m.cognitive,
    maxNesting: m.maxNesting,
    maintainability: m.maintainability,
    duplicatedLines: m.duplicatedLines,
  };
}

/** Repairs allowed per finding and model when the deps do not say. */
export const DEFAULT_REPAIR_ATTEMPTS = 2;

export function reject(ctx: RunContext, candidate: Candidate, verdict: Verdict): void {
  const key = keyOf(candidate.model, candidate.finding, candidate.contentHash);
  ctx.rejected.add(key);
  const attempt = (candidate.repair ?? 0) + 1;
  const allowed = ctx.deps.repairAttempts ?? DEFAULT_REPAIR_ATTEMPTS;
  if (!candidate.model.builtin && attempt <= allowed) {
    ctx.repairs.set(key, {
      attempt,
      previous: candidate.summary ?? '(no usable edit)',
      errors: `${verdict.gate ?? 'gate'}: ${verdict.reason ?? 'rejected'}`,
    });
  }
  const outcome = { ...outcomeOf(candidate, 'rejected', verdict), proposedOn: ctx.round.base };
  ctx.outcomes.push(outcome);
  ctx.deps.onEvent?.({ type: 'change', change: outcome });
}
