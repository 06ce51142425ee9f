import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from './logistic.js';

describe('fitLogistic', () => {
  it('recovers the coefficients of data drawn from a logistic model', () => {
    // Exact expected counts: for each x, 1000 draws of which round(1000 * p(x)) are positive.
    const x: number[][] = [];
    const y: number[] = [];
    for (const v of [-2, -1, 0, 1, 2]) {
      const p = 1 / (1 + Math.exp(-(0.5 + 1.5 * v)));
      const positives = Math.round(1000 * p);
      for (let i = 0; i < 1000; i++) {
        x.push([v]);
        y.push(i < positives ? 1 : 0);
      }
    }
    const model = fitLogistic(x, y, { l2: 0 });
    expect(model.intercept).toBeCloseTo(0.5, 2);
    expect(model.weights[0]).toBeCloseTo(1.5, 2);
    expect(predictLogistic(model, [0])).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 2);
  });

  it('stays finite on separable data', () => {
    const model = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(Number.isFinite(model.weights[0])).toBe(true);
    expect(predictLogistic(model, [3])).toBeGreaterThan(predictLogistic(model, [0]));
  });
});
