import { describe, expect, it } from 'vitest';
import {
  changeOutcome,
  describeProgress,
  describeResult,
  formatCoverage,
  formatDelta,
  formatMs,
  formatPercent,
  formatScore,
  formatUsd,
  sortedCounts,
} from './format';

describe('format', () => {
  it('scores keep one decimal and show a dash when missing', () => {
    expect([formatScore(80), formatScore(72.46), formatScore(null), formatScore(NaN)]).toEqual([
      '80',
      '72.5',
      '–',
      '–',
    ]);
  });

  it('money as it is, however absurd the ledger', () => {
    expect([formatUsd(-33e6), formatUsd(2e9), formatUsd(2e15), formatUsd(-0.005)]).toEqual([
      '-$33,000,000',
      '$2,000,000,000',
      '$2.00e+15',
      '-$0.0050',
    ]);
  });

  it('ratios, money and durations', () => {
    expect([formatPercent(0.456), formatPercent(null)]).toEqual(['46%', '–']);
    expect([formatUsd(1.5), formatUsd(0.0012), formatUsd(0), formatUsd(undefined)]).toEqual([
      '$1.50',
      '$0.0012',
      '$0.00',
      '–',
    ]);
    expect([formatMs(250.4), formatMs(1530), formatMs(null)]).toEqual(['250 ms', '1.5 s', '–']);
  });

  it('deltas are signed and empty when a side is missing', () => {
    expect([
      formatDelta(70, 73.5),
      formatDelta(70, 68),
      formatDelta(70, 70),
      formatDelta(null, 70),
    ]).toEqual(['+3.5', '-2', '0', '']);
  });

  it('progress of any shape reads as one line', () => {
    expect(describeProgress({ phase: 'analyse', done: 3, total: 10 })).toBe('analyse 3/10');
    expect(describeProgress({ message: 'writing branch' })).toBe('writing branch');
    expect(describeProgress({ type: 'files', done: 1, total: 2 })).toBe('files 1/2');
    expect(
      describeProgress({ type: 'phase', phase: 'propose', message: 'round 1: asking builtin' }),
    ).toBe('round 1: asking builtin');
    const change = { ruleId: 'no-var', file: 'src/a.js', line: 3, status: 'accepted' };
    expect(describeProgress({ type: 'change', change })).toBe('accepted no-var at src/a.js:3');
    expect(changeOutcome({ type: 'change', change })).toBe('accepted');
    expect(changeOutcome({ type: 'change', change: { ...change, status: 'rejected' } })).toBe(
      'rejected',
    );
    expect(changeOutcome({ type: 'phase', phase: 'validate' })).toBeNull();
    expect(describeProgress('queued')).toBe('queued');
    expect(describeProgress({ weird: true })).toBe('{"weird":true}');
    expect(describeProgress(null)).toBe('');
  });

  it('results read as one line', () => {
    expect(describeResult({ scanId: 1, score: 90.2, grade: 'A', files: 2 })).toBe(
      'score 90.2, grade A',
    );
    expect(
      describeResult({ status: 'delivered', accepted: 17, rejected: 2, branch: 'beast/x' }),
    ).toBe('delivered, 17 accepted, 2 rejected, on beast/x');
    expect(describeResult(null)).toBe('');
    const lines = (covered: number) => ({ lines: { covered, total: 200 } });
    expect(
      describeResult({
        status: 'dry-run',
        funnel: { generated: 12, built: 10, passed: 9, stable: 8, useful: 3, kept: 3 },
        before: lines(90),
        after: lines(121),
      }),
    ).toBe('dry-run, 3 of 12 generated tests kept, lines 45.0% (90/200) → 60.5% (121/200)');
  });

  it('coverage reads as a percentage with its counts, and nothing to count as a dash', () => {
    expect(formatCoverage({ covered: 1, total: 3 })).toBe('33.3% (1/3)');
    expect(formatCoverage({ covered: 0, total: 0 })).toBe('–');
    expect(formatCoverage(undefined)).toBe('–');
  });

  it('counts sort largest first, then by name', () => {
    expect(sortedCounts({ minor: 2, major: 5, info: 2 })).toEqual([
      ['major', 5],
      ['info', 2],
      ['minor', 2],
    ]);
  });
});
