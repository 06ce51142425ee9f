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
  SCRIPT_FILE,
  SCRIPT_RULE,
  type LintErrors,
  type LintIncrease,
  type LintRun,
  type LinterDetection,
  type LinterInfo,
  type RunLintOptions,
  type TestRun,
} from '../../fixes/index.js';
import type { LintGate, TestGate } from './gate.js';
import type { CheckAvailability } from './types.js';

const LINT_TIMEOUT_MS = 5 * 60_000;

export interface PreparedTests {
  gate: TestGate;
  /** Tests whose outcome differed between the two baseline runs. */
  flaky: string[];
  /** Tests the first baseline run executed (at least one, or the tests do not count as run). */
  executed: number;
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

/**
 * Detects the repository's test runner and runs the full suite twice on HEAD: tests passing in
 * both runs must keep passing; tests that flip between them are flaky and left out.
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
  const first = await runTests(runner, { cwd: root, timeoutMs });
  const second = first.status === 'ran' ? await runTests(runner, { cwd: root, timeoutMs }) : first;
  const problem = baselineProblem(first, second);
  if (problem !== undefined) {
    return {
      prepared: undefined,
      availability: { name: 'tests', ran: false, detail: `${runner.name}: ${problem}` },
    };
  }
  const baseline: [TestRun, TestRun] = [first, second];
  const flaky = compareTestRuns(baseline, first).flaky;
  const gate: TestGate = {
    related: runner.supportsRelated,
    async check(touched, mode) {
      const run = await runTests(runner, {
        cwd: root,
        timeoutMs,
        ...(mode === 'related' ? { related: [...touched] } : {}),
      });
      const comparison = compareTestRuns(baseline, run);
      const scope = run.related ? 'related tests' : 'full suite';
      if (comparison.ok) {
        return {
          ok: true,
          detail: `${run.executed} tests executed, ${run.passed} passed (${scope})`,
          testFiles: undefined,
        };
      }
      if (run.status !== 'ran') {
        return {
          ok: false,
          detail: `${scope} ${run.status}: ${run.lastWords}`,
          testFiles: undefined,
        };
      }
      if (comparison.empty) {
        return {
          ok: false,
          detail: `the ${scope} executed no test (the baseline executed ${first.executed}): ${run.lastWords}`,
          testFiles: undefined,
        };
      }
      const located = comparison.newFailures.map((id) => testFileOf(id, files));
      return {
        ok: false,
        detail: describeFailures(comparison, scope),
        testFiles: located.every((f) => f !== undefined) ? (located as string[]) : undefined,
      };
    },
  };
  const total = first.executed;
  return {
    prepared: { gate, flaky, executed: first.executed },
    availability: {
      name: 'tests',
      ran: true,
      detail: `${runner.name}, ${total} tests executed, baseline run twice${flaky.length > 0 ? `, ${flaky.length} flaky excluded` : ''}${runner.supportsRelated ? ', related tests per batch and the full suite at the end' : ''}`,
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
