import type { TestRun } from './test-runner.js';

/** The verdict on a change from the test runs before it (twice) and after it. */
export interface TestComparison {
  /** Tests the change broke, sorted. */
  newFailures: string[];
  /** Tests whose outcome differed between the two baseline runs; excluded from the verdict. */
  flaky: string[];
  /** True when all three runs ran to a report and nothing new fails. */
  ok: boolean;
}

function union(...records: Record<string, unknown>[]): Set<string> {
  return new Set(records.flatMap((record) => Object.keys(record)));
}

/**
 * Whether `after` ran the test's file: always for a full run, only its files for a related run,
 * never for a run without a report (which says nothing about single tests).
 */
function coveredBy(after: TestRun): (id: string) => boolean {
  if (after.status !== 'ran') return () => false;
  if (!after.related) return () => true;
  const prefixes = after.files.map((file) => `${file} > `);
  return (id) => prefixes.some((prefix) => id.startsWith(prefix));
}

/**
 * Compares the tests after a change with two baseline runs before it. Flaky: a test whose outcome
 * differs between the baseline runs (including present in one only); it is reported and excluded.
 * A new failure is a test that
 * - fails after the change and did not fail in both baseline runs (a new test that fails counts,
 *   so does a skipped one that now runs and fails), or
 * - passed in both baseline runs and is skipped or missing after the change. Missing counts because
 *   a test file that no longer loads loses its tests; a renamed test therefore counts as well. In a
 *   related run, only tests of the files it ran can be missing.
 * Not ok when any of the three runs timed out or crashed, since then there is nothing to compare
 * (and missing tests of such a run are not listed).
 */
export function compareTestRuns(baseline: [TestRun, TestRun], after: TestRun): TestComparison {
  const [first, second] = baseline;
  const flaky = [...union(first.tests, second.tests)].filter(
    (id) => first.tests[id] !== second.tests[id],
  );
  const excluded = new Set(flaky);
  const covered = coveredBy(after);
  const newFailures = [...union(first.tests, after.tests)].filter((id) => {
    if (excluded.has(id)) return false;
    const before = first.tests[id];
    const now = after.tests[id];
    if (now === 'fail') return before !== 'fail';
    return before === 'pass' && now !== 'pass' && (now === 'skip' || covered(id));
  });
  const allRan = [first, second, after].every((run) => run.status === 'ran');
  return {
    newFailures: newFailures.sort(),
    flaky: flaky.sort(),
    ok: allRan && newFailures.length === 0,
  };
}
