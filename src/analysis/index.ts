export {
  scan,
  evaluateGate,
  type AnalysisCache,
  type ScanOptions,
  type ScanProgress,
} from './scan.js';
export { computeScore, gradeOf, SCORE_WEIGHTS } from './score.js';
export { checkRuleIds, ruleOptionsByFile, ruleSchemas, type RuleOptionsOf } from './rule-config.js';
export { allRules, fileRules } from './rules/index.js';
export { ruleDocs, rulesMarkdown } from './rule-docs.js';
export type { Rule, FileRule, RepositoryRule } from './rules/types.js';
export { formatReport, FORMATS, type Format } from './formats/index.js';
export { orderByValue, testCodeFiles } from './value.js';
export { isShallowRepository, readGitInfo, SHALLOW_CLONE, type GitInfo } from './git.js';
export { collectFixes, type FindingFix } from './fix.js';
export {
  CHURN_X_COMPLEXITY,
  CODE_METRICS,
  type CodeMetricsCost,
  HISTORY_FEATURES,
  type History,
  type HistoryCommit,
  createFixMatcher,
  findBugIntroductions,
  isPredictedFile,
  mineCodeMetrics,
  mineHistory,
  parseNumstatLog,
  planSplit,
  sourceMetrics,
} from './history/index.js';
export {
  DEFAULT_GRID,
  type FileRisk,
  GBT_DEFAULTS,
  MissingHistoryError,
  RANKING_NAMES,
  RISK_MODEL_NAME,
  type RankingAucs,
  type RankingChoice,
  type RiskEvaluation,
  type RiskMetrics,
  type RiskModel,
  type RiskRanking,
  StaleModelError,
  chooseRanking,
  chosenAuc,
  createRandom,
  evaluateHistory,
  formatChosen,
  formatEvaluation,
  formatFigure,
  formatMargin,
  formatRanking,
  formatSelection,
  includeUnder,
  rankLiveRisk,
  trainRiskModel,
} from './risk/index.js';
export type { CheckedCitation, CodeSymbol } from './codebase/types.js';
export { extractFile } from './codebase/extract.js';
export { indexText, queryTokens } from './codebase/tokenize.js';
export { buildReferenceGraph, pageRank } from './codebase/graph.js';
export { readBlobSizes, readBlobs, readHeadTree } from './codebase/tree.js';
export { createFileClassifier, isTestCode, loadTestPatterns } from './file-kind.js';
export { discoverFiles, isSourceFile } from './files.js';
export {
  formatLocation,
  lineCount,
  verifyCitations,
  type ReadAtCommit,
} from './codebase/citations.js';
export { commitReader, findUsages } from './codebase/commit-files.js';
export { sha256 } from './sources.js';
export { skipByContent, skipByPath } from './files.js';
export { resolveTargets } from './targets.js';
export type { NodeScriptRunner } from './lint-config/index.js';
export {
  BASELINE_PATH,
  checkBaselinePath,
  createBaseline,
  loadBaselineFile,
  loadRepositoryBaseline,
  updateBaseline,
  writeBaselineFile,
  writeRepositoryBaseline,
  type LoadedBaseline,
} from './baseline.js';
export {
  citationHash,
  extractModuleFacts,
  extractPackageFacts,
  extractReadmeFacts,
  extractTestFacts,
  validateLlmFact,
  type ExtractedFact,
  type FactCitation,
} from './codebase/facts.js';
export { parseTestPatterns } from './file-kind.js';
