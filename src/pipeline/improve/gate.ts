import { applyEdits, type FileChange } from '../../core/index.js';
import type { Finding, ScanReport } from '../../core/index.js';
import { diffDiagnostics } from '../../fixes/index.js';
import { isStackOverflow, type TypeChecker, type TypeDiagnostic } from '../../fixes/index.js';
import type { RuleOptionsOf } from '../../analysis/index.js';
import type { Model, Task } from '../../models/index.js';
import type { Verdict } from './batches.js';
import { mapLocation } from './locations.js';
import { judgeRescan } from './judge.js';
import { importClosure } from './plan.js';
import type { CheckName, CheckResult, FileEvidence } from './types.js';

/** A proposed change on its way through the gate. */
export interface Candidate {
  id: number;
  finding: Finding;
  model: Model;
  selection: string;
  title: string;
  changes: FileChange[];
  /** Hash of the finding's message and the code it spans. */
  contentHash: string;
  proposeMs: number;
  /** LLM proposals: what it cost (undefined when unknown), who answered, and the change as text. */
  costUsd?: number;
  deployment?: string;
  /** The change as search/replace blocks over the code it was made on, for a repair prompt. */
  summary?: string;
  /** 1, 2, ...: a repair of a rejected change. */
  repair?: number;
  /** Checks of the last validation this candidate took part in. */
  checks: CheckResult[];
  scores: FileEvidence[];
}

/** The repository's lint, as the gate uses it. */
export interface LintGate {
  /** New lint errors in `files` (repository-relative) compared with the accepted state. */
  check(files: readonly string[]): Promise<{ ok: boolean; detail: string; files: string[] }>;
  /** Makes the last checked state the accepted one. */
  accept(): void;
}

/** The repository's tests, as the gate uses it. */
export interface TestGate {
  /** Whether `check` can run only the tests related to the touched files. */
  related: boolean;
  /**
   * Runs the tests on the disk's state and compares them with the baseline. With `inAccepted`,
   * tests that fail are rerun on the accepted state to tell flaky tests from broken ones.
   */
  check(
    touched: readonly string[],
    mode: 'related' | 'full',
    inAccepted?: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<{ ok: boolean; detail: string; testFiles: string[] | undefined }>;
}

export interface GateDeps {
  /** Scans the worktree (incrementally). */
  scan(): Promise<ScanReport>;
  /** Writes base + accepted + trial to disk. */
  write(trial: readonly Candidate[]): Promise<unknown>;
  /** Content of a file in the base the candidates were proposed on. */
  contentBefore(file: string): Promise<string>;
  readFile(file: string): Promise<string>;
  root: string;
  typecheck: TypeChecker | undefined;
  lint: LintGate | undefined;
  tests: TestGate | undefined;
  /** The task a model is given for a finding, as the run's task kind words it. */
  taskFor(finding: Finding): Task;
  /** The repository's rule options by rule id, as the models are given them. */
  /** Each file's rule options, its config overrides included. */
  ruleOptions: RuleOptionsOf;
}

/** What a passing validation leaves behind, to become the accepted state. */
interface Pass {
  report: ScanReport;
  diagnostics: TypeDiagnostic[] | undefined;
}

export interface Gate {
  /** Quick: parse, rescan, idempotence and type-check. Full: lint and tests as well. */
  validate(
    trial: readonly Candidate[],
    level: 'quick' | 'full',
  ): Promise<{ verdict: Verdict; checks: CheckResult[] }>;
  /** Makes the state of the last passing validation the accepted one. */
  accept(): void;
  /** The accepted state's scan. */
  readonly report: ScanReport;
}

type Step = (trial: readonly Candidate[], after: Partial<Pass>) => Promise<StepResult>;
interface StepResult {
  ok: boolean;
  detail?: string;
  suspects?: Set<string>;
  /** Independent failures, each with the files it depends on. */
  failures?: Set<string>[];
}

/** One failure per file: a file's problems can only come from changes to that file. */
function perFile(files: Iterable<string>): Set<string>[] {
  return [...new Set(files)].map((f) => new Set([f]));
}

function touchedFiles(trial: readonly Candidate[]): string[] {
  return [...new Set(trial.flatMap((c) => c.changes.map((ch) => ch.file)))];
}

interface GateState {
  accepted: Pass;
}

function parseStep(deps: GateDeps, state: GateState): Step {
  return async (trial, after) => {
    after.report = await deps.scan();
    const before = new Map(state.accepted.report.files.map((f) => [f.path, f.parseError]));
    const broken = after.report.files.filter(
      (f) => f.parseError !== undefined && before.get(f.path) === undefined,
    );
    const touched = new Set(touchedFiles(trial));
    const missing = [...touched].filter((f) => !after.report!.files.some((r) => r.path === f));
    const bad = [...broken.map((f) => f.path), ...missing];
    if (bad.length === 0) return { ok: true };
    return {
      ok: false,
      detail: `does not parse: ${bad.join(', ')}${broken[0] ? ` (${broken[0].parseError})` : ''}`,
      suspects: new Set(bad),
      failures: perFile(bad),
    };
  };
}

function rescanStep(deps: GateDeps, state: GateState): Step {
  return (trial, after) => {
    const judged = judgeRescan(
      state.accepted.report,
      after.report!,
      trial.map((c) => c.finding),
      touchedFiles(trial),
    );
    if (judged.problems.length === 0) return Promise.resolve({ ok: true, detail: judged.scores });
    return Promise.resolve({
      ok: false,
      detail: `${judged.problems.slice(0, 5).join('; ')} (scores: ${judged.scores})`,
      suspects: new Set(judged.files),
      ...(judged.files.length > 0 ? { failures: perFile(judged.files) } : {}),
    });
  };
}

function idempotenceStep(deps: GateDeps, _state: GateState): Step {
  return async (trial) => {
    const again: string[] = [];
    for (const candidate of trial) {
      // Only a deterministic engine can be asked again meaningfully; an LLM would be paid to
      // answer a finding that no longer exists, differently each time.
      if (!candidate.model.builtin) continue;
      const file = candidate.finding.file;
      const before = await deps.contentBefore(file);
      const current = await deps.readFile(file);
      const edits = candidate.changes.filter((c) => c.file === file).flatMap((c) => c.edits);
      const location = mapLocation(candidate.finding.location, before, current, edits);
      const proposals = await candidate.model.propose(
        deps.taskFor({ ...candidate.finding, location }),
        { root: deps.root, readFile: deps.readFile, ruleOptions: deps.ruleOptions(file) },
      );
      for (const proposal of proposals) {
        for (const change of proposal.changes) {
          const text = await deps.readFile(change.file);
          if (applyEdits(text, change.edits) !== text) again.push(candidate.finding.file);
        }
      }
    }
    if (again.length === 0) return { ok: true };
    return {
      ok: false,
      detail: `applying the model again changes ${[...new Set(again)].join(', ')}`,
      suspects: new Set(again),
      failures: perFile(again),
    };
  };
}

function typecheckStep(deps: GateDeps, state: GateState): Step {
  return async (_trial, after) => {
    if (!deps.typecheck) return { ok: true, detail: 'not run' };
    try {
      after.diagnostics = await deps.typecheck.check();
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      return {
        ok: false,
        detail: 'TypeScript overflowed its stack: code nested too deeply for it',
      };
    }
    const added = diffDiagnostics(state.accepted.diagnostics ?? [], after.diagnostics);
    if (added.length === 0) return { ok: true };
    const first = added[0]!;
    return {
      ok: false,
      detail: `${added.length} new type error(s), first ${first.file}:${first.line} TS${first.code} ${first.message}`,
      suspects: importClosure(after.report!, added.map((d) => d.file).filter(Boolean)),
      ...(added.every((d) => d.file !== '')
        ? {
            failures: [...new Set(added.map((d) => d.file))].map((f) =>
              importClosure(after.report!, [f]),
            ),
          }
        : {}),
    };
  };
}

function lintStep(deps: GateDeps, _state: GateState): Step {
  return async (trial) => {
    if (!deps.lint) return { ok: true, detail: 'not run' };
    const result = await deps.lint.check(touchedFiles(trial));
    return {
      ok: result.ok,
      detail: result.detail,
      suspects: new Set(result.files),
      ...(result.files.length > 0 ? { failures: perFile(result.files) } : {}),
    };
  };
}

function testsStep(deps: GateDeps, _state: GateState): Step {
  return async (trial, after) => {
    if (!deps.tests) return { ok: true, detail: 'not run' };
    const mode = deps.tests.related ? 'related' : 'full';
    const inAccepted = async <T>(work: () => Promise<T>): Promise<T> => {
      await deps.write([]);
      try {
        return await work();
      } finally {
        await deps.write(trial);
      }
    };
    const result = await deps.tests.check(touchedFiles(trial), mode, inAccepted);
    const files = result.testFiles;
    if (!files) return { ok: result.ok, detail: result.detail };
    return {
      ok: result.ok,
      detail: result.detail,
      suspects: importClosure(after.report!, files),
      failures: [...new Set(files)].map((f) => importClosure(after.report!, [f])),
    };
  };
}

/** Every check the gate can run, by name. */
const STEPS: Record<CheckName, (deps: GateDeps, state: GateState) => Step> = {
  parse: parseStep,
  rescan: rescanStep,
  idempotence: idempotenceStep,
  typecheck: typecheckStep,
  lint: lintStep,
  tests: testsStep,
};

/** The gate's checks, in order: `quick` per change before any test run, `full` per batch. */
export interface GateChecks {
  quick: readonly CheckName[];
  full: readonly CheckName[];
}

/**
 * The gate, running the checks a task kind declares. Every check after `parse` reads the scan
 * `parse` takes, so both lists must start with it.
 */
export function createGate(
  deps: GateDeps,
  initial: { report: ScanReport; diagnostics: TypeDiagnostic[] | undefined },
  checks: GateChecks,
): Gate {
  const state: GateState = { accepted: { ...initial } };
  let lastPass: Pass | undefined;
  for (const list of [checks.quick, checks.full]) {
    if (list[0] !== 'parse')
      throw new Error(`the gate's checks must start with parse: ${list.join(', ')}`);
  }
  const steps = new Map<CheckName, Step>();
  const stepsOf = (names: readonly CheckName[]): [CheckName, Step][] =>
    names.map((name) => {
      let step = steps.get(name);
      if (!step) steps.set(name, (step = STEPS[name](deps, state)));
      return [name, step];
    });
  const quickSteps = stepsOf(checks.quick);
  const fullSteps = stepsOf(checks.full);

  return {
    get report() {
      return state.accepted.report;
    },
    async validate(trial, level) {
      lastPass = undefined;
      await deps.write(trial);
      const after: Partial<Pass> = {};
      const checks: CheckResult[] = [];
      for (const [name, step] of level === 'quick' ? quickSteps : fullSteps) {
        const started = performance.now();
        const result = await step(trial, after);
        checks.push({
          name,
          ok: result.ok,
          ...(result.detail !== undefined ? { detail: result.detail } : {}),
          durationMs: performance.now() - started,
        });
        if (!result.ok) {
          return {
            verdict: {
              ok: false,
              gate: name,
              ...(result.detail !== undefined ? { reason: result.detail } : {}),
              ...(result.suspects ? { suspects: result.suspects } : {}),
              ...(result.failures ? { failures: result.failures } : {}),
            },
            checks,
          };
        }
      }
      lastPass = {
        report: after.report!,
        diagnostics: after.diagnostics ?? state.accepted.diagnostics,
      };
      return { verdict: { ok: true }, checks };
    },
    accept() {
      if (!lastPass) throw new Error('accept() without a passing validation');
      state.accepted = lastPass;
      deps.lint?.accept();
      lastPass = undefined;
    },
  };
}
