export { TASK_KINDS } from './types.js';
export { isFindingTask } from './types.js';
export type {
  FindingTask,
  Model,
  Proposal,
  RepairRequest,
  Task,
  TaskKind,
  TestTask,
} from './types.js';
export { describeModels, resolveModels } from './registry.js';
export type { ModelEntry } from './registry.js';
export type { TestGenModel } from './builtin/testgen/index.js';
export { rankModels, seededRandom, SelectionStats, type Choice } from './selection.js';
export { createCodemodsModel } from './builtin/codemods.js';
export {
  BudgetExceededError,
  combineBudgets,
  COOLING_FAILURES,
  coolsDown,
  createBudget,
  createCooldowns,
  createLimiter,
  createRateLimiter,
  DeploymentError,
  failureKind,
  type AnswerCache,
  type Budget,
  type CallEvent,
  type Cooldowns,
  type CooldownState,
  type Deployment,
  type Limiter,
  type LlmFixResult,
  isLlmModel,
  type LlmModel,
  type LlmRequest,
  type RateLimiter,
  type RouterOptions,
  type ScopedBudget,
  type SharedLedger,
} from './llm/index.js';
export {
  createEmbedder,
  resolveEmbeddingModel,
  type Embedder,
  type EmbedderOptions,
  type EmbeddingModel,
} from './providers/embeddings.js';
