import { rememberSecrets } from '../../core/index.js';
import { importSpecifier } from '../../fixes/index.js';
import { apiKeyOf, createLlmClient } from '../providers/client.js';
import {
  isFindingTask,
  type FindingTask,
  type Model,
  type ModelContext,
  type Proposal,
  type Task,
  type TestTask,
  type Usage,
} from '../types.js';
import { createMemoryCache, requestKey, type AnswerCache } from './cache.js';
import { usageOf } from './cost.js';
import { blocksToChanges, parseEditBlocks } from './edit-blocks.js';
import { redact } from './errors.js';
import { buildFixPrompt } from './prompt.js';
import { buildTestPrompt, parseTestAnswer } from './test-prompt.js';
import { createLlmRouter, type LlmRouter, type RouterOptions } from './router.js';
import type { Deployment, LlmClient, LlmRequest } from './types.js';

export interface LlmModelOptions {
  /** `provider:model` id of the model as a whole, e.g. `custom:local`. */
  id: string;
  /** The fallback chain, preferred first. */
  deployments: readonly Deployment[];
  /** Where API keys are read from, by the variable names the deployments give. */
  env: Readonly<Record<string, string | undefined>>;
  router?: RouterOptions;
  /** Defaults to a fresh in-memory cache per model. */
  cache?: AnswerCache;
  /** The repository's conventions; by default read from AGENTS.md, CONVENTIONS.md or .editorconfig. */
  conventions?: string;
  fetch?: typeof globalThis.fetch;
  /** Told about every answer that gave no proposal, with the reason and what it cost. */
  onRejected?: (rejection: RejectedAnswer) => void;
}

/** An answer that could not be turned into a proposal. */
export interface RejectedAnswer {
  model: string;
  reason: string;
  usage: Usage;
}

/** Everything one fix request produced, for callers that keep a ledger. */
export interface LlmFixResult {
  proposals: Proposal[];
  rejected?: RejectedAnswer;
  /** E.g. an unknown price: the cost is undefined, not zero. */
  warnings: string[];
  cached: boolean;
}

/** A free-text answer (`complete`): what it said, which deployment said it, what it cost. */
export interface TextAnswer {
  text: string;
  /** The deployment that answered, e.g. `custom:local`. */
  deployment: string;
  usage: Usage;
  /** Served from the answer cache: nothing was sent, nothing was spent. */
  cached: boolean;
  /** E.g. an unknown price: the cost is undefined, not zero. */
  warnings: string[];
}

export interface LlmModel extends Model {
  readonly router: LlmRouter;
  proposeFix(task: Task, context: ModelContext): Promise<LlmFixResult>;
  /**
   * Asks for free text (an answer about code, not edits), through the same fallback chain, budget,
   * ledger and answer cache as fixes; streamed through `onText` when given (a cached answer
   * arrives in one piece).
   */
  complete(
    request: LlmRequest,
    options?: { onText?: (text: string) => void; signal?: AbortSignal },
  ): Promise<TextAnswer>;
}

/** Whether a model is LLM-backed (proposes through the router, answers free text). */
export function isLlmModel(model: Model): model is LlmModel {
  return typeof (model as Partial<LlmModel>).complete === 'function';
}

const CONVENTION_FILES = ['AGENTS.md', 'CONVENTIONS.md', '.editorconfig'];

async function readConventions(context: ModelContext): Promise<string | undefined> {
  for (const file of CONVENTION_FILES) {
    const text = await context.readFile(file).catch(() => undefined);
    if (text?.trim()) return `${file}:\n${text.slice(0, 3000)}`;
  }
  return undefined;
}

interface Answer {
  text: string;
  deployment: Deployment;
  usage: Usage;
  cached: boolean;
}

function priceWarnings(answer: Answer): string[] {
  if (answer.cached || answer.usage.costUsd !== undefined) return [];
  return [`${answer.deployment.id}: no known price or token usage; cost unknown`];
}

/**
 * The request for a finding task: the finding, the code around it, the repo map around its file,
 * the repository's conventions and the kind's wording; its purpose goes to the ledger.
 */
async function findingRequest(
  task: FindingTask,
  context: ModelContext,
  conventions: string | undefined,
): Promise<LlmRequest> {
  const source = await context.readFile(task.finding.file);
  const contextLines = 20;
  const repoMap = (await context.repoMap?.()) ?? '';
  const request = buildFixPrompt({
    finding: task.finding,
    source,
    ...(conventions !== undefined ? { conventions } : {}),
    contextLines,
    repoMap,
    ...(task.repair ? { repair: task.repair } : {}),
    ...(task.brief ? { brief: task.brief } : {}),
  });
  return { ...request, purpose: { task: task.kind, ruleId: task.finding.ruleId } };
}

/** How the test imports its target, or undefined when the style cannot say (the prompt then asks for a relative path). */
function specifierOf(task: TestTask): string | undefined {
  try {
    return importSpecifier(task.style, task.testFile, task.file);
  } catch {
    return undefined;
  }
}

/**
 * The request for a test task: the target's source with its uncovered lines marked, its exports,
 * the repository's test style and example, the repo map and conventions. The ledger files it
 * under the pseudo-rule `coverage`, as selection judges test tasks.
 */
async function testRequest(
  task: TestTask,
  context: ModelContext,
  conventions: string | undefined,
): Promise<LlmRequest> {
  const source = await context.readFile(task.file);
  const repoMap = (await context.repoMap?.()) ?? '';
  const request = buildTestPrompt({
    task,
    source,
    specifier: specifierOf(task),
    repoMap,
    ...(conventions !== undefined ? { conventions } : {}),
  });
  return { ...request, purpose: { task: 'test', ruleId: 'coverage' } };
}

/**
 * An LLM-backed model: asks the deployments, in fallback order, for search/replace edit blocks
 * that fix one finding, and turns a well-formed answer into one proposal. A malformed answer is a
 * rejection with a reason, never a throw; a ProviderError is thrown only when no deployment answers.
 */
export function createLlmModel(options: LlmModelOptions): LlmModel {
  const clients: LlmClient[] = options.deployments.map((d) =>
    createLlmClient(d, { env: options.env, fetch: options.fetch }),
  );
  const byId = new Map(options.deployments.map((d) => [d.id, d]));
  const secrets = options.deployments
    .map((d) => apiKeyOf(d, options.env).value)
    .filter((v): v is string => v !== undefined);
  rememberSecrets(secrets);
  const router = createLlmRouter(clients, options.router);
  const cache = options.cache ?? createMemoryCache();
  const clean = (text: string): string => redact(text, secrets);

  async function ask(
    request: LlmRequest,
    signal?: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<Answer> {
    const { system, prompt } = request;
    const chain = options.deployments.map((d) => [d.id, d.model]);
    const key = requestKey({ chain, request: { system, prompt } });
    const hit = await cache.get(key);
    const hitDeployment = hit && byId.get(hit.deployment);
    if (hit && hitDeployment) {
      const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
      onText?.(hit.text);
      return { text: hit.text, deployment: hitDeployment, usage, cached: true };
    }
    const response = onText
      ? await router.stream(request, onText, signal)
      : await router.complete(request, signal);
    const deployment = byId.get(response.deployment) ?? (options.deployments[0] as Deployment);
    await cache.set(key, { text: response.text, deployment: deployment.id });
    return {
      text: response.text,
      deployment,
      usage: usageOf(response, deployment.price),
      cached: false,
    };
  }

  function rejecter(answer: Answer) {
    const base = { warnings: priceWarnings(answer), cached: answer.cached };
    const reject = (reason: string): LlmFixResult => {
      const rejected = { model: answer.deployment.id, reason: clean(reason), usage: answer.usage };
      options.onRejected?.(rejected);
      return { ...base, proposals: [], rejected };
    };
    return { base, reject };
  }

  // Code cannot be redacted without breaking it, so code that carries a key is refused.
  const carriesSecret = (code: string): boolean =>
    secrets.some((secret) => secret.length >= 4 && code.includes(secret));

  async function toProposals(
    task: FindingTask,
    context: ModelContext,
    answer: Answer,
  ): Promise<LlmFixResult> {
    const { base, reject } = rejecter(answer);
    const parsed = parseEditBlocks(answer.text);
    if (!parsed.ok) return reject(parsed.reason);
    const applied = await blocksToChanges(parsed.blocks, context.readFile);
    if (!applied.ok) return reject(applied.reason);
    if (carriesSecret(JSON.stringify(applied.changes))) {
      return reject('the edit contains an API key');
    }
    const proposal: Proposal = {
      model: answer.deployment.id,
      title: clean(parsed.title ?? `Fix ${task.finding.ruleId} in ${task.finding.file}`),
      changes: applied.changes,
      rationale: parsed.rationale ? clean(parsed.rationale) : undefined,
      usage: answer.usage,
    };
    return { ...base, proposals: [proposal] };
  }

  /**
   * One proposal that creates the answer's test file at `task.testFile`: a new file is one
   * insertion into the empty text (`core/edits`), so applying it to '' gives the file.
   */
  function toTestProposals(task: TestTask, answer: Answer): LlmFixResult {
    const { base, reject } = rejecter(answer);
    const parsed = parseTestAnswer(answer.text);
    if (!parsed.ok) return reject(parsed.reason);
    if (carriesSecret(parsed.content)) return reject('the test file contains an API key');
    const proposal: Proposal = {
      model: answer.deployment.id,
      title: `Tests for ${task.file}`,
      changes: [{ file: task.testFile, edits: [{ start: 0, end: 0, text: parsed.content }] }],
      rationale: parsed.rationale ? clean(parsed.rationale) : undefined,
      usage: answer.usage,
    };
    return { ...base, proposals: [proposal] };
  }

  /** Tests for a test task; nothing is asked when the test file exists, as it would be overwritten. */
  async function proposeTests(
    task: TestTask,
    context: ModelContext,
    conventions: string | undefined,
  ): Promise<LlmFixResult> {
    const exists = await context.readFile(task.testFile).then(
      () => true,
      () => false,
    );
    if (exists) {
      const warning = `${task.testFile} already exists: a test task writes a new file, so ${options.id} was not asked`;
      return { proposals: [], warnings: [warning], cached: false };
    }
    const answer = await ask(await testRequest(task, context, conventions), context.signal);
    return toTestProposals(task, answer);
  }

  async function proposeFix(task: Task, context: ModelContext): Promise<LlmFixResult> {
    const conventions = options.conventions ?? (await readConventions(context));
    if (!isFindingTask(task)) return proposeTests(task, context, conventions);
    const answer = await ask(await findingRequest(task, context, conventions), context.signal);
    return toProposals(task, context, answer);
  }

  return {
    id: options.id,
    builtin: false,
    router,
    // Every finding task (its kind's brief words the request) and every test task.
    supports: (task) => isFindingTask(task) || task.kind === 'test',
    proposeFix,
    async complete(request, { onText, signal } = {}) {
      const answer = await ask(request, signal, onText && ((text) => onText(clean(text))));
      return {
        text: clean(answer.text),
        deployment: answer.deployment.id,
        usage: answer.usage,
        cached: answer.cached,
        warnings: priceWarnings(answer),
      };
    },
    propose: async (task, context) => (await proposeFix(task, context)).proposals,
  };
}
