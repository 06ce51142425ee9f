import { formatFigure } from './figure.js';
import { predictLogistic, type LogisticModel } from './logistic.js';
import type { RiskMetrics } from './metrics.js';

/**
 * The rankings `beast train` chooses between: the trained model, or one of the two baselines it
 * is measured against (churn x complexity; a logistic regression on lines added in a year).
 */
export type RiskRanking = 'model' | 'churn-complexity' | 'logistic-added';

/** What each ranking is called in reports. */
export const RANKING_NAMES: Readonly<Record<RiskRanking, string>> = {
  model: 'the model (gradient-boosted trees)',
  'churn-complexity': 'churn x complexity',
  'logistic-added': 'logistic on lines added',
};

/** Test-window AUCs of the three rankings; undefined where one was not measured. */
export interface RankingAucs {
  model: number | undefined;
  churnComplexity: number | undefined;
  logisticAdded: number | undefined;
}

/**
 * The ranking used for live risk, chosen on the most recent closed window (the time-ordered
 * evaluation's test snapshots), with every AUC measured there and the reason in words.
 */
export interface RankingChoice {
  ranking: RiskRanking;
  auc: RankingAucs;
  /** Why this ranking, with the AUCs it was chosen on. */
  reason: string;
}

/** The feature each baseline ranks by (the model ranks by all of them). */
export const BASELINE_FEATURES = {
  'churn-complexity': 'churn_x_complexity',
  'logistic-added': 'lines_added_365d',
} as const satisfies Record<Exclude<RiskRanking, 'model'>, string>;

/**
 * One-feature logistic fits, on log(1 + value), of each baseline: the same fits the evaluation
 * measured, refitted on every closed window, so a chosen baseline predicts probabilities.
 */
export type BaselineFits = Record<Exclude<RiskRanking, 'model'>, LogisticModel>;

/** Pure: a baseline's probability for one file from its feature value. */
export function predictBaseline(fit: LogisticModel, value: number): number {
  return predictLogistic(fit, [Math.log1p(Math.max(value, 0))]);
}

const measured = (auc: number | undefined): auc is number =>
  auc !== undefined && Number.isFinite(auc);

/** Pure: the AUCs other than `except`'s, named, for the reason's parenthesis. */
function othersText(auc: RankingAucs, except: RiskRanking | undefined): string {
  const entries: [RiskRanking, number | undefined][] = [
    ['model', auc.model],
    ['churn-complexity', auc.churnComplexity],
    ['logistic-added', auc.logisticAdded],
  ];
  return entries
    .filter(([r, a]) => r !== except && (r !== 'model' || a !== undefined))
    .map(([r, a]) => `${r === 'model' ? 'the model' : RANKING_NAMES[r]} ${formatFigure(a)}`)
    .join(', ');
}

/**
 * Pure: keeps whichever ranking measured the highest AUC on the test window. A tie goes to the
 * simpler ranking (churn x complexity, then logistic on lines added): the model has to beat both
 * baselines to be used. Without a trained model (too little history), churn x complexity, which
 * needs no training, is used and its measurement reported.
 */
export function chooseRanking(e: {
  sufficient: boolean;
  reason: string | undefined;
  model: Pick<RiskMetrics, 'auc'> | undefined;
  churnComplexity: Pick<RiskMetrics, 'auc'> | undefined;
  logisticAdded: Pick<RiskMetrics, 'auc'> | undefined;
}): RankingChoice {
  const auc: RankingAucs = {
    model: e.model?.auc,
    churnComplexity: e.churnComplexity?.auc,
    logisticAdded: e.logisticAdded?.auc,
  };
  if (!e.sufficient || auc.model === undefined) {
    const figures = measured(auc.churnComplexity)
      ? ` (test AUC ${formatFigure(auc.churnComplexity)}; ${othersText(auc, 'churn-complexity')})`
      : ' (not measured on the test window)';
    return {
      ranking: 'churn-complexity',
      auc,
      reason: `no model was trained (${e.reason ?? 'too little history'}), and it needs no training${figures}`,
    };
  }
  const candidates: [RiskRanking, number | undefined][] = [
    ['churn-complexity', auc.churnComplexity],
    ['logistic-added', auc.logisticAdded],
    ['model', auc.model],
  ];
  let best: [RiskRanking, number] | undefined;
  for (const [ranking, value] of candidates)
    if (measured(value) && (!best || value > best[1])) best = [ranking, value];
  if (!best)
    return {
      ranking: 'churn-complexity',
      auc,
      reason: `no ranking could be measured on the most recent closed window (${othersText(auc, undefined)}), and it needs no training`,
    };
  const [ranking, value] = best;
  const tie = candidates.some(([r, a]) => r !== ranking && a === value);
  return {
    ranking,
    auc,
    reason: `it measured ${tie ? 'as well as any (a tie goes to the simpler ranking)' : 'best'} on the most recent closed window (test AUC ${formatFigure(value)}; ${othersText(auc, ranking)})`,
  };
}

/** Pure: the test-window AUC of the chosen ranking (undefined when it was not measured). */
export function chosenAuc(choice: RankingChoice): number | undefined {
  const key = {
    model: 'model',
    'churn-complexity': 'churnComplexity',
    'logistic-added': 'logisticAdded',
  } as const;
  return choice.auc[key[choice.ranking]];
}
