import { InputError } from '../../core/index.js';
import {
  buildRows,
  buildSnapshot,
  createFixMatcher,
  DEFAULT_FIX_PATTERNS,
  featureNames,
  type History,
  type Labelling,
  type SnapshotOptions,
} from '../history/index.js';
import {
  churnComplexityScores,
  evaluateHistory,
  fitBaselines,
  rankImportance,
  type EvaluateOptions,
  type FeatureImportance,
  type RiskEvaluation,
} from './evaluate.js';
import {
  attributionImportance,
  contributions,
  predictProbability,
  trainGbt,
  type GbtModel,
} from './gbt.js';
import type { LogisticModel } from './logistic.js';
import {
  BASELINE_FEATURES,
  predictBaseline,
  type BaselineFits,
  type RankingChoice,
} from './ranking.js';

/** The store's name for the model. */
export const RISK_MODEL_NAME = 'quality:defect-risk';

/** A trained defect-risk model with what it was trained on and what it measured. */
export interface RiskModel {
  name: typeof RISK_MODEL_NAME;
  /**
   * `gbt` when there was enough history to train a model (whichever ranking is used then gives
   * probabilities); otherwise `heuristic`, ranked by the raw churn × complexity score.
   */
  kind: 'gbt' | 'heuristic';
  /** The ranking live risk uses: the one that measured best on the most recent closed window. */
  ranking: RankingChoice;
  /** The baselines' logistic fits on every closed window; undefined without a trained model. */
  baselines: BaselineFits | undefined;
  features: string[];
  labelling: Labelling;
  horizonDays: number;
  fixPatterns: string[];
  /** The snapshot times (unix seconds) the stored model learned from. */
  trainedFrom: number | undefined;
  trainedTo: number | undefined;
  gbt: GbtModel | undefined;
  importance: FeatureImportance[];
  /** The time-ordered evaluation (the stored model is refitted on all closed windows after it). */
  evaluation: RiskEvaluation;
}

/**
 * Evaluates on a time-ordered split, then refits the model on every snapshot whose label window is
 * closed (training and test), so predictions use the newest history.
 */
export function trainRiskModel(history: History, options: EvaluateOptions = {}): RiskModel {
  const run = evaluateHistory(history, options);
  const { evaluation, plan } = run;
  const base: Pick<
    RiskModel,
    'name' | 'features' | 'labelling' | 'horizonDays' | 'fixPatterns' | 'evaluation' | 'ranking'
  > = {
    name: RISK_MODEL_NAME,
    features: evaluation.features,
    labelling: evaluation.labelling,
    horizonDays: evaluation.horizonDays,
    fixPatterns: [...(options.fixPatterns ?? DEFAULT_FIX_PATTERNS)],
    evaluation,
    ranking: evaluation.ranking,
  };
  if (!evaluation.sufficient || !plan)
    return {
      ...base,
      kind: 'heuristic',
      trainedFrom: undefined,
      trainedTo: undefined,
      gbt: undefined,
      baselines: undefined,
      importance: [],
    };
  const times = [...plan.trainTimes, ...plan.testTimes];
  const rows = buildRows(
    history.commits,
    times,
    { defects: run.labels, horizon: plan.horizon, cutoff: Infinity },
    run.snapshot,
  );
  const model = trainGbt(rows.features, rows.labels, run.gbt);
  const importance = attributionImportance(model, rows.features);
  return {
    ...base,
    kind: 'gbt',
    trainedFrom: times[0],
    trainedTo: times[times.length - 1],
    gbt: model,
    baselines: {
      // Churn x complexity ranks by its raw score, untrained; this only maps the score to a
      // probability, on the window where it was measured, and never against its own order.
      'churn-complexity': increasing(
        fitBaselines(run.test, evaluation.features)['churn-complexity'],
        run.test.labels,
      ),
      // The logistic's ranking is its fit: refitted on every closed window, as the model is.
      'logistic-added': fitBaselines(rows, evaluation.features)['logistic-added'],
    },
    importance: rankImportance(evaluation.features, importance),
  };
}

/** A fit that never lowers the probability as the score grows: the base rate when it would. */
function increasing(fit: LogisticModel, labels: readonly number[]): LogisticModel {
  if ((fit.weights[0] ?? 0) >= 0) return fit;
  const rate = labels.reduce((a, b) => a + b, 0) / Math.max(labels.length, 1);
  const p = Math.min(Math.max(rate, 1e-6), 1 - 1e-6);
  return { intercept: Math.log(p / (1 - p)), weights: [0] };
}

/** One factor of a file's predicted risk. */
export interface RiskFactor {
  feature: string;
  value: number;
  /** Change in log-odds this feature causes for the file (for the heuristic: log(1 + value)). */
  contribution: number;
}

export interface FileRisk {
  file: string;
  /** Probability of a defect in the next window; for the heuristic, churn × complexity. */
  risk: number;
  lines: number;
  /** Strongest factors first. */
  factors: RiskFactor[];
}

export interface RankOptions {
  /** Prediction time, unix seconds; default just after the newest commit. */
  time?: number;
  include?: SnapshotOptions['include'];
  codeMetrics?: SnapshotOptions['codeMetrics'];
  /** Factors per file (default 3). */
  factors?: number;
}

function heuristicFactors(features: string[], x: readonly number[]): RiskFactor[] {
  return ['lines_added_365d', 'lines_deleted_365d', 'cognitive', 'lines']
    .map((feature) => ({ feature, value: x[features.indexOf(feature)] ?? NaN }))
    .filter((f) => features.includes(f.feature))
    .map((f) => ({ ...f, contribution: Math.log1p(Math.max(f.value, 0)) }));
}

function baselineFactors(
  features: string[],
  ranking: keyof BaselineFits,
  fit: BaselineFits[keyof BaselineFits],
  x: readonly number[],
): RiskFactor[] {
  if (ranking === 'churn-complexity') return heuristicFactors(features, x);
  const feature = BASELINE_FEATURES[ranking];
  const value = x[features.indexOf(feature)] ?? 0;
  return [{ feature, value, contribution: (fit.weights[0] ?? 0) * Math.log1p(Math.max(value, 0)) }];
}

function modelFactors(model: RiskModel, gbt: GbtModel, x: readonly number[]): RiskFactor[] {
  return contributions(gbt, x).map((contribution, i) => ({
    feature: model.features[i] ?? `#${i}`,
    value: x[i] ?? NaN,
    contribution,
  }));
}

/**
 * A stored model this version cannot use: trained on other features than it computes, or stored
 * before `beast train` compared the model with its baselines.
 */
export class StaleModelError extends InputError {
  constructor(what: string) {
    super(`the stored ${RISK_MODEL_NAME} model ${what}; run \`beast train\` again`);
  }
}

function featureDiff(stored: readonly string[], current: readonly string[]): string {
  const missing = current.filter((f) => !stored.includes(f));
  const extra = stored.filter((f) => !current.includes(f));
  const diff = [
    missing.length > 0 ? `without ${missing.join(', ')}` : '',
    extra.length > 0 ? `with ${extra.join(', ')}` : '',
  ].filter(Boolean);
  return `was trained on other features (${diff.join('; ') || 'in another order'})`;
}

const sameFeatures = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((f, i) => f === b[i]);

/**
 * Throws `StaleModelError` when a stored model cannot be used: a trained model's features are not
 * `names`, in order, or it records no ranking choice (stored before the choice was made, a model
 * that lost to its baselines would otherwise be used as if it had won).
 */
export function checkFeatures(
  model: Pick<RiskModel, 'kind' | 'features'> & { ranking?: RankingChoice | undefined },
  names: readonly string[],
): void {
  if (model.kind === 'gbt' && !sameFeatures(model.features, names))
    throw new StaleModelError(featureDiff(model.features, names));
  if (model.ranking === undefined)
    throw new StaleModelError(
      'was stored before beast compared it with its baselines, so which ranking to use is unknown',
    );
}

interface Scored {
  risk: number;
  /** What files are ordered by: the ranking's own score, as it was measured. */
  order: number;
  factors: RiskFactor[];
}

/**
 * How the stored ranking scores one file's features: the model's probability, or a chosen
 * baseline's through its logistic fit (churn x complexity still ordered by its raw score);
 * undefined for the raw churn × complexity heuristic.
 */
function scorer(model: RiskModel, names: string[]): (x: readonly number[]) => Scored | undefined {
  const { gbt, baselines } = model;
  const { ranking } = model.ranking;
  if (ranking === 'model')
    return (x) => {
      if (!gbt) return undefined;
      const risk = predictProbability(gbt, x);
      return { risk, order: risk, factors: modelFactors(model, gbt, x) };
    };
  const fit = baselines?.[ranking];
  const column = names.indexOf(BASELINE_FEATURES[ranking]);
  return (x) => {
    if (!fit) return undefined;
    const value = x[column] ?? 0;
    const risk = predictBaseline(fit, value);
    const order = ranking === 'churn-complexity' ? value : risk;
    return { risk, order, factors: baselineFactors(names, ranking, fit, x) };
  };
}

/**
 * Files alive at the prediction time, riskiest first by the ranking the model records, each with
 * the factors behind its risk. Throws `StaleModelError` for a model this version cannot use.
 */
export function rankFileRisk(
  model: RiskModel,
  history: History,
  options: RankOptions = {},
): FileRisk[] {
  const last = history.commits[history.commits.length - 1]?.time ?? 0;
  const snapshotOptions: SnapshotOptions = {
    isFix: createFixMatcher(model.fixPatterns),
    include: options.include,
    codeMetrics: options.codeMetrics,
  };
  const names = featureNames(snapshotOptions);
  checkFeatures(model, names);
  const snapshot = buildSnapshot(history.commits, options.time ?? last + 1, snapshotOptions);
  const heuristic = churnComplexityScores(snapshot, names);
  const score = scorer(model, names);
  const ranked = snapshot.files.map((file, i): FileRisk & { order: number } => {
    const x = snapshot.features[i] ?? [];
    const raw = heuristic[i] ?? 0;
    const scored = score(x) ?? { risk: raw, order: raw, factors: heuristicFactors(names, x) };
    const factors = scored.factors.sort(
      (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution),
    );
    return {
      file,
      risk: scored.risk,
      order: scored.order,
      lines: snapshot.lines[i] ?? 0,
      factors: factors.slice(0, options.factors ?? 3),
    };
  });
  return ranked
    .sort((a, b) => b.order - a.order || a.file.localeCompare(b.file))
    .map(({ order: _order, ...risk }) => risk);
}
