import { describe, expect, it } from 'vitest';
import {
  describeProgress,
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
    expect(describeProgress('queued')).toBe('queued');
    expect(describeProgress({ weird: true })).toBe('{"weird":true}');
    expect(describeProgress(null)).toBe('');
  });

  it('counts sort largest first, then by name', () => {
    expect(sortedCounts({ minor: 2, major: 5, info: 2 })).toEqual([
      ['major', 5],
      ['info', 2],
      ['minor', 2],
    ]);
  });
});
