import { describe, expect, it } from 'vitest';
import { chooseRanking, chosenAuc, type RiskRanking } from './ranking.js';

const measured = (model: number | undefined, churnComplexity: number, logisticAdded: number) => ({
  sufficient: model !== undefined,
  reason: model === undefined ? 'only 3 bug-fix commits (need 20)' : undefined,
  model: model === undefined ? undefined : { auc: model },
  churnComplexity: { auc: churnComplexity },
  logisticAdded: { auc: logisticAdded },
});

describe('chooseRanking', () => {
  const cases: [string, ReturnType<typeof measured>, RiskRanking, string][] = [
    [
      'keeps the model when it beats both baselines',
      measured(0.912, 0.871, 0.85),
      'model',
      'it measured best on the most recent closed window (test AUC 0.912; churn x complexity 0.871, logistic on lines added 0.850)',
    ],
    [
      "keeps churn x complexity when the model loses to it (the issue's 0.870 against 0.905)",
      measured(0.87, 0.905, 0.85),
      'churn-complexity',
      'it measured best on the most recent closed window (test AUC 0.905; the model 0.870, logistic on lines added 0.850)',
    ],
    [
      'keeps the logistic on lines added when it measured best',
      measured(0.7, 0.65, 0.72),
      'logistic-added',
      'it measured best on the most recent closed window (test AUC 0.720; the model 0.700, churn x complexity 0.650)',
    ],
    [
      'gives a tie to the simpler ranking: the model has to beat the baselines',
      measured(0.8, 0.8, 0.6),
      'churn-complexity',
      'it measured as well as any (a tie goes to the simpler ranking) on the most recent closed window (test AUC 0.800; the model 0.800, logistic on lines added 0.600)',
    ],
    [
      'uses churn x complexity without a trained model, and reports what the baselines measured',
      measured(undefined, 0.7, 0.75),
      'churn-complexity',
      'no model was trained (only 3 bug-fix commits (need 20)), and it needs no training (test AUC 0.700; logistic on lines added 0.750)',
    ],
    [
      'says nothing could be measured when no AUC is a number',
      measured(NaN, NaN, NaN),
      'churn-complexity',
      'no ranking could be measured on the most recent closed window (the model n/a, churn x complexity n/a, logistic on lines added n/a), and it needs no training',
    ],
  ];
  it.each(cases)('%s', (_name, evaluation, ranking, reason) => {
    const choice = chooseRanking(evaluation);
    expect(choice).toEqual({
      ranking,
      reason,
      auc: {
        model: evaluation.model?.auc,
        churnComplexity: evaluation.churnComplexity.auc,
        logisticAdded: evaluation.logisticAdded.auc,
      },
    });
  });

  it('reports the AUC of the ranking it kept', () => {
    expect(chosenAuc(chooseRanking(measured(0.87, 0.905, 0.85)))).toBe(0.905);
    expect(chosenAuc(chooseRanking(measured(0.95, 0.905, 0.85)))).toBe(0.95);
    expect(chosenAuc(chooseRanking(measured(0.7, 0.65, 0.72)))).toBe(0.72);
  });

  it('says when neither baseline was measured without a model', () => {
    const choice = chooseRanking({
      sufficient: false,
      reason: 'history shorter than two label windows',
      model: undefined,
      churnComplexity: undefined,
      logisticAdded: undefined,
    });
    expect(choice.reason).toBe(
      'no model was trained (history shorter than two label windows), and it needs no training (not measured on the test window)',
    );
  });
});
