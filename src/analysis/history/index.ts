export type { FileChange, History, HistoryCommit } from './types.js';
export { NUMSTAT_FORMAT, parseNumstatLog, parseRenamePath } from './numstat.js';
export { authorId, mineHistory, type MineOptions } from './mine.js';
export { DEFAULT_FIX_PATTERNS, createFixMatcher } from './labels.js';
export {
  CHURN_X_COMPLEXITY,
  HISTORY_FEATURES,
  buildSnapshot,
  featureNames,
  fileFeatures,
  isPredictedFile,
  replayHistory,
  type CodeMetricsAt,
  type FileState,
  type HistoryFeature,
  type Snapshot,
  type SnapshotOptions,
} from './features.js';
export {
  findBugIntroductions,
  parseBlamePorcelain,
  parseChangedOldLines,
  type BugIntroduction,
  type SzzOptions,
} from './szz.js';
export {
  DefectLabels,
  buildRows,
  fixTouchEvents,
  planSplit,
  szzEvents,
  type DefectEvent,
  type Labelling,
  type Rows,
  type SplitOptions,
  type SplitPlan,
} from './dataset.js';
export {
  CODE_METRICS,
  mineCodeMetrics,
  parseCatFileBatch,
  parseLsTree,
  readBlobs,
  snapshotCommit,
  sourceMetrics,
  type CodeMetricsCost,
  type CodeMetricsOptions,
} from './code-metrics.js';
