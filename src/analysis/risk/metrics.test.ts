import { describe, expect, it } from 'vitest';
import { brierScore, prAuc, recallAtEffort, rocAuc } from './metrics.js';

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
