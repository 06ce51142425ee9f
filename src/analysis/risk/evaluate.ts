import {
  CHURN_X_COMPLEXITY,
  DefectLabels,
  buildRows,
  createFixMatcher,
  featureNames,
  fixTouchEvents,
  planSplit,
  szzEvents,
  type BugIntroduction,
  type History,
  type Labelling,
  type Rows,
  type SnapshotOptions,
  type SplitOptions,
  type SplitPlan,
} from '../history/index.js';
import {
  createRandom,
  predictProbability,
  shuffleInPlace,
  trainGbt,
  attributionImportance,
  type GbtModel,
  type GbtOptions,
} from './gbt.js';
import { fitLogistic } from './logistic.js';
import {
  bootstrapAucDifference,
  measure,
  type AucDifference,
  type RiskMetrics,
} from './metrics.js';
import {
  BASELINE_FEATURES,
  chooseRanking,
  predictBaseline,
  type BaselineFits,
  type RankingChoice,
} from './ranking.js';
import { hyperOptions, selectModel, type HyperGrid, type ModelSelection } from './select.js';

export interface EvaluateOptions extends SplitOptions {
  fixPatterns?: readonly string[];
  include?: (path: string) => boolean;
  /** Bug-introducing changes found by SZZ; without them files are labelled by fix-touch. */
  introductions?: readonly BugIntroduction[];
  codeMetrics?: SnapshotOptions['codeMetrics'];
  /** The boosting's options; rounds, learning rate and depth are chosen from `grid` when it can. */
  gbt?: GbtOptions;
  /** The candidates of model selection (default `DEFAULT_GRID`). */
  grid?: HyperGrid;
  /** The last training snapshots that validate the candidates (default: as many as test snapshots). */
  validationSnapshots?: number;
  /**
   * Train with the default hyperparameters when the training snapshots cannot validate a model
   * (default false: the heuristic ranking is used then, as with too little history).
   */
  trainUnvalidated?: boolean;
  /** Fewer bug-fix commits than this, or too few defective files, and no model is trained. */
  minFixCommits?: number;
  minTrainPositives?: number;
  minTestPositives?: number;
  /**
   * Shuffles the labels within the training and within the test rows with this seed: a check that
   * the evaluation measures chance on labels unrelated to the features.
   */
  shuffleLabels?: number;
}

/** A feature and its share of the model's mean absolute attribution on the training rows. */
export interface FeatureImportance {
  feature: string;
  importance: number;
}

/** What one time-ordered evaluation measured. */
export interface RiskEvaluation {
  name: string;
  commits: number;
  fixCommits: number;
  labelling: Labelling;
  horizonDays: number;
  /** The first and last training and test snapshot times, unix seconds. */
  trainFrom: number | undefined;
  trainTo: number | undefined;
  testFrom: number | undefined;
  testTo: number | undefined;
  train: { rows: number; positives: number };
  test: { rows: number; positives: number };
  features: string[];
  /** False when there was too little to learn from; the heuristic ranking is used then. */
  sufficient: boolean;
  reason: string | undefined;
  model: RiskMetrics | undefined;
  churnComplexity: RiskMetrics | undefined;
  logisticAdded: RiskMetrics | undefined;
  /** The model's AUC is above both baselines'. */
  beatsBaselines: boolean | undefined;
  /** The ranking kept for live risk: whichever of the model and the baselines measured best here. */
  ranking: RankingChoice;
  /**
   * The model's AUC minus each baseline's on the test rows, with a bootstrap interval over files;
   * undefined without a trained model.
   */
  margins: { churnComplexity: AucDifference; logisticAdded: AucDifference } | undefined;
  importance: FeatureImportance[];
  /** How the model's hyperparameters were chosen (training snapshots only); undefined untrained. */
  selection: ModelSelection | undefined;
}

/** Everything the evaluation built, for reuse by training. */
export interface EvaluationRun {
  evaluation: RiskEvaluation;
  plan: SplitPlan | undefined;
  model: GbtModel | undefined;
  labels: DefectLabels;
  snapshot: SnapshotOptions;
  /** The options the model was trained with, the selected hyperparameters included. */
  gbt: GbtOptions | undefined;
  /** The rows of the test snapshots: the most recent closed window. */
  test: Rows;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Pure: the churn x complexity baseline's score of each row (its `CHURN_X_COMPLEXITY` feature). */
export function churnComplexityScores(rows: Pick<Rows, 'features'>, names: string[]): number[] {
  const column = names.indexOf(CHURN_X_COMPLEXITY);
  return rows.features.map((x) => x[column] ?? 0);
}

const column = (rows: Pick<Rows, 'features'>, names: readonly string[], feature: string) => {
  const j = names.indexOf(feature);
  return rows.features.map((x) => x[j] ?? 0);
};

/**
 * Pure: each baseline's one-feature logistic regression on log(1 + its feature), fitted on `rows`:
 * what turns churn x complexity or lines added into a probability.
 */
export function fitBaselines(rows: Rows, names: readonly string[]): BaselineFits {
  const fit = (feature: string) =>
    fitLogistic(
      column(rows, names, feature).map((v) => [Math.log1p(Math.max(v, 0))]),
      rows.labels,
    );
  return {
    'churn-complexity': fit(BASELINE_FEATURES['churn-complexity']),
    'logistic-added': fit(BASELINE_FEATURES['logistic-added']),
  };
}

function baselines(train: Rows, test: Rows, names: string[]) {
  const fits = fitBaselines(train, names);
  const ccScores = churnComplexityScores(test, names);
  const cc = ccScores.map((v) => predictBaseline(fits['churn-complexity'], v));
  const lr = column(test, names, BASELINE_FEATURES['logistic-added']).map((v) =>
    predictBaseline(fits['logistic-added'], v),
  );
  return {
    metrics: {
      churnComplexity: measure(ccScores, cc, test),
      logisticAdded: measure(lr, lr, test),
    },
    scores: { churnComplexity: ccScores, logisticAdded: lr },
  };
}

function insufficiency(
  fixCommits: number,
  train: Rows,
  test: Rows,
  options: EvaluateOptions,
): string | undefined {
  if (fixCommits < (options.minFixCommits ?? 20))
    return `only ${fixCommits} bug-fix commits (need ${options.minFixCommits ?? 20})`;
  if (sum(train.labels) < (options.minTrainPositives ?? 10))
    return `only ${sum(train.labels)} defective files in the training windows`;
  if (sum(test.labels) < (options.minTestPositives ?? 5))
    return `only ${sum(test.labels)} defective files in the test window`;
  return undefined;
}

const emptyRows = (): Rows => ({ files: [], times: [], features: [], labels: [], lines: [] });

/**
 * Time-ordered evaluation on one history: features from the past of each snapshot, a model trained
 * on the training snapshots (labels known before the test time) and measured on the test snapshot,
 * with both baselines on the same split.
 */
export function evaluateHistory(history: History, options: EvaluateOptions = {}): EvaluationRun {
  const isFix = createFixMatcher(options.fixPatterns);
  const commits = history.commits;
  const fixCommits = commits.filter(isFix).length;
  const labelling: Labelling = options.introductions ? 'szz' : 'fix-touch';
  const labels = new DefectLabels(
    options.introductions ? szzEvents(options.introductions) : fixTouchEvents(commits, isFix),
  );
  const snapshot: SnapshotOptions = {
    isFix,
    include: options.include,
    codeMetrics: options.codeMetrics,
  };
  const names = featureNames(snapshot);
  const plan = planSplit(commits, options);
  const train: Rows = plan
    ? buildRows(
        commits,
        plan.trainTimes,
        { defects: labels, horizon: plan.horizon, cutoff: plan.testTimes[0] ?? -Infinity },
        snapshot,
      )
    : emptyRows();
  const test: Rows = plan
    ? buildRows(
        commits,
        plan.testTimes,
        { defects: labels, horizon: plan.horizon, cutoff: Infinity },
        snapshot,
      )
    : emptyRows();
  if (options.shuffleLabels !== undefined) {
    const random = createRandom(options.shuffleLabels);
    shuffleInPlace(train.labels, random);
    shuffleInPlace(test.labels, random);
  }
  const reason = plan
    ? insufficiency(fixCommits, train, test, options)
    : 'history shorter than two label windows';
  const evaluation: RiskEvaluation = {
    name: history.name,
    commits: commits.length,
    fixCommits,
    labelling,
    horizonDays: options.horizonDays ?? 90,
    trainFrom: plan?.trainTimes[0],
    trainTo: plan?.trainTimes[plan.trainTimes.length - 1],
    testFrom: plan?.testTimes[0],
    testTo: plan?.testTimes[plan.testTimes.length - 1],
    train: { rows: train.labels.length, positives: sum(train.labels) },
    test: { rows: test.labels.length, positives: sum(test.labels) },
    features: names,
    sufficient: reason === undefined,
    reason,
    model: undefined,
    churnComplexity: undefined,
    logisticAdded: undefined,
    beatsBaselines: undefined,
    // Chosen again below, once the model and the baselines are measured.
    ranking: chooseRanking({
      sufficient: false,
      reason,
      model: undefined,
      churnComplexity: undefined,
      logisticAdded: undefined,
    }),
    margins: undefined,
    importance: [],
    selection: undefined,
  };
  const base =
    train.labels.length > 0 && test.labels.length > 0 ? baselines(train, test, names) : undefined;
  if (base) Object.assign(evaluation, base.metrics);
  const untrained = (): EvaluationRun => {
    evaluation.ranking = chooseRanking(evaluation);
    return { evaluation, plan, model: undefined, labels, snapshot, gbt: undefined, test };
  };
  if (reason !== undefined || !plan) return untrained();
  const selection = selectOn({ train, plan, labels, names, options });
  evaluation.selection = selection;
  if (selection.method === 'defaults' && !(options.trainUnvalidated ?? false)) {
    evaluation.sufficient = false;
    evaluation.reason = `no model can be validated on the training snapshots: ${selection.reason ?? ''}`;
    return untrained();
  }
  const gbt: GbtOptions = {
    ...options.gbt,
    ...hyperOptions(selection.hyperparameters, names.indexOf(CHURN_X_COMPLEXITY)),
  };
  const model = trainGbt(train.features, train.labels, gbt);
  const importance = attributionImportance(model, train.features);
  const probabilities = test.features.map((x) => predictProbability(model, x));
  evaluation.model = measure(probabilities, probabilities, test);
  evaluation.importance = rankImportance(names, importance);
  evaluation.beatsBaselines =
    evaluation.model.auc > (evaluation.churnComplexity?.auc ?? 0) &&
    evaluation.model.auc > (evaluation.logisticAdded?.auc ?? 0);
  if (base) {
    const margin = (scores: number[]) =>
      bootstrapAucDifference(probabilities, scores, test.labels, test.files, {
        seed: options.gbt?.seed ?? 1,
      });
    evaluation.margins = {
      churnComplexity: margin(base.scores.churnComplexity),
      logisticAdded: margin(base.scores.logisticAdded),
    };
  }
  evaluation.ranking = chooseRanking(evaluation);
  return { evaluation, plan, model, labels, snapshot, gbt, test };
}

/** Model selection on the training rows, with the fit labels censored at the validation time. */
function selectOn({
  train,
  plan,
  labels,
  names,
  options,
}: {
  train: Rows;
  plan: SplitPlan;
  labels: DefectLabels;
  names: readonly string[];
  options: EvaluateOptions;
}): ModelSelection {
  const shuffleSeed = options.shuffleLabels;
  return selectModel(
    train,
    plan,
    (cutoff) => (file, time) => labels.label(file, time, plan.horizon, cutoff),
    {
      grid: options.grid,
      base: options.gbt,
      snapshots: options.validationSnapshots ?? options.testSnapshots ?? 3,
      minFitPositives: options.minTrainPositives ?? 10,
      minValidationPositives: options.minTestPositives ?? 5,
      priorFeature: names.indexOf(CHURN_X_COMPLEXITY),
      shuffleFit:
        shuffleSeed === undefined
          ? undefined
          : (values) => shuffleInPlace(values, createRandom(shuffleSeed + 1)),
    },
  );
}

export function rankImportance(
  names: readonly string[],
  importance: readonly number[],
): FeatureImportance[] {
  return names
    .map((feature, i) => ({ feature, importance: importance[i] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
}
