/**
 * BEAST MODE's library entry. `scan` measures a repository; `formatReport` renders the result as a
 * table, JSON, SARIF 2.1.0 or markdown; `resolveConfig` reads `beast.config.json` with the documented
 * precedence. Everything else is internal.
 */
export {
  scan,
  evaluateGate,
  formatReport,
  FORMATS,
  allRules,
  computeScore,
} from './analysis/index.js';
export type {
  ScanOptions,
  ScanProgress,
  AnalysisCache,
  Format,
  Rule,
  FileRule,
  RepositoryRule,
} from './analysis/index.js';
export {
  BeastError,
  ConfigError,
  InputError,
  ProviderError,
  ValidationError,
  resolveConfig,
  parseConfig,
  configJsonSchema,
  DEFAULT_CONFIG,
  TOOL_VERSION,
} from './core/index.js';
export type * from './core/types.js';
export type { Config, ConfigFile, Gate, GateThreshold } from './core/index.js';
