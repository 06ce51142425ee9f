import { describe, expect, it } from 'vitest';
import type { Finding, Measure, ScanReport } from '../../core/index.js';
import { judgeRescan, worsenedMeasures } from './judge.js';

function finding(
  ruleId: string,
  line: number,
  measure?: Partial<Measure>,
  effortMinutes = 5,
): Finding {
  return {
    ruleId,
    file: 'src/a.ts',
    category: 'size',
    severity: 'major',
    message: 'm',
    location: { line, column: 1, endLine: line, endColumn: 2 },
    effortMinutes,
    fixability: 'none',
    ...(measure
      ? { measure: { value: 0, threshold: 80, unit: 'lines', subject: 'handle', ...measure } }
      : {}),
  };
}

/** A report whose only parts the judge reads: findings and scores. */
function report(findings: Finding[], repository: number, file: number): ScanReport {
  return {
    findings,
    score: { score: repository, grade: 'B', components: {} },
    files: [{ path: 'src/a.ts', score: { score: file, grade: 'B', components: {} } }],
  } as unknown as ScanReport;
}

describe('worsenedMeasures', () => {
  it('reports a function that grew, matched by name although its line moved', () => {
    const before = [finding('max-function-lines', 10, { value: 91 })];
    const after = [finding('max-function-lines', 14, { value: 102 })];
    expect(worsenedMeasures(before, after)).toEqual([
      { file: 'src/a.ts', reason: 'max-function-lines: handle grew from 91 to 102 lines' },
    ]);
  });

  it('accepts the same measure or a better one', () => {
    const before = [finding('max-function-lines', 10, { value: 91 })];
    expect(worsenedMeasures(before, [finding('max-function-lines', 3, { value: 91 })])).toEqual([]);
    expect(worsenedMeasures(before, [finding('max-function-lines', 3, { value: 85 })])).toEqual([]);
  });

  it('does not pair different functions or rules', () => {
    const before = [finding('max-function-lines', 10, { value: 91, subject: 'other' })];
    const after = [
      finding('max-function-lines', 10, { value: 120 }),
      finding('cognitive-complexity', 10, { value: 120, unit: '' }),
    ];
    expect(worsenedMeasures(before, after)).toEqual([]);
  });
});

describe('judgeRescan', () => {
  const long = finding('max-function-lines', 10, { value: 91 }, 20);
  const redundant = finding('no-redundant-boolean', 40);

  it('accepts a removed finding although the score ratio went down, and reports the scores', () => {
    const judged = judgeRescan(
      report([long, redundant], 70.2, 61.5),
      report([{ ...long, location: { ...long.location, line: 9 } }], 70.1, 61.4),
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual([]);
    expect(judged.scores).toBe('repository 70.2 -> 70.1, src/a.ts 61.5 -> 61.4');
  });

  it('rejects a fix that makes another finding in the same function worse', () => {
    const judged = judgeRescan(
      report([long, redundant], 70.2, 61.5),
      report([{ ...long, measure: { ...long.measure!, value: 102 } }], 70.4, 62),
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual(['max-function-lines: handle grew from 91 to 102 lines']);
    expect(judged.files).toEqual(['src/a.ts']);
  });

  it('rejects a change that suppresses the finding with a comment instead of fixing it', () => {
    const hidden = { ...redundant, suppression: { kind: 'beast' as const, line: 39 } };
    const judged = judgeRescan(
      report([long, redundant], 70, 60),
      { ...report([long], 71, 62), suppressed: [hidden] },
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual(['1 finding(s) suppressed by a comment, not fixed']);
  });

  it('rejects a change that adds debt to the files it touches', () => {
    const judged = judgeRescan(
      report([long, redundant], 70, 60),
      report([{ ...long, effortMinutes: 60 }], 70, 60),
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual([
      'remediation debt of the touched files went up (25 -> 60 min)',
    ]);
  });

  it('still rejects a targeted finding left in place and a new one', () => {
    const judged = judgeRescan(
      report([redundant], 70, 60),
      report([redundant, finding('no-var', 2)], 70, 60),
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual([
      'finding not fixed: no-redundant-boolean src/a.ts',
      'new finding: no-var src/a.ts',
      'remediation debt of the touched files went up (5 -> 10 min)',
    ]);
  });

  it('judges on source findings: a new finding in untouched test code is reported, not a reason', () => {
    const inTest = { ...finding('duplicated-code', 3), file: 'test/a.test.ts' };
    const withTests = (findings: Finding[], tests: number): ScanReport =>
      ({
        ...report(findings, 70, 60),
        testScore: { score: tests, grade: 'B', components: {} },
        files: [
          { path: 'src/a.ts', kind: 'source', score: { score: 60, grade: 'B', components: {} } },
          {
            path: 'test/a.test.ts',
            kind: 'test',
            score: { score: 80, grade: 'A', components: {} },
          },
        ],
      }) as unknown as ScanReport;
    const judged = judgeRescan(
      withTests([redundant], 75),
      withTests([inTest], 74),
      [redundant],
      ['src/a.ts'],
    );
    expect(judged.problems).toEqual([]);
    expect(judged.scores).toBe('repository 70 -> 70, test code 75 -> 74, src/a.ts 60 -> 60');
    // A change that edits the test file itself is judged there.
    const touchingTest = judgeRescan(
      withTests([redundant], 75),
      withTests([inTest], 74),
      [redundant],
      ['src/a.ts', 'test/a.test.ts'],
    );
    expect(touchingTest.problems).toContain('new finding: duplicated-code test/a.test.ts');
  });
});
