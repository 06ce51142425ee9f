export {
  BeastError,
  ConfigError,
  InputError,
  ProviderError,
  ValidationError,
  describeError,
  isNativeModuleError,
} from './errors.js';
export {
  type FileChange,
  type TextEdit,
  applyEdits,
  editsOverlap,
  normalizeEdits,
} from './edits.js';
export {
  type BaselineState,
  type BaselineSummary,
  CATEGORIES,
  type Category,
  type Clone,
  FILE_KINDS,
  type FileKind,
  type FileMetrics,
  type FileReport,
  type Finding,
  type Fixability,
  type FunctionMetrics,
  GRADES,
  type GateResult,
  type Grade,
  type HalsteadMetrics,
  type Hotspot,
  type KindSummary,
  type Lang,
  type Location,
  type Measure,
  type RuleMeta,
  SEVERITIES,
  type ScanReport,
  type LintAdjustment,
  type LintConfigReport,
  type ScanSummary,
  type Score,
  type Severity,
  type SkipReason,
  type SkippedFile,
  type SuppressedFinding,
  type Suppression,
} from './types.js';
export { parseJsonc } from './jsonc.js';
export { PRESETS } from './presets.js';
export type { ModelCallResult } from './model-calls.js';
export {
  type Config,
  type ConfigFile,
  type CustomModelConfig,
  type CustomModelsConfig,
  DEFAULT_CONFIG,
  type Gate,
  type GateThreshold,
  type ModelsConfig,
  type RuleSchema,
  type RuleSetting,
  configJsonSchema,
  customModelsSchema,
  parseConfig,
  resolveConfig,
} from './config.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';
export {
  OutsideRepositoryError,
  checkRepositoryRoot,
  createInsideReader,
  isPathInside,
  readTextInside,
  resolveInside,
  writeFileAtomic,
  writeInside,
} from './files.js';
export { EXIT_STAGE, onExit } from './exit.js';
export { holdSecrets, readSecret, withSecrets } from './secrets.js';
export { configureSandbox, sandboxSettings, setupProcessIsolation } from './isolation.js';
export {
  redactOptional,
  redactSecrets,
  redactSecretsKeepingLines,
  rememberSecrets,
} from './redact.js';
export {
  type NormalRuleSetting,
  type RuleLayer,
  matchingLayers,
  mergeRuleLayers,
  normaliseRuleSetting,
  ruleLayers,
  settingsForFile,
} from './rule-layers.js';
export { CONFIG_FILES, existingConfig } from './config-files.js';
export { STARTER_CONFIG } from './starter-config.js';
