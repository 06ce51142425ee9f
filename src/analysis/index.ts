export {
  scan,
  evaluateGate,
  type AnalysisCache,
  type ScanOptions,
  type ScanProgress,
} from './scan.js';
export { computeScore, scoreFile, scoreRepository, gradeOf, SCORE_WEIGHTS } from './score.js';
export {
  checkRuleIds,
  resolveRuleOptions,
  resolveRules,
  ruleSchemas,
  type RuleSelection,
  type ActiveRules,
} from './rule-config.js';
export { allRules, fileRules, repositoryRules } from './rules/index.js';
export {
  FIXABILITY_MEANINGS,
  ruleDocs,
  ruleOptionDocs,
  rulesMarkdown,
  type RuleDoc,
  type RuleOptionDoc,
} from './rule-docs.js';
export type { Rule, FileRule, RepositoryRule, RuleContext, RuleVisitor } from './rules/types.js';
export { formatReport, sortBySeverity, FORMATS, type Format } from './formats/index.js';
export { isShallowRepository, readGitInfo, SHALLOW_CLONE, type GitInfo } from './git.js';
export { applyFixes, collectFixes, fixSource, type FindingFix, type FixInput } from './fix.js';
export type { RuleFix } from './rules/types.js';
export * from './history/index.js';
export * from './risk/index.js';
export { sha256 } from './sources.js';
export { skipByContent, skipByPath } from './files.js';
export {
  createFileClassifier,
  isTestCode,
  kindByConvention,
  loadTestPatterns,
  parseTestPatterns,
  type TestPatterns,
} from './file-kind.js';
