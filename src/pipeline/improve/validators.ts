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
  scriptBaselineProblem,
  type LintRun,
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
  const problem = baselineProblem(first, second) ?? scriptBaselineProblem(runner, first);
  if (problem !== undefined) {
    return {
      prepared: undefined,
      availability: { name: 'tests', ran: false, detail: `${runner.describe}: ${problem}` },
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
      detail: `${runner.describe}, ${total} ${runner.weak ? 'tests and scripts' : 'tests'} executed, baseline run twice${flaky.length > 0 ? `, ${flaky.length} flaky excluded` : ''}${runner.supportsRelated ? ', related tests per batch and the full suite at the end' : ''}`,
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
