export type {
  Deployment,
  LlmClient,
  LlmProtocol,
  LlmRequest,
  LlmResponse,
  Price,
} from './types.js';
export {
  AnswerTooLargeError,
  DeploymentError,
  isRetryableStatus,
  parseRetryAfter,
  redact,
  StreamInterruptedError,
} from './errors.js';
export {
  DEFAULT_RETRY_POLICY,
  retryDelay,
  sleep,
  withRetries,
  type RetryOptions,
  type RetryPolicy,
  type Sleep,
} from './retry.js';
export {
  coolsDown,
  createCooldowns,
  type CooldownOptions,
  type CooldownState,
  type Cooldowns,
} from './cooldown.js';
export {
  createLlmRouter,
  COOLING_FAILURES,
  failureKind,
  type CallEvent,
  type LedgerHold,
  type SharedLedger,
  type Attempt,
  type LlmRouter,
  type RoutedResponse,
  type RouterOptions,
} from './router.js';
export { usageOf } from './cost.js';
export { createMemoryCache, requestKey, type AnswerCache, type CachedAnswer } from './cache.js';
export {
  blocksToChanges,
  EDIT_FORMAT,
  parseEditBlocks,
  type EditBlock,
  type ParsedAnswer,
} from './edit-blocks.js';
export { buildFixPrompt, excerptAround, type FixPromptInput } from './prompt.js';
export {
  createLlmModel,
  isLlmModel,
  type LlmFixResult,
  type LlmModel,
  type LlmModelOptions,
  type RejectedAnswer,
} from './llm-model.js';
export {
  customDeployment,
  resolveCustomChains,
  VENDOR_PROTOCOLS,
  vendorDeployment,
} from './config.js';
export {
  BudgetExceededError,
  combineBudgets,
  type ScopedBudget,
  costOf,
  createBudget,
  maxCostUsd,
  type Budget,
  type Reservation,
} from './budget.js';
export { DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_OUTPUT_TOKENS } from './types.js';
export { createLimiter, createRateLimiter, type Limiter, type RateLimiter } from './limiter.js';
