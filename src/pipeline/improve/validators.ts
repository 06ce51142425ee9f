import type { ScanReport } from '../../core/index.js';
import {
  compareLint,
  baselineProblem,
  compareTestRuns,
  describeFailures,
  detectLinter,
  detectTestRunner,
  runLint,
  runTests,
  type LintRun,
  type TestComparison,
  type TestRun,
} from '../../fixes/index.js';
import type { LintGate, TestGate } from './gate.js';
import type { CheckAvailability } from './types.js';

const LINT_TIMEOUT_MS = 5 * 60_000;

/** How many times a test that failed after a change is rerun on the accepted state. */
const RERUNS = 3;

/** Runs `work` with the accepted state on disk, then puts the trial back. */
export type InAccepted = <T>(work: () => Promise<T>) => Promise<T>;

export interface PreparedTests {
  gate: TestGate;
  /** What was detected, for the report before the baseline ran. */
  runner: string;
  /** Whether the baseline has been taken (successfully or not). */
  readonly taken: boolean;
  /**
   * Runs the suite once on the disk's current (accepted) state, the first time only: the
   * availability of the tests after it. Taken only when a change has passed the quick checks.
   */
  takeBaseline(): Promise<CheckAvailability>;
  /** Tests that failed after a change and also failed when rerun on the accepted state. */
  readonly flaky: string[];
  /** Tests the baseline executed (0 until it ran). */
  readonly executed: number;
  /** Time spent running the baseline suite, in ms (0 until it ran). */
  readonly baselineMs: number;
}

/** The test file of a test id (`file > suite > title`), among the scanned files. */
function testFileOf(id: string, files: readonly string[]): string | undefined {
  return files
    .filter((f) => id.startsWith(f) || id.includes(` ${f}`) || id.includes(`/${f}`))
    .sort((a, b) => b.length - a.length)[0];
}

function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

/** The failure of a check, for a person. */
function failureResult(
  run: TestRun,
  comparison: TestComparison,
  scope: string,
  baselineExecuted: number,
  files: readonly string[],
): { ok: false; detail: string; testFiles: string[] | undefined } {
  if (run.status !== 'ran') {
    return { ok: false, detail: `${scope} ${run.status}: ${run.lastWords}`, testFiles: undefined };
  }
  if (comparison.empty) {
    return {
      ok: false,
      detail: `the ${scope} executed no test (the baseline executed ${baselineExecuted}): ${run.lastWords}`,
      testFiles: undefined,
    };
  }
  const located = comparison.newFailures.map((id) => testFileOf(id, files));
  return {
    ok: false,
    detail: describeFailures(comparison, scope),
    testFiles: located.every((f) => f !== undefined) ? (located as string[]) : undefined,
  };
}

/** Tests among `ids` that do not pass in every one of the runs (absent counts as not passing). */
function notAlwaysPassing(ids: readonly string[], runs: readonly TestRun[]): string[] {
  return ids.filter((id) => runs.some((run) => run.status !== 'ran' || run.tests[id] !== 'pass'));
}

/**
 * Detects the repository's test runner; the suite runs later, once, when `takeBaseline` is called
 * (when a change has passed the quick checks, so that a run where nothing survives them runs no
 * test at all). A test that fails after a change is rerun on the accepted state: when it fails
 * there too, it is flaky (or broken without the change) and excluded, not blamed on the change.
 */
export async function prepareTests(
  root: string,
  timeoutMs: number,
  files: readonly string[],
): Promise<{ prepared: PreparedTests | undefined; availability: CheckAvailability }> {
  const detected = await detectTestRunner(root);
  if (!('runner' in detected)) {
    return {
      prepared: undefined,
      availability: { name: 'tests', ran: false, detail: detected.reason },
    };
  }
  const { runner } = detected;
  let baseline: TestRun | undefined;
  let taken = false;
  let baselineMs = 0;
  const flaky = new Set<string>();
  const compare = (run: TestRun): TestComparison => {
    const comparison = compareTestRuns([baseline!, baseline!], run);
    const newFailures = comparison.newFailures.filter((id) => !flaky.has(id));
    const missing = comparison.missing.filter((id) => !flaky.has(id));
    const ok =
      run.status === 'ran' && !comparison.empty && newFailures.length === 0 && missing.length === 0;
    return { ...comparison, newFailures, missing, ok };
  };
  /** Tests that passed every rerun on an accepted state: a failure of theirs is real. */
  const stable = new Set<string>();
  /**
   * Reruns new failures on the accepted state, up to `RERUNS` times and only until each has failed
   * there once; those that do are flaky, those that pass every time are stable (never rerun again:
   * every later accepted state passed them too).
   */
  const rerunOnAccepted = async (ids: string[], inAccepted: InAccepted): Promise<void> => {
    let open = ids.filter((id) => !stable.has(id) && !flaky.has(id));
    if (open.length === 0) return;
    await inAccepted(async () => {
      for (let i = 0; i < RERUNS && open.length > 0; i++) {
        const run = await runTests(runner, { cwd: root, timeoutMs });
        if (run.status !== 'ran') return;
        for (const id of notAlwaysPassing(open, [run])) flaky.add(id);
        open = open.filter((id) => !flaky.has(id));
      }
      for (const id of open) stable.add(id);
    });
  };
  const gate: TestGate = {
    related: runner.supportsRelated,
    async check(touched, mode, inAccepted) {
      if (!baseline) throw new Error('test gate used before its baseline was taken');
      const run = await runTests(runner, {
        cwd: root,
        timeoutMs,
        ...(mode === 'related' ? { related: [...touched] } : {}),
      });
      const scope = run.related ? 'related tests' : 'full suite';
      let comparison = compare(run);
      const missing = new Set(comparison.missing);
      const suspects = comparison.newFailures.filter((id) => !missing.has(id));
      if (!comparison.ok && run.status === 'ran' && inAccepted && suspects.length > 0) {
        await rerunOnAccepted(suspects, inAccepted);
        comparison = compare(run);
      }
      if (comparison.ok) {
        return {
          ok: true,
          detail: `${run.executed} tests executed, ${run.passed} passed (${scope})${flaky.size > 0 ? `, ${flaky.size} flaky excluded` : ''}`,
          testFiles: undefined,
        };
      }
      return failureResult(run, comparison, scope, baseline.executed, files);
    },
  };
  const related = runner.supportsRelated
    ? ', related tests per batch and the full suite at the end'
    : '';
  const prepared: PreparedTests = {
    gate,
    runner: runner.name,
    get taken() {
      return taken;
    },
    get flaky() {
      return [...flaky].sort();
    },
    get executed() {
      return baseline?.executed ?? 0;
    },
    get baselineMs() {
      return baselineMs;
    },
    async takeBaseline() {
      taken = true;
      const started = performance.now();
      const first = await runTests(runner, { cwd: root, timeoutMs });
      baselineMs = performance.now() - started;
      const problem = baselineProblem(first, first);
      if (problem !== undefined) {
        return { name: 'tests', ran: false, detail: `${runner.name}: ${problem}` };
      }
      baseline = first;
      return {
        name: 'tests',
        ran: true,
        detail: `${runner.name}, ${first.executed} tests executed in one baseline run${related}; a test that fails after a change is rerun ${RERUNS} times on the accepted state to tell flaky from broken`,
      };
    },
  };
  return {
    prepared,
    availability: {
      name: 'tests',
      ran: false,
      detail: `${runner.name} detected; not run: no change passed the quick checks, so no baseline was needed`,
    },
  };
}

/** Detects the repository's linter and lints every scanned file once for the baseline. */
export async function prepareLint(
  root: string,
  report: ScanReport,
): Promise<{ gate: LintGate | undefined; availability: CheckAvailability }> {
  const detected = await detectLinter(root);
  if (!('linter' in detected)) {
    return { gate: undefined, availability: { name: 'lint', ran: false, detail: detected.reason } };
  }
  const { linter } = detected;
  const files = report.files.map((f) => f.path);
  const baseline = await runLint(linter, { cwd: root, files, timeoutMs: LINT_TIMEOUT_MS });
  if (baseline.status !== 'ran') {
    return {
      gate: undefined,
      availability: {
        name: 'lint',
        ran: false,
        detail: `${linter.name}: the baseline run ended with ${baseline.status}: ${tail(baseline.output)}`,
      },
    };
  }
  let accepted: LintRun['errors'] = { ...baseline.errors };
  let pending: LintRun['errors'] | undefined;
  const gate: LintGate = {
    async check(touched) {
      const after = await runLint(linter, {
        cwd: root,
        files: touched,
        timeoutMs: LINT_TIMEOUT_MS,
      });
      if (after.status !== 'ran') {
        return {
          ok: false,
          detail: `lint ${after.status}: ${tail(after.output)}`,
          files: [...touched],
        };
      }
      const before: LintRun = {
        ...after,
        errors: Object.fromEntries(touched.map((f) => [f, accepted[f] ?? {}])),
      };
      const added = compareLint(before, after);
      pending = after.errors;
      if (added.length === 0)
        return { ok: true, detail: `no new errors in ${touched.length} file(s)`, files: [] };
      return {
        ok: false,
        detail: `${added.length} new lint error(s): ${added
          .slice(0, 3)
          .map((e) => `${e.file} ${e.ruleId}`)
          .join('; ')}`,
        files: [...new Set(added.map((e) => e.file))],
      };
    },
    accept() {
      if (pending) accepted = { ...accepted, ...pending };
      pending = undefined;
    },
  };
  return {
    gate,
    availability: {
      name: 'lint',
      ran: true,
      detail: `${linter.name}, no new errors in touched files`,
    },
  };
}
