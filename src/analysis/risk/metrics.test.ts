import { describe, expect, it } from 'vitest';
import {
  aucStandardError,
  bootstrapAucDifference,
  brierScore,
  prAuc,
  recallAtEffort,
  rocAuc,
  tiedGroups,
  weightedAuc,
} from './metrics.js';
import { createRandom } from './gbt.js';

// Each row: scores, labels, and the value worked out by hand.
describe('rocAuc', () => {
  it.each([
    // positives 0.9 and 0.7 against negatives 0.8 and 0.6: 3 of 4 pairs ordered.
    [[0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 0.75],
    [[0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0], 1],
    [[0.9, 0.8, 0.7, 0.6], [0, 0, 1, 1], 0],
    // a tie between a positive and a negative counts half: (0.5 + 1) / 2.
    [[1, 1, 0], [1, 0, 0], 0.75],
    // a constant ranking is chance.
    [[3, 3, 3, 3, 3], [1, 0, 1, 0, 0], 0.5],
  ])('%j with labels %j is %d', (scores, labels, expected) => {
    expect(rocAuc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('is NaN with one class only', () => {
    expect(rocAuc([1, 2], [0, 0])).toBeNaN();
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });
});

describe('prAuc (average precision)', () => {
  it.each([
    // positives at ranks 1 and 3: 0.5 * 1/1 + 0.5 * 2/3.
    [[0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 0.5 + 1 / 3],
    [[0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0], 1],
    // positives at ranks 3 and 4: 0.5 * 1/3 + 0.5 * 2/4.
    [[0.9, 0.8, 0.7, 0.6], [0, 0, 1, 1], 1 / 6 + 1 / 4],
    // a tied group is one threshold: precision 1/2 at recall 1.
    [[1, 1, 0], [1, 0, 0], 0.5],
    // constant scores give the base rate.
    [[2, 2, 2, 2], [1, 0, 0, 0], 0.25],
  ])('%j with labels %j is %d', (scores, labels, expected) => {
    expect(prAuc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('is NaN without positives', () => {
    expect(prAuc([1, 2], [0, 0])).toBeNaN();
  });
});

describe('brierScore', () => {
  it.each([
    [[0.8, 0.3], [1, 0], (0.04 + 0.09) / 2],
    [[1, 0, 1], [1, 0, 1], 0],
    [[0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.25],
  ])('%j against %j is %d', (p, labels, expected) => {
    expect(brierScore(p, labels)).toBeCloseTo(expected, 12);
  });
});

describe('recallAtEffort', () => {
  it.each([
    // 100 lines, budget 20: the first file (10 lines, defective) fits, the second (50) does not.
    [[4, 3, 2, 1], [1, 1, 0, 1], [10, 50, 20, 20], 0.2, 1 / 3],
    // 10 + 5 + 5 lines fit exactly; two of the three defective files are among them.
    [[4, 3, 2, 1], [1, 0, 1, 1], [10, 5, 5, 80], 0.2, 2 / 3],
    // the top file alone is over budget: nothing inspected.
    [[4, 3], [1, 1], [90, 10], 0.2, 0],
    // ties in score: the smaller file is inspected first.
    [[1, 1], [0, 1], [30, 10], 0.5, 1],
    [[5, 4, 3, 2, 1], [0, 1, 0, 1, 1], [1, 1, 1, 1, 1], 1, 1],
  ])('scores %j labels %j lines %j at %d is %d', (scores, labels, lines, effort, expected) => {
    expect(recallAtEffort(scores, labels, lines, effort)).toBeCloseTo(expected, 12);
  });
});

describe('aucStandardError', () => {
  it('matches Hanley and McNeil, and shrinks with more rows', () => {
    // By hand, AUC 0.8 on 50 positives and 50 negatives: Q1 = 0.8 / 1.2, Q2 = 1.28 / 1.8, variance
    // (0.16 + 49 (Q1 - 0.64) + 49 (Q2 - 0.64)) / 2500 = 0.0019804, so 0.0445.
    expect(aucStandardError(0.8, 50, 50)).toBeCloseTo(0.0445, 4);
    // Unbalanced, 40 positives and 360 negatives: 0.0431 (swapping the classes would give 0.0295).
    expect(aucStandardError(0.8, 40, 360)).toBeCloseTo(0.0431, 4);
    expect(aucStandardError(0.8, 200, 200)).toBeLessThan(aucStandardError(0.8, 50, 50));
    expect(aucStandardError(0.8, 0, 10)).toBeNaN();
  });
});

describe('weightedAuc', () => {
  it('equals rocAuc with unit weights, ties included, and counts a weight of 2 as a duplicate', () => {
    const scores = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.2];
    const labels = [1, 0, 1, 1, 0, 1, 0];
    expect(weightedAuc(tiedGroups(scores), labels, new Float64Array(7).fill(1))).toBe(
      rocAuc(scores, labels),
    );
    const weights = Float64Array.from([1, 2, 1, 0, 1, 2, 1]);
    const rows = [0, 1, 1, 2, 4, 5, 5, 6];
    expect(weightedAuc(tiedGroups(scores), labels, weights)).toBeCloseTo(
      rocAuc(
        rows.map((i) => scores[i] ?? 0),
        rows.map((i) => labels[i] ?? 0),
      ),
      12,
    );
  });
});

describe('bootstrapAucDifference', () => {
  const random = createRandom(7);
  const n = 300;
  const labels = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const files = labels.map((_, i) => `f${i % 100}`);
  // A signal that sees the label, and noise.
  const good = labels.map((y) => y + random() * 1.2);
  const noise = labels.map(() => random());

  it('puts a clearly better ranking above the other in its whole interval', () => {
    const d = bootstrapAucDifference(good, noise, labels, files, { resamples: 300 });
    expect(d.difference).toBeCloseTo(rocAuc(good, labels) - rocAuc(noise, labels), 12);
    expect(d.low).toBeGreaterThan(0);
    expect(d.high).toBeGreaterThanOrEqual(d.low);
    expect(d.above).toBe(1);
    expect(d.resamples).toBe(300);
  });

  it('finds no difference between a ranking and itself, and is reproducible', () => {
    const d = bootstrapAucDifference(noise, noise, labels, files, { resamples: 100 });
    expect(d).toMatchObject({ difference: 0, low: 0, high: 0, above: 0 });
    const a = bootstrapAucDifference(good, noise, labels, files, { resamples: 50, seed: 3 });
    expect(bootstrapAucDifference(good, noise, labels, files, { resamples: 50, seed: 3 })).toEqual(
      a,
    );
  });

  it('resamples whole files: rows repeated per file widen the interval', () => {
    const close = labels.map((y, i) => (good[i] ?? 0) * 0.3 + (noise[i] ?? 0));
    const perRow = bootstrapAucDifference(
      close,
      noise,
      labels,
      labels.map((_, i) => `r${i}`),
      {
        resamples: 400,
      },
    );
    // The same rows, each file's rows identical three times over (three snapshots of one file).
    const triple = <T>(values: readonly T[]) => [...values, ...values, ...values];
    const perFile = bootstrapAucDifference(
      triple(close),
      triple(noise),
      triple(labels),
      triple(labels.map((_, i) => `r${i}`)),
      { resamples: 400 },
    );
    const width = (d: { low: number; high: number }) => d.high - d.low;
    // Tripled rows are no new evidence: clustered by file, the interval stays about as wide.
    expect(width(perFile)).toBeGreaterThan(width(perRow) * 0.8);
  });
});
