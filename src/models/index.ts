export { TASK_KINDS } from './types.js';
export type {
  FindingTask,
  Model,
  ModelContext,
  Proposal,
  RepairRequest,
  Task,
  TaskBrief,
  TaskKind,
  Usage,
} from './types.js';
export { createBuiltinModels, describeModels, resolveModels } from './registry.js';
export type { ModelEntry } from './registry.js';
export {
  rankModels,
  sampleBeta,
  seededRandom,
  SelectionStats,
  type Choice,
  type ModelRecord,
  type Outcomes,
  type SelectionOptions,
} from './selection.js';
export { PRICE_TABLE, priceOf } from './llm/prices.js';
export { CODEMOD_RULES, CODEMODS_MODEL_ID, createCodemodsModel } from './builtin/codemods.js';
export {
  createTsFixesModel,
  TS_FIX_MAPPINGS,
  TS_FIX_RULES,
  TS_FIXES_MODEL_ID,
  type TsFixGuard,
  type TsFixMapping,
  type TsFixesModelOptions,
} from './builtin/ts-fixes.js';
export {
  blocksToChanges,
  buildFixPrompt,
  coolsDown,
  createCooldowns,
  createLlmModel,
  createLlmRouter,
  createMemoryCache,
  DEFAULT_RETRY_POLICY,
  AnswerTooLargeError,
  DeploymentError,
  EDIT_FORMAT,
  excerptAround,
  isRetryableStatus,
  parseEditBlocks,
  parseRetryAfter,
  redact,
  requestKey,
  retryDelay,
  usageOf,
  withRetries,
  type AnswerCache,
  type Attempt,
  type CachedAnswer,
  type CooldownOptions,
  type Cooldowns,
  type CooldownState,
  type Deployment,
  type EditBlock,
  type FixPromptInput,
  type LlmClient,
  type LlmFixResult,
  type LlmModel,
  type LlmModelOptions,
  type LlmProtocol,
  type LlmRequest,
  type LlmResponse,
  type LlmRouter,
  type ParsedAnswer,
  type Price,
  type RejectedAnswer,
  type RetryOptions,
  type RetryPolicy,
  type RoutedResponse,
  type RouterOptions,
  type Sleep,
} from './llm/index.js';
export {
  ANTHROPIC_BASE_URL,
  apiKeyOf,
  createLlmClient,
  DEFAULT_API_KEY_ENV,
  DEFAULT_TIMEOUT_MS,
  OLLAMA_BASE_URL,
  OPENAI_BASE_URL,
  PROVIDERS,
  toDeploymentError,
  type LlmClientOptions,
} from './providers/index.js';
export type { ModelRegistryOptions } from './registry.js';
export {
  customDeployment,
  resolveCustomChains,
  VENDOR_PROTOCOLS,
  vendorDeployment,
} from './llm/index.js';
export { StreamInterruptedError } from './llm/index.js';
export {
  BudgetExceededError,
  combineBudgets,
  costOf,
  createBudget,
  type ScopedBudget,
  maxCostUsd,
  type Budget,
  type Reservation,
} from './llm/index.js';
export { DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_OUTPUT_TOKENS } from './llm/index.js';
export { createLimiter, createRateLimiter, type Limiter, type RateLimiter } from './llm/index.js';
export {
  COOLING_FAILURES,
  failureKind,
  type CallEvent,
  type LedgerHold,
  type SharedLedger,
} from './llm/index.js';
