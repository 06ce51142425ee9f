import type { ScanReport } from '../../core/index.js';
import {
  compareLint,
  baselineProblem,
  compareTestRuns,
  describeFailures,
  detectLinters,
  detectTestRunner,
  mergeLintErrors,
  runLint,
  runTests,
  scriptBaselineProblem,
  SCRIPT_FILE,
  SCRIPT_RULE,
  type LintErrors,
  type LintIncrease,
  type LintRun,
  type LinterDetection,
  type LinterInfo,
  type RunLintOptions,
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

/**
 * The test files (entries of a run's `files`) that hold the given tests, to rerun only them;
 * undefined when one cannot be placed (then the whole suite reruns).
 */
function filesOfTests(ids: readonly string[], files: readonly string[]): string[] | undefined {
  const found = ids.map((id) =>
    files
      .filter((f) => id.startsWith(`${f} > `))
      .sort((a, b) => b.length - a.length)
      .at(0),
  );
  return found.every((f) => f !== undefined) ? [...new Set(found as string[])] : undefined;
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
  options: { node?: string } = {},
): Promise<{ prepared: PreparedTests | undefined; availability: CheckAvailability }> {
  const detected = await detectTestRunner(root);
  if (!('runner' in detected)) {
    return {
      prepared: undefined,
      availability: { name: 'tests', ran: false, detail: detected.reason },
    };
  }
  const { runner } = detected;
  const base = { cwd: root, timeoutMs, ...(options.node ? { node: options.node } : {}) };
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
  const rerunOnAccepted = async (
    ids: string[],
    after: TestRun,
    inAccepted: InAccepted,
  ): Promise<void> => {
    let open = ids.filter((id) => !stable.has(id) && !flaky.has(id));
    if (open.length === 0) return;
    const testFiles = filesOfTests(open, after.files);
    await inAccepted(async () => {
      for (let i = 0; i < RERUNS && open.length > 0; i++) {
        const run = await runTests(runner, { ...base, ...(testFiles ? { testFiles } : {}) });
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
        ...base,
        ...(mode === 'related' ? { related: [...touched] } : {}),
      });
      const scope = run.related ? 'related tests' : 'full suite';
      let comparison = compare(run);
      const missing = new Set(comparison.missing);
      const suspects = comparison.newFailures.filter((id) => !missing.has(id));
      if (!comparison.ok && run.status === 'ran' && inAccepted && suspects.length > 0) {
        await rerunOnAccepted(suspects, run, inAccepted);
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
    runner: runner.describe,
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
      const first = await runTests(runner, base);
      baselineMs = performance.now() - started;
      const problem = baselineProblem(first, first) ?? scriptBaselineProblem(runner, first);
      if (problem !== undefined) {
        return { name: 'tests', ran: false, detail: `${runner.describe}: ${problem}` };
      }
      baseline = first;
      return {
        name: 'tests',
        ran: true,
        detail: `${runner.describe}, ${first.executed} ${runner.weak ? 'tests and scripts' : 'tests'} executed in one baseline run${related}; a test that fails after a change is rerun ${RERUNS} times on the accepted state to tell flaky from broken`,
      };
    },
  };
  return {
    prepared,
    availability: {
      name: 'tests',
      ran: false,
      detail: `${runner.describe} detected; not run: no change passed the quick checks, so no baseline was needed`,
    },
  };
}

/** How a linter that ran is named in the report: `xo 1.2.3 (package.json#xo)`. */
function describeLinter(linter: LinterInfo): string {
  return `${linter.label}${linter.version === '' ? '' : ` ${linter.version}`} (${linter.config})`;
}

function describeNewErrors(added: LintIncrease[], after: LintRun): string {
  const script = added.find((e) => e.file === SCRIPT_FILE && e.ruleId === SCRIPT_RULE);
  const others = added.filter((e) => e !== script);
  const parts = [
    ...(script === undefined
      ? []
      : [`the lint script failed where it passed before: ${tail(after.output)}`]),
    ...(others.length === 0
      ? []
      : [
          `${others.length} new lint error(s): ${others
            .slice(0, 3)
            .map((e) => `${e.file} ${e.ruleId}`)
            .join('; ')}`,
        ]),
  ];
  return parts.join('; ');
}

interface LinterBaseline {
  linter: LinterInfo;
  baseline: LintRun;
}

/** Lints the files once with each linter: those that can serve, and why the others cannot. */
async function takeLintBaselines(
  root: string,
  detection: LinterDetection,
  files: readonly string[],
  common: LintOptions,
): Promise<{ ran: LinterBaseline[]; notRun: string[] }> {
  const notRun = detection.notRun.map((skip) => `${skip.label}: ${skip.reason}`);
  const ran: LinterBaseline[] = [];
  for (const linter of detection.linters) {
    const baseline = await runLint(linter, { cwd: root, files, ...common });
    if (baseline.status !== 'ran') {
      notRun.push(
        `${linter.label}: the baseline run ended with ${baseline.status}: ${tail(baseline.output)}`,
      );
    } else if (linter.name === 'script' && Object.keys(baseline.errors).length > 0) {
      // A script that fails already cannot tell a change that breaks it.
      notRun.push(`the lint script fails on the baseline: ${tail(baseline.output)}`);
    } else ran.push({ linter, baseline });
  }
  return { ran, notRun };
}

type LintOptions = Pick<RunLintOptions, 'timeoutMs' | 'node'>;

/** Runs every linter on the touched files and compares their errors with the accepted state. */
function createLintGate(
  root: string,
  ran: readonly LinterBaseline[],
  common: LintOptions,
): LintGate {
  let accepted: LintErrors = mergeLintErrors(...ran.map((r) => r.baseline.errors));
  let pending: LintErrors | undefined;
  return {
    async check(touched) {
      const runs: LintRun[] = [];
      for (const { linter } of ran) {
        const run = await runLint(linter, { cwd: root, files: touched, ...common });
        // A crash names no file: the batch is narrowed down by halves, not file by file.
        if (run.status !== 'ran') {
          return {
            ok: false,
            detail: `${linter.label} ${run.status}: ${tail(run.output)}`,
            files: [],
          };
        }
        runs.push(run);
      }
      const after: LintRun = {
        status: 'ran',
        errors: mergeLintErrors(...runs.map((r) => r.errors)),
        output: runs.map((r) => r.output).join('\n'),
      };
      const before: LintRun = {
        ...after,
        errors: Object.fromEntries([...touched, SCRIPT_FILE].map((f) => [f, accepted[f] ?? {}])),
      };
      const added = compareLint(before, after);
      pending = after.errors;
      if (added.length === 0)
        return { ok: true, detail: `no new errors in ${touched.length} file(s)`, files: [] };
      // The lint script's failure names no file, so none is suspected more than another.
      const located = added.every((e) => e.file !== SCRIPT_FILE);
      return {
        ok: false,
        detail: describeNewErrors(added, after),
        files: located ? [...new Set(added.map((e) => e.file))] : [],
      };
    },
    accept() {
      if (pending) accepted = { ...accepted, ...pending };
      pending = undefined;
    },
  };
}

/** What ran, by name and version, and what did not, with the reason. */
function describeLintRun(ran: readonly LinterBaseline[], notRun: readonly string[]): string {
  const linters = ran.filter((r) => r.linter.name !== 'script').map((r) => r.linter);
  const parts = [
    ...(linters.length === 0
      ? []
      : [`${linters.map(describeLinter).join(', ')}: no new errors in touched files`]),
    ...(ran.some((r) => r.linter.name === 'script')
      ? [
          'the lint script (scripts.lint), run whole: its exit status compared with the baseline, a weaker check',
        ]
      : []),
  ];
  return `${parts.join('; ')}${notRun.length === 0 ? '' : `; NOT RUN: ${notRun.join('; ')}`}`;
}

/**
 * Detects every linter the repository uses (ESLint, xo, oxlint, Biome, or its `lint` script as a
 * fallback) and lints every scanned file once with each for the baseline. The availability names
 * exactly which linters ran, and which are configured but did not, with the reason. `node` is the
 * Node binary to run them with (the repository's), ours by default.
 */
export async function prepareLint(
  root: string,
  report: ScanReport,
  options: { node?: string } = {},
): Promise<{ gate: LintGate | undefined; availability: CheckAvailability }> {
  const detection = await detectLinters(root);
  const common: LintOptions = {
    timeoutMs: LINT_TIMEOUT_MS,
    ...(options.node === undefined ? {} : { node: options.node }),
  };
  const files = report.files.map((f) => f.path);
  const { ran, notRun } = await takeLintBaselines(root, detection, files, common);
  if (ran.length === 0) {
    const detail =
      notRun.length > 0
        ? notRun.join('; ')
        : 'no linter: no ESLint, xo, oxlint or Biome config, and no lint script';
    return { gate: undefined, availability: { name: 'lint', ran: false, detail } };
  }
  return {
    gate: createLintGate(root, ran, common),
    availability: { name: 'lint', ran: true, detail: describeLintRun(ran, notRun) },
  };
}
