import { describe, expect, it } from 'vitest';
import {
  attributionImportance,
  contributions,
  createRandom,
  predictMargin,
  predictProbability,
  trainGbt,
} from './gbt.js';
import { rocAuc } from './metrics.js';

function dataset(n: number, seed: number) {
  const random = createRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [random() * 10, random() * 10, random() * 10];
    // Only features 0 and 1 matter; feature 2 is noise.
    const p = 1 / (1 + Math.exp(-((row[0] ?? 0) - 5 + ((row[1] ?? 0) > 7 ? 2 : -1))));
    x.push(row);
    y.push(random() < p ? 1 : 0);
  }
  return { x, y };
}

describe('trainGbt', () => {
  const train = dataset(2000, 1);
  const test = dataset(1000, 2);
  const model = trainGbt(train.x, train.y);
  const importance = attributionImportance(model, train.x);

  it('learns a signal that generalises to fresh data', () => {
    const auc = rocAuc(
      test.x.map((x) => predictProbability(model, x)),
      test.y,
    );
    expect(auc).toBeGreaterThan(0.8);
  });

  it("credits the prior's feature in the importance too", () => {
    const shares = attributionImportance(trainGbt(train.x, train.y, { priorFeature: 0 }), train.x);
    expect(shares[0]).toBeGreaterThan(shares[2] ?? 1);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('credits the informative features, not the noise', () => {
    expect(importance[0]).toBeGreaterThan(importance[2] ?? 1);
    expect(importance[1]).toBeGreaterThan(importance[2] ?? 1);
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('explains each prediction exactly: bias + roots + contributions = margin', () => {
    for (const x of test.x.slice(0, 20)) {
      const roots = model.trees.reduce((s, tree) => s + (tree[0]?.value ?? 0), 0);
      const total = contributions(model, x).reduce((a, b) => a + b, 0);
      expect(model.bias + roots + total).toBeCloseTo(predictMargin(model, x), 9);
    }
  });

  it('is deterministic for a seed and survives JSON', () => {
    const again = trainGbt(train.x, train.y);
    expect(again).toEqual(model);
    const restored = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(predictProbability(restored, [7, 8, 1])).toBe(predictProbability(model, [7, 8, 1]));
  });

  it('predicts the base rate when no split helps', () => {
    const flat = trainGbt([[1], [1], [1], [1]], [1, 0, 0, 0]);
    expect(predictProbability(flat, [1])).toBeCloseTo(0.25, 1);
  });

  describe('with a prior', () => {
    const withPrior = trainGbt(train.x, train.y, { priorFeature: 0 });

    it('starts from a logistic fit on the feature: no trees rank exactly as the feature', () => {
      const bare = trainGbt(train.x, train.y, { priorFeature: 0, rounds: 0 });
      expect(bare.prior?.feature).toBe(0);
      expect(bare.prior?.slope).toBeGreaterThan(0);
      const scores = test.x.map((x) => predictMargin(bare, x));
      expect(rocAuc(scores, test.y)).toBe(
        rocAuc(
          test.x.map((x) => x[0] ?? 0),
          test.y,
        ),
      );
    });

    it('learns what the prior misses and explains it exactly', () => {
      const bare = trainGbt(train.x, train.y, { priorFeature: 0, rounds: 0 });
      const auc = (m: typeof model) =>
        rocAuc(
          test.x.map((x) => predictMargin(m, x)),
          test.y,
        );
      // Feature 1 matters too; the trees add it to the prior's feature 0.
      expect(auc(withPrior)).toBeGreaterThan(auc(bare) + 0.02);
      for (const x of test.x.slice(0, 20)) {
        const roots = withPrior.trees.reduce((s, tree) => s + (tree[0]?.value ?? 0), 0);
        const total = contributions(withPrior, x).reduce((a, b) => a + b, 0);
        expect(withPrior.bias + roots + total).toBeCloseTo(predictMargin(withPrior, x), 9);
      }
      // Centred: the prior's attribution averages zero over the training rows.
      const prior = withPrior.prior!;
      const priorShare = train.x.map(
        (x) => prior.slope * (Math.log1p(Math.max(x[0] ?? 0, 0)) - prior.center),
      );
      expect(Math.abs(priorShare.reduce((a, b) => a + b, 0) / priorShare.length)).toBeLessThan(
        1e-9,
      );
      const restored = JSON.parse(JSON.stringify(withPrior)) as typeof model;
      expect(predictProbability(restored, [7, 8, 1])).toBe(
        predictProbability(withPrior, [7, 8, 1]),
      );
    });
  });
});
