import { isSyntheticTest, type TestRun } from './test-runner.js';

/** The verdict on a change from the test runs before it (twice) and after it. */
export interface TestComparison {
  /** Tests the change broke, sorted. */
  newFailures: string[];
  /** Tests whose outcome differed between the two baseline runs; excluded from the verdict. */
  flaky: string[];
  /**
   * Tests of the baseline that the run after the change should have run and did not (among
   * `newFailures` too), sorted: a test file that no longer loads, a deleted or renamed test.
   */
  missing: string[];
  /** True when the run after the change executed no test although the baseline executed some. */
  empty: boolean;
  /** True when all three runs ran to a report, nothing new fails and the run executed tests. */
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
 * - passed in both baseline runs and is skipped after the change, or
 * - is in both baseline runs (whatever its outcome) and missing after the change: a test file that
 *   no longer loads loses its tests, and deleting a failing test does not make it pass; a renamed
 *   test therefore counts as well. In a related run, only tests of the files it ran can be
 *   missing. Entries that stand for a file that did not load are not tests and cannot go missing.
 * A full run that executes no test where the baseline executed some is not ok either.
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
  const missing = Object.keys(first.tests).filter(
    (id) => !excluded.has(id) && !isSyntheticTest(id) && !(id in after.tests) && covered(id),
  );
  const newFailures = [...union(first.tests, after.tests)].filter((id) => {
    if (excluded.has(id)) return false;
    const before = first.tests[id];
    const now = after.tests[id];
    if (now === 'fail') return before !== 'fail';
    if (now === undefined) return missing.includes(id);
    return before === 'pass' && now === 'skip';
  });
  const allRan = [first, second, after].every((run) => run.status === 'ran');
  // A related run may rightly run nothing (no test reaches the change); a full run may not.
  const empty = allRan && !after.related && first.executed > 0 && after.executed === 0;
  return {
    newFailures: newFailures.sort(),
    flaky: flaky.sort(),
    missing: missing.sort(),
    empty,
    ok: allRan && !empty && newFailures.length === 0,
  };
}

const LISTED = 3;

function listed(ids: readonly string[]): string {
  const more = ids.length > LISTED ? `; … ${ids.length - LISTED} more` : '';
  return `${ids.slice(0, LISTED).join('; ')}${more}`;
}

/**
 * Why two baseline runs cannot serve to validate changes, or undefined when they can: a run that
 * did not end with a report, or one that executed no test (a runner that crashed while loading,
 * every test file failing to load). The reason ends with the runner's own last words.
 */
export function baselineProblem(first: TestRun, second: TestRun): string | undefined {
  const broken = [first, second].find((run) => run.status !== 'ran');
  if (broken) {
    return `the tests could not run (the baseline run ended with ${broken.status}): ${broken.lastWords}`;
  }
  const empty = [first, second].find((run) => run.executed === 0);
  if (!empty) return undefined;
  const unloaded = Object.keys(empty.tests).filter(isSyntheticTest);
  const why = unloaded.length > 0 ? `, ${listed(unloaded)} failed` : '';
  return `the tests could not run (the baseline executed no test${why}): ${empty.lastWords}`;
}

/** The failures of a comparison that is not ok, for a person: new failures, then lost tests. */
export function describeFailures(comparison: TestComparison, scope: string): string {
  const missing = new Set(comparison.missing);
  const failing = comparison.newFailures.filter((id) => !missing.has(id));
  const parts = [
    ...(failing.length > 0 ? [`${failing.length} new failure(s): ${listed(failing)}`] : []),
    ...(missing.size > 0
      ? [`${missing.size} baseline test(s) no longer ran: ${listed(comparison.missing)}`]
      : []),
  ];
  return `${parts.join('; ')} (${scope})`;
}
