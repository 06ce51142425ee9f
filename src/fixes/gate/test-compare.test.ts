import { describe, expect, it } from 'vitest';
import { compareTestRuns } from './test-compare.js';
import type { TestOutcome, TestRun } from './test-runner.js';

function run(tests: Record<string, TestOutcome>, extra: Partial<TestRun> = {}): TestRun {
  const outcomes = Object.values(tests);
  return {
    status: 'ran',
    tests,
    failed: outcomes.filter((o) => o === 'fail').length,
    passed: outcomes.filter((o) => o === 'pass').length,
    durationMs: 0,
    related: false,
    files: [],
    output: '',
    ...extra,
  };
}

const base = run({
  'a.test.js > adds': 'pass',
  'a.test.js > broken': 'fail',
  'b.test.js > b': 'pass',
});

describe('compareTestRuns', () => {
  it.each<[string, TestRun, string[]]>([
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
      ['a.test.js > (file)', 'a.test.js > adds'],
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
    ],
  ])('%s', (_, after, newFailures) => {
    const result = compareTestRuns([base, base], after);
    expect(result).toEqual({ newFailures, flaky: [], ok: newFailures.length === 0 });
  });

  it('excludes tests that flip between the baseline runs, and reports them', () => {
    const second = run({ ...base.tests, 'a.test.js > adds': 'fail', 'c.test.js > once': 'pass' });
    const after = run({ ...base.tests, 'a.test.js > adds': 'fail' });
    expect(compareTestRuns([base, second], after)).toEqual({
      newFailures: [],
      flaky: ['a.test.js > adds', 'c.test.js > once'],
      ok: true,
    });
  });

  it.each(['timeout', 'error'] as const)('is not ok when a run ended with %s', (status) => {
    expect(compareTestRuns([base, base], run({}, { status }))).toEqual({
      newFailures: [],
      flaky: [],
      ok: false,
    });
    expect(compareTestRuns([run({}, { status }), base], base).ok).toBe(false);
  });
});
