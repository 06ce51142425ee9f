export {
  aucStandardError,
  bootstrapAucDifference,
  brierScore,
  measure,
  prAuc,
  recallAtEffort,
  rocAuc,
  type AucDifference,
  type RiskMetrics,
} from './metrics.js';
export { fitLogistic, predictLogistic, sigmoid, type LogisticModel } from './logistic.js';
export {
  attributionImportance,
  contributions,
  createRandom,
  GBT_DEFAULTS,
  predictMargin,
  predictProbability,
  trainGbt,
  type GbtModel,
  type GbtOptions,
  type TreeNode,
} from './gbt.js';
export {
  churnComplexityScores,
  evaluateHistory,
  fitBaselines,
  rankImportance,
  type EvaluateOptions,
  type EvaluationRun,
  type FeatureImportance,
  type RiskEvaluation,
} from './evaluate.js';
export {
  RISK_MODEL_NAME,
  StaleModelError,
  rankFileRisk,
  trainRiskModel,
  type FileRisk,
  type RankOptions,
  type RiskFactor,
  type RiskModel,
} from './model.js';
export {
  DEFAULT_GRID,
  planValidation,
  searchGrid,
  selectModel,
  splitValidationRows,
  type HyperGrid,
  type Hyperparameters,
  type ModelSelection,
  type SelectOptions,
  type SplitPart,
  type ValidationPlan,
} from './select.js';
export {
  formatChosen,
  formatEvaluation,
  formatFigure,
  formatMargin,
  formatRanking,
  formatSelection,
} from './format.js';
export {
  includeUnder,
  MissingHistoryError,
  rankLiveRisk,
  usesCodeMetrics,
  type LiveRisk,
} from './live.js';
export {
  BASELINE_FEATURES,
  chooseRanking,
  chosenAuc,
  predictBaseline,
  RANKING_NAMES,
  type BaselineFits,
  type RankingAucs,
  type RankingChoice,
  type RiskRanking,
} from './ranking.js';
