import { describe, expect, it } from 'vitest';
import { baselineProblem, compareTestRuns, describeFailures } from './test-compare.js';
import { executedTests, type TestOutcome, type TestRun } from './test-runner.js';

function run(tests: Record<string, TestOutcome>, extra: Partial<TestRun> = {}): TestRun {
  const outcomes = Object.values(tests);
  return {
    status: 'ran',
    tests,
    failed: outcomes.filter((o) => o === 'fail').length,
    passed: outcomes.filter((o) => o === 'pass').length,
    executed: executedTests(tests),
    durationMs: 0,
    related: false,
    files: [],
    output: '',
    lastWords: '',
    ...extra,
  };
}

const base = run({
  'a.test.js > adds': 'pass',
  'a.test.js > broken': 'fail',
  'b.test.js > b': 'pass',
});

describe('compareTestRuns', () => {
  it.each<[string, TestRun, string[], string[]?]>([
    ['nothing changed', base, []],
    [
      'a passing test fails',
      run({ ...base.tests, 'a.test.js > adds': 'fail' }),
      ['a.test.js > adds'],
    ],
    [
      'a failing test passes, which is fine',
      run({ ...base.tests, 'a.test.js > broken': 'pass' }),
      [],
    ],
    ['a new test fails', run({ ...base.tests, 'a.test.js > new': 'fail' }), ['a.test.js > new']],
    [
      'a passing test is skipped',
      run({ ...base.tests, 'a.test.js > adds': 'skip' }),
      ['a.test.js > adds'],
    ],
    [
      'a file no longer loads: its tests vanish and the file fails',
      run({ 'a.test.js > (file)': 'fail', 'b.test.js > b': 'pass' }),
      ['a.test.js > (file)', 'a.test.js > adds', 'a.test.js > broken'],
      ['a.test.js > adds', 'a.test.js > broken'],
    ],
    [
      'a deleted failing test does not count as fixed',
      run({ 'a.test.js > adds': 'pass', 'b.test.js > b': 'pass' }),
      ['a.test.js > broken'],
      ['a.test.js > broken'],
    ],
    [
      'a renamed test is missing under its old name',
      run({ 'a.test.js > adds': 'pass', 'a.test.js > broken': 'fail', 'b.test.js > b2': 'pass' }),
      ['b.test.js > b'],
      ['b.test.js > b'],
    ],
    [
      'a related run leaves out files it did not run',
      run(
        { 'a.test.js > adds': 'pass', 'a.test.js > broken': 'fail' },
        { related: true, files: ['a.test.js'] },
      ),
      [],
    ],
    [
      'a related run counts vanished tests of the files it ran',
      run({ 'a.test.js > broken': 'fail' }, { related: true, files: ['a.test.js'] }),
      ['a.test.js > adds'],
      ['a.test.js > adds'],
    ],
    ['a related run that reached no test file', run({}, { related: true }), []],
  ])('%s', (_, after, newFailures, missing = []) => {
    const result = compareTestRuns([base, base], after);
    expect(result).toEqual({
      newFailures,
      flaky: [],
      missing,
      empty: false,
      ok: newFailures.length === 0,
    });
  });

  it('is not ok when a full run executes no test where the baseline executed some', () => {
    const crashed = run({ 'a.test.js > (file)': 'fail', 'b.test.js > (file)': 'fail' });
    const result = compareTestRuns([base, base], crashed);
    expect(result).toMatchObject({ empty: true, ok: false });
    expect(result.missing).toEqual(['a.test.js > adds', 'a.test.js > broken', 'b.test.js > b']);
    // Even when every baseline test was flaky, so that none can be missing.
    const flaky = run({ 'a.test.js > adds': 'fail' });
    const flipped = run({ 'a.test.js > adds': 'pass' });
    expect(compareTestRuns([flaky, flipped], run({}))).toMatchObject({
      missing: [],
      empty: true,
      ok: false,
    });
  });

  it('does not count a file that loads again as a missing test', () => {
    const broken = run({ 'a.test.js > (file)': 'fail', 'b.test.js > b': 'pass' });
    const fixed = run({ 'a.test.js > adds': 'pass', 'b.test.js > b': 'pass' });
    expect(compareTestRuns([broken, broken], fixed)).toMatchObject({ missing: [], ok: true });
  });

  it('counts only real tests as executed', () => {
    expect(
      executedTests({
        'a.test.js > (file)': 'fail',
        '(run) > exit code': 'fail',
        'b.test.js > skipped': 'skip',
        'b.test.js > b': 'pass',
        'b.test.js > c': 'fail',
      }),
    ).toBe(2);
  });

  it('excludes tests that flip between the baseline runs, and reports them', () => {
    const second = run({ ...base.tests, 'a.test.js > adds': 'fail', 'c.test.js > once': 'pass' });
    const after = run({ ...base.tests, 'a.test.js > adds': 'fail' });
    expect(compareTestRuns([base, second], after)).toEqual({
      newFailures: [],
      flaky: ['a.test.js > adds', 'c.test.js > once'],
      missing: [],
      empty: false,
      ok: true,
    });
  });

  it.each(['timeout', 'error'] as const)('is not ok when a run ended with %s', (status) => {
    expect(compareTestRuns([base, base], run({}, { status }))).toEqual({
      newFailures: [],
      flaky: [],
      missing: [],
      empty: false,
      ok: false,
    });
    expect(compareTestRuns([run({}, { status }), base], base).ok).toBe(false);
  });
});

describe('baselineProblem', () => {
  it.each<[string, TestRun, string | undefined]>([
    ['a baseline that executed tests serves', base, undefined],
    [
      'a crash before any report',
      run({}, { status: 'error', lastWords: 'Error: requires Node >= 99' }),
      'the tests could not run (the baseline run ended with error): Error: requires Node >= 99',
    ],
    [
      'a timeout',
      run({}, { status: 'timeout', lastWords: 'timed out' }),
      'the tests could not run (the baseline run ended with timeout): timed out',
    ],
    [
      'every test file failing to load, which reads as one failing entry',
      run({ 'a.test.js > (file)': 'fail' }, { lastWords: 'Error: boom' }),
      'the tests could not run (the baseline executed no test, a.test.js > (file) failed): Error: boom',
    ],
    [
      'an unexplained exit code and nothing else',
      run({ '(run) > exit code': 'fail' }, { lastWords: 'x' }),
      'the tests could not run (the baseline executed no test, (run) > exit code failed): x',
    ],
    [
      'only skipped tests',
      run({ 'a.test.js > later': 'skip' }, { lastWords: 'y' }),
      'the tests could not run (the baseline executed no test): y',
    ],
  ])('%s', (_, first, problem) => {
    expect(baselineProblem(first, base)).toBe(problem);
    expect(baselineProblem(base, first)).toBe(problem);
  });
});

describe('describeFailures', () => {
  it('tells failing tests from tests that no longer ran', () => {
    const after = run({ 'a.test.js > adds': 'fail', 'c.test.js > new': 'fail' });
    expect(describeFailures(compareTestRuns([base, base], after), 'full suite')).toBe(
      '2 new failure(s): a.test.js > adds; c.test.js > new; 2 baseline test(s) no longer ran: a.test.js > broken; b.test.js > b (full suite)',
    );
  });
});
