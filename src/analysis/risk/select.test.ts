import { describe, expect, it } from 'vitest';
import { DefectLabels, planSplit, type HistoryCommit, type Rows } from '../history/index.js';
import { createRandom, GBT_DEFAULTS, predictMargin, trainGbt } from './gbt.js';
import { aucStandardError, rocAuc } from './metrics.js';
import {
  oneStandardError,
  planValidation,
  searchGrid,
  selectModel,
  splitValidationRows,
} from './select.js';

const DAY = 86_400;

/** One commit a week for three years. */
const commits: HistoryCommit[] = Array.from({ length: 160 }, (_, k) => ({
  sha: `c${k}`,
  time: k * 7 * DAY,
  author: 'a',
  subject: 'work',
  files: [{ path: 'src/a.ts', added: 1, deleted: 0, binary: false }],
}));

describe('planValidation', () => {
  it('validates on the last training snapshots and fits only on snapshots whose label windows close before them', () => {
    let defined = 0;
    let undefinedPlans = 0;
    for (const horizonDays of [30, 60, 90, 120])
      for (const stepDays of [7, 30, 45])
        for (const maxTrainSnapshots of [2, 6, 12, 20])
          for (const testSnapshots of [1, 3])
            for (const snapshots of [1, 2, 3, 5]) {
              const plan = planSplit(commits, {
                horizonDays,
                stepDays,
                maxTrainSnapshots,
                testSnapshots,
              });
              if (!plan) continue;
              const v = planValidation(plan, snapshots);
              const firstTest = plan.testTimes[0]!;
              // A fit snapshot qualifies exactly when its label window closes by the validation.
              const cutoff = plan.trainTimes.slice(-snapshots)[0]!;
              const fit = plan.trainTimes.filter((t) => t + plan.horizon <= cutoff);
              if (fit.length === 0) {
                expect(v).toBeUndefined();
                undefinedPlans++;
                continue;
              }
              defined++;
              expect(v).toEqual({
                fitTimes: fit,
                validationTimes: plan.trainTimes.slice(-snapshots),
                cutoff,
              });
              // The invariant: fit windows close by the first validation time, validation windows
              // by the first test time; nothing is at or after the first test time.
              for (const t of v!.fitTimes) expect(t + plan.horizon).toBeLessThanOrEqual(v!.cutoff);
              for (const t of v!.validationTimes) {
                expect(t).toBeGreaterThanOrEqual(v!.cutoff);
                expect(t + plan.horizon).toBeLessThanOrEqual(firstTest);
              }
              expect(v!.fitTimes.some((t) => v!.validationTimes.includes(t))).toBe(false);
            }
    expect(defined).toBeGreaterThan(50);
    expect(undefinedPlans).toBeGreaterThan(5);
  });

  it('is undefined without a validation snapshot', () => {
    const plan = planSplit(commits)!;
    expect(planValidation(plan, 0)).toBeUndefined();
    expect(planValidation(plan, plan.trainTimes.length)).toBeUndefined();
  });
});

describe('splitValidationRows', () => {
  it('censors fit labels at the first validation time and keeps the validation labels', () => {
    const horizon = 90 * DAY;
    const plan = { fitTimes: [0, 30 * DAY], validationTimes: [120 * DAY], cutoff: 120 * DAY };
    // SZZ-style: introduced inside each fit window, the first fix known before the validation
    // time, the second only after it (but before the test, so the training labels count it).
    const labels = new DefectLabels([
      { path: 'a.ts', time: 10 * DAY, knownAt: 100 * DAY },
      { path: 'b.ts', time: 40 * DAY, knownAt: 150 * DAY },
      { path: 'c.ts', time: 130 * DAY, knownAt: 200 * DAY },
    ]);
    const files = ['a.ts', 'b.ts', 'c.ts'];
    const times = [0, 30 * DAY, 120 * DAY, 200 * DAY];
    const train: Rows = { files: [], times: [], features: [], labels: [], lines: [] };
    for (const time of times)
      for (const file of files) {
        train.files.push(file);
        train.times.push(time);
        train.features.push([time]);
        train.labels.push(labels.label(file, time, horizon, 210 * DAY));
        train.lines.push(1);
      }
    const { fit, validation } = splitValidationRows(train, plan, (file, time) =>
      labels.label(file, time, horizon, plan.cutoff),
    );
    expect(fit.times.every((t) => plan.fitTimes.includes(t))).toBe(true);
    expect(validation.times.every((t) => plan.validationTimes.includes(t))).toBe(true);
    // Training labels count b.ts at day 30 (known at day 150 < 210); the fit must not.
    expect(train.labels[train.files.indexOf('b.ts') + 3]).toBe(1);
    expect(fit.files.map((f, i) => `${f}@${fit.times[i]! / DAY}=${fit.labels[i]}`)).toEqual([
      'a.ts@0=1',
      'b.ts@0=0',
      'c.ts@0=0',
      'a.ts@30=0',
      'b.ts@30=0',
      'c.ts@30=0',
    ]);
    expect(validation.labels).toEqual([0, 0, 1]);
  });
});

/** Training rows at 12 snapshots, 30 days apart, whose labels follow features 0 and 1. */
function syntheticTrain(seed: number, positiveRate = 1) {
  const random = createRandom(seed);
  const horizon = 90 * DAY;
  const trainTimes = Array.from({ length: 12 }, (_, k) => k * 30 * DAY);
  const rows: Rows = { files: [], times: [], features: [], labels: [], lines: [] };
  for (const time of trainTimes)
    for (let f = 0; f < 150; f++) {
      const x = [random() * 10, random() * 10, random() * 10];
      const p = 1 / (1 + Math.exp(-((x[0] ?? 0) - 6 + ((x[1] ?? 0) > 7 ? 2 : -1))));
      rows.files.push(`f${f}`);
      rows.times.push(time);
      rows.features.push(x);
      rows.labels.push(random() < p * positiveRate ? 1 : 0);
      rows.lines.push(1);
    }
  const plan = { horizon, trainTimes, testTimes: [14 * 30 * DAY] };
  // Labels here do not depend on when they became known.
  const keep = (file: string, time: number) =>
    rows.labels[rows.times.indexOf(time) + Number(file.slice(1))] ?? 0;
  return { rows, plan, relabel: () => keep };
}

const options = { snapshots: 3, minFitPositives: 10, minValidationPositives: 5 };

describe('selectModel', () => {
  const { rows, plan, relabel } = syntheticTrain(1);

  it('chooses on the validation snapshots and reports every candidate', () => {
    const s = selectModel(rows, plan, relabel, options);
    expect(s.method).toBe('validation');
    expect(s.reason).toBeUndefined();
    expect(s.candidates).toHaveLength(12);
    // The one-standard-error rule: within one standard error of the best candidate, never above it.
    const best = Math.max(...s.candidates.map((c) => c.auc));
    const positives = s.validation.positives;
    const se = aucStandardError(best, positives, s.validation.rows - positives);
    expect(s.validationAuc).toBeGreaterThanOrEqual(best - se);
    expect(s.validationAuc).toBeLessThanOrEqual(best);
    expect(s.validationAuc).toBeGreaterThan(0.7);
    expect(s.fit).toMatchObject({ from: 0, to: 6 * 30 * DAY, rows: 7 * 150 });
    expect(s.validation).toMatchObject({ from: 9 * 30 * DAY, to: 11 * 30 * DAY, rows: 3 * 150 });
  });

  it('is deterministic for a seed, and the seed is in play', () => {
    const a = selectModel(rows, plan, relabel, { ...options, base: { seed: 3 } });
    const b = selectModel(rows, plan, relabel, { ...options, base: { seed: 3 } });
    const c = selectModel(rows, plan, relabel, { ...options, base: { seed: 4 } });
    expect(b).toEqual(a);
    expect(c.candidates.map((x) => x.auc)).not.toEqual(a.candidates.map((x) => x.auc));
  });

  it('falls back to the defaults, and says why, without enough defective files', () => {
    const sparse = syntheticTrain(2, 0.02);
    const s = selectModel(sparse.rows, sparse.plan, sparse.relabel, options);
    expect(s.method).toBe('defaults');
    expect(s.reason).toMatch(/only \d+ defective files in the snapshots before the validation/);
    expect(s.hyperparameters).toEqual({
      rounds: GBT_DEFAULTS.rounds,
      learningRate: GBT_DEFAULTS.learningRate,
      maxDepth: GBT_DEFAULTS.maxDepth,
      prior: false,
    });
    // With a prior feature, the defaults start from the prior.
    const withPrior = selectModel(sparse.rows, sparse.plan, sparse.relabel, {
      ...options,
      priorFeature: 0,
    });
    expect(withPrior.hyperparameters.prior).toBe(true);
    expect(s.validationAuc).toBeUndefined();
    const short = { ...plan, trainTimes: plan.trainTimes.slice(-4) };
    expect(selectModel(rows, short, relabel, options).reason).toMatch(
      /4 training snapshots: too few to hold out 3/,
    );
  });
});

describe('searchGrid', () => {
  it('scores each round count as a model trained with exactly that many rounds', () => {
    const { rows } = syntheticTrain(5);
    const fit = { features: rows.features.slice(0, 900), labels: rows.labels.slice(0, 900) };
    const validation = { features: rows.features.slice(900), labels: rows.labels.slice(900) };
    const grid = { rounds: [20, 60], learningRate: [0.1], maxDepth: [2], prior: [false] };
    const { candidates, best } = searchGrid(fit, validation, grid);
    const model = trainGbt(fit.features, fit.labels, { rounds: 20, learningRate: 0.1 });
    const direct = rocAuc(
      validation.features.map((x) => predictMargin(model, x)),
      validation.labels,
    );
    expect(candidates[0]).toEqual({
      rounds: 20,
      learningRate: 0.1,
      maxDepth: 2,
      prior: false,
      auc: direct,
    });
    expect(best).toBe(oneStandardError(candidates, validation.labels));
  });

  it('fits every candidate twice over with a prior feature: without and with the prior', () => {
    const { rows } = syntheticTrain(5);
    const fit = { features: rows.features.slice(0, 900), labels: rows.labels.slice(0, 900) };
    const validation = { features: rows.features.slice(900), labels: rows.labels.slice(900) };
    const grid = { rounds: [20], learningRate: [0.1], maxDepth: [2], prior: [true, false] };
    const { candidates } = searchGrid(fit, validation, grid, {}, 0);
    expect(candidates.map((c) => c.prior)).toEqual([false, true]);
    const model = trainGbt(fit.features, fit.labels, {
      rounds: 20,
      learningRate: 0.1,
      priorFeature: 0,
    });
    expect(model.prior?.feature).toBe(0);
    const direct = rocAuc(
      validation.features.map((x) => predictMargin(model, x)),
      validation.labels,
    );
    expect(candidates[1]?.auc).toBe(direct);
  });
});

describe('oneStandardError', () => {
  const h = (rounds: number, prior: boolean, auc: number) => ({
    rounds,
    learningRate: 0.1,
    maxDepth: 2,
    prior,
    auc,
  });
  // 40 defective rows of 400: the standard error of an AUC near 0.8 is about 0.036.
  const labels = Array.from({ length: 400 }, (_, i) => (i < 40 ? 1 : 0));

  it('orders by the prior, then by rounds x learning rate, then by depth', () => {
    const c = (rounds: number, learningRate: number, maxDepth: number, prior: boolean) => ({
      rounds,
      learningRate,
      maxDepth,
      prior,
      auc: 0.8,
    });
    // All equally good: the simplest wins.
    const deepSlow = c(100, 0.05, 3, false); // 5 steps, depth 3
    const shallowFast = c(100, 0.1, 2, false); // 10 steps
    const shallowSlow = c(100, 0.05, 2, false); // 5 steps, depth 2
    const prior = c(200, 0.1, 3, true); // 20 steps, but from the prior
    expect(oneStandardError([shallowFast, deepSlow, shallowSlow], labels)).toBe(shallowSlow);
    expect(oneStandardError([shallowFast, deepSlow], labels)).toBe(deepSlow);
    expect(oneStandardError([shallowFast, deepSlow, prior], labels)).toBe(prior);
  });

  it('takes the simplest candidate within one standard error of the best', () => {
    const se = aucStandardError(0.8, 40, 360);
    expect(se).toBeGreaterThan(0.03);
    expect(se).toBeLessThan(0.045);
    const best = h(200, false, 0.8);
    const near = h(50, false, 0.8 - se / 2);
    const prior = h(200, true, 0.8 - se / 2);
    const far = h(50, true, 0.8 - 2 * se);
    // The prior comes first, then fewer rounds; a candidate beyond one standard error never wins.
    expect(oneStandardError([best, near, prior, far], labels)).toBe(prior);
    expect(oneStandardError([best, near, far], labels)).toBe(near);
    expect(oneStandardError([best, far], labels)).toBe(best);
    expect(oneStandardError([], labels)).toBeUndefined();
  });
});
