import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNumstatLog } from '../history/index.js';
import { churnComplexityScores, evaluateHistory } from './evaluate.js';
import { formatChosen } from './format.js';
import { rankFileRisk, trainRiskModel } from './model.js';

const file = fileURLToPath(
  new URL('../../../../shared/datasets/git-history/honojs__hono.numstat.txt', import.meta.url),
);
const history = { name: 'hono', commits: parseNumstatLog(readFileSync(file, 'utf8')) };

describe('evaluateHistory on a real history', () => {
  it('measures chance when the labels are shuffled (the evaluation cannot flatter itself)', () => {
    const real = evaluateHistory(history).evaluation;
    expect(real.sufficient).toBe(true);
    expect(real.model?.auc).toBeGreaterThan(0.65);
    const shuffled = [1, 2, 3, 4, 5].map(
      (seed) => evaluateHistory(history, { shuffleLabels: seed }).evaluation,
    );
    const mean = (pick: (e: (typeof shuffled)[number]) => number | undefined) =>
      shuffled.reduce((s, e) => s + (pick(e) ?? NaN), 0) / shuffled.length;
    expect(Math.abs(mean((e) => e.model?.auc) - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(mean((e) => e.churnComplexity?.auc) - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(mean((e) => e.logisticAdded?.auc) - 0.5)).toBeLessThan(0.06);
    // Model selection ran on the shuffled training labels too; the candidate it picks on chance
    // labels (the simplest within one standard error of the best) is about chance as well.
    expect(shuffled.every((e) => e.selection?.method === 'validation')).toBe(true);
    const validation = mean((e) => e.selection?.validationAuc);
    expect(validation).toBeGreaterThan(0.45);
    expect(validation).toBeLessThan(0.6);
  });

  it('reports the split, the labelling and whether the model beats both baselines', () => {
    const e = evaluateHistory(history).evaluation;
    expect(e.labelling).toBe('fix-touch');
    expect(e.trainTo! + e.horizonDays * 86_400).toBeLessThanOrEqual(e.testFrom!);
    expect(e.beatsBaselines).toBe(
      e.model!.auc > e.churnComplexity!.auc && e.model!.auc > e.logisticAdded!.auc,
    );
    expect(e.importance.map((i) => i.feature).sort()).toEqual([...e.features].sort());
  });

  it('chooses the hyperparameters inside the training snapshots, the same way every time', () => {
    const run = evaluateHistory(history, { gbt: { seed: 2 } });
    const e = run.evaluation;
    const s = e.selection!;
    const horizon = e.horizonDays * 86_400;
    expect(s.method).toBe('validation');
    const h = s.hyperparameters;
    expect(formatChosen(e)).toBe(
      `${h.rounds} / ${h.maxDepth} / ${h.learningRate} / ${h.prior ? 'prior' : 'no prior'} (${s.validationAuc!.toFixed(3)})`,
    );
    // Validation is the last training snapshots; fit windows close before it, and it before the test.
    expect(s.validation.to).toBe(e.trainTo);
    expect(s.fit.from).toBe(e.trainFrom);
    expect(s.fit.to! + horizon).toBeLessThanOrEqual(s.validation.from!);
    expect(s.validation.to! + horizon).toBeLessThanOrEqual(e.testFrom!);
    expect(s.fit.rows + s.validation.rows).toBeLessThan(e.train.rows);
    const { rounds, learningRate, maxDepth } = s.hyperparameters;
    expect(run.gbt).toMatchObject({ seed: 2, rounds, learningRate, maxDepth });
    expect(run.model?.trees).toHaveLength(rounds);
    // The prior, when chosen, is fitted on the churn x complexity feature.
    expect(run.model?.prior?.feature).toBe(
      s.hyperparameters.prior ? e.features.indexOf('churn_x_complexity') : undefined,
    );
    expect(evaluateHistory(history, { gbt: { seed: 2 } }).evaluation).toEqual(e);
  });

  it('trains no model when the training snapshots cannot validate one, unless told to', () => {
    const kyFile = file.replace('honojs__hono', 'sindresorhus__ky');
    const ky = { name: 'ky', commits: parseNumstatLog(readFileSync(kyFile, 'utf8')) };
    const plain = evaluateHistory(ky);
    expect(plain.evaluation.sufficient).toBe(false);
    expect(plain.evaluation.reason).toMatch(/^no model can be validated on the training snapshots/);
    expect(plain.evaluation.selection?.method).toBe('defaults');
    expect(plain.model).toBeUndefined();
    expect(plain.evaluation.model).toBeUndefined();
    expect(plain.evaluation.churnComplexity?.auc).toBeGreaterThan(0.5);
    expect(formatChosen(plain.evaluation)).toBe('-');
    const forced = evaluateHistory(ky, { trainUnvalidated: true });
    expect(forced.evaluation.sufficient).toBe(true);
    expect(forced.model).toBeDefined();
    expect(forced.evaluation.model?.auc).toBeGreaterThan(0);
  });

  it('falls back to the heuristic ranking, and says why, with too few bug fixes', () => {
    const model = trainRiskModel(history, { fixPatterns: ['^never matches$'] });
    expect(model.kind).toBe('heuristic');
    expect(model.evaluation.reason).toMatch(/only 0 bug-fix commits/);
    const ranked = rankFileRisk(model, history);
    expect(ranked.length).toBeGreaterThan(10);
    expect(ranked[0]!.risk).toBeGreaterThanOrEqual(ranked[1]!.risk);
  });

  it('ranks files with per-file attributions from the trained model', () => {
    const model = trainRiskModel(history);
    expect(model.kind).toBe('gbt');
    const ranked = rankFileRisk(model, history);
    const top = ranked[0]!;
    expect(top.risk).toBeGreaterThan(0);
    expect(top.risk).toBeLessThan(1);
    expect(top.factors).toHaveLength(3);
    expect(model.features).toContain(top.factors[0]!.feature);
  });
});

describe('the ranking a trained model keeps', () => {
  it('is chosen on the test window, and live risk follows it', () => {
    const model = trainRiskModel(history);
    const e = model.evaluation;
    expect(model.ranking).toEqual(e.ranking);
    const best = Math.max(e.model!.auc, e.churnComplexity!.auc, e.logisticAdded!.auc);
    expect(model.ranking.auc).toEqual({
      model: e.model!.auc,
      churnComplexity: e.churnComplexity!.auc,
      logisticAdded: e.logisticAdded!.auc,
    });
    expect(
      { model: e.model, 'churn-complexity': e.churnComplexity, 'logistic-added': e.logisticAdded }[
        model.ranking.ranking
      ]!.auc,
    ).toBe(best);

    // Churn x complexity, when kept, ranks by its raw score even if its fit ran backwards.
    const byChurn = rankFileRisk(
      {
        ...model,
        ranking: { ...model.ranking, ranking: 'churn-complexity' },
        baselines: { ...model.baselines!, 'churn-complexity': { intercept: 0, weights: [-1] } },
      },
      history,
    );
    const heuristic = rankFileRisk(
      { ...model, kind: 'heuristic', gbt: undefined, baselines: undefined },
      history,
    );
    expect(byChurn.map((f) => f.file)).toEqual(heuristic.map((f) => f.file));
    expect(byChurn[0]!.risk).toBeLessThan(1);

    // The logistic on lines added ranks by its fit: lines added, when its weight is positive.
    const byAdded = rankFileRisk(
      { ...model, ranking: { ...model.ranking, ranking: 'logistic-added' } },
      history,
    );
    expect(model.baselines!['logistic-added'].weights[0]).toBeGreaterThan(0);
    const added = (f: (typeof byAdded)[number]) =>
      f.factors.find((x) => x.feature === 'lines_added_365d')!.value;
    for (let i = 1; i < byAdded.length; i++)
      expect(added(byAdded[i - 1]!)).toBeGreaterThanOrEqual(added(byAdded[i]!));
  });
});

describe('churnComplexityScores', () => {
  it("reads the rows' churn x complexity feature", () => {
    const names = ['lines', 'churn_x_complexity'];
    expect(
      churnComplexityScores(
        {
          features: [
            [200, 105],
            [200, 0],
          ],
        },
        names,
      ),
    ).toEqual([105, 0]);
  });
});
