import { InputError, rememberSecrets, type ModelsConfig } from '../../core/index.js';
import { createCooldowns, type Cooldowns } from '../llm/cooldown.js';
import { resolveCustomChains, vendorDeployment } from '../llm/config.js';
import { usageOf } from '../llm/cost.js';
import {
  AnswerTooLargeError,
  answerTooLarge,
  DeploymentError,
  isRetryableStatus,
  parseRetryAfter,
  redact,
} from '../llm/errors.js';
import { priceOf } from '../llm/prices.js';
import { withRetries, type RetryOptions } from '../llm/retry.js';
import { answeredCall, failedCall, holdSpend, type RouterOptions } from '../llm/router.js';
import type { Deployment, LlmProtocol, Price } from '../llm/types.js';
import { checkUsage } from '../llm/usage.js';
import { cappedFetch } from './capped-fetch.js';
import { apiKeyOf } from './client.js';
import { OLLAMA_BASE_URL } from './ollama.js';
import { OPENAI_BASE_URL } from './openai.js';

/*
 * Embedding models: an OpenAI-compatible `POST {baseUrl}/embeddings` or Ollama's `POST /api/embed`,
 * declared in `models.embeddings` and metered like chat models (budgets, the shared ledger,
 * cooldowns, the router's retries). Written against the wire directly: the two requests are one
 * JSON object each, and every answer is checked here (count, dimensions, numbers) anyway.
 */

/** List prices per million input tokens of the vendors' embedding models (`models.prices` wins). */
const EMBEDDING_PRICES: Readonly<Record<string, Price>> = {
  'openai:text-embedding-3-small': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'openai:text-embedding-3-large': { inputPerMillion: 0.13, outputPerMillion: 0 },
  'openai:text-embedding-ada-002': { inputPerMillion: 0.1, outputPerMillion: 0 },
};

export const DEFAULT_EMBEDDING_BATCH = 64;
export const DEFAULT_EMBEDDING_TIMEOUT_MS = 30_000;
export const DEFAULT_EMBEDDING_INPUT_CHARS = 2000;
/** Vectors longer than this are refused as garbage; the longest published models are well below. */
const MAX_DIMENSIONS = 16_384;
/** Bytes of JSON per vector component, generously (`-0.123456789012345678,`), for the body cap. */
const BYTES_PER_COMPONENT = 32;
const ENVELOPE_BYTES = 64 * 1024;

/** The configured embedding model, resolved: what `beast models` shows and the embedder uses. */
export interface EmbeddingModel {
  /** As configured: `custom:local`, `openai:text-embedding-3-small`, `ollama:nomic-embed-text`. */
  id: string;
  deployment: Deployment;
  /**
   * What stored vectors are keyed by: the endpoint's model name and the dimensions asked, so a
   * switch of either re-embeds, while a renamed custom entry pointing at the same model does not.
   */
  cacheKey: string;
  dimensions: number | undefined;
  batchSize: number;
  maxInputChars: number;
  /** The key variable to set, when the deployment needs one and it is unset. */
  missingKey: string | undefined;
}

const EMBEDDING_PROTOCOLS: readonly LlmProtocol[] = ['openai', 'ollama'];

/**
 * `models.embeddings` resolved against `models.custom`, the prices and the environment; undefined
 * when no embedding model is configured. An unknown id, or one whose protocol has no embeddings
 * (Anthropic), is an InputError naming the choices.
 */
export function resolveEmbeddingModel(
  config: ModelsConfig,
  env: Readonly<Record<string, string | undefined>>,
): EmbeddingModel | undefined {
  const settings = config.embeddings;
  if (!settings) return undefined;
  const id = settings.model;
  const custom = resolveCustomChains(config.custom ?? {}).chains.get(id)?.[0];
  const found = custom ?? vendorDeployment(id);
  if (!found || !EMBEDDING_PROTOCOLS.includes(found.protocol)) {
    const names = Object.keys(config.custom ?? {}).map((name) => `custom:${name}`);
    throw new InputError(
      `models.embeddings.model: "${id}" is not an embedding model; use ${[...names, 'openai:<model>', 'ollama:<model>'].join(', ')} (protocol openai or ollama)`,
    );
  }
  const price = found.price ?? priceOf(id, config.prices) ?? EMBEDDING_PRICES[id];
  const timeoutMs = settings.timeoutMs ?? found.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS;
  const deployment: Deployment = { ...found, timeoutMs, ...(price ? { price } : {}) };
  const key = apiKeyOf(deployment, env);
  rememberSecrets([key.value]);
  return {
    id,
    deployment,
    cacheKey: `${deployment.protocol}:${deployment.model}${settings.dimensions ? `@${settings.dimensions}` : ''}`,
    dimensions: settings.dimensions,
    batchSize: settings.batchSize ?? DEFAULT_EMBEDDING_BATCH,
    maxInputChars: settings.maxInputChars ?? DEFAULT_EMBEDDING_INPUT_CHARS,
    missingKey: key.name !== undefined && key.value === undefined ? key.name : undefined,
  };
}

/** Vectors for the texts, in order, and the tokens the provider said it read. */
export interface EmbeddingResponse {
  vectors: Float32Array[];
  inputTokens: number | undefined;
}

/** One embedding request to one deployment; throws `DeploymentError` on any failure. */
export interface EmbeddingClient {
  readonly deployment: Deployment;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingResponse>;
}

export interface EmbeddingClientOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Asked of OpenAI-protocol endpoints, and required of every answer. */
  dimensions?: number;
  fetch?: typeof globalThis.fetch;
}

/** Where a request goes and what it carries, by protocol. */
function requestOf(
  deployment: Deployment,
  texts: readonly string[],
  dimensions: number | undefined,
): { url: string; body: unknown } {
  if (deployment.protocol === 'ollama') {
    // Ollama's native API lives beside its OpenAI-compatible /v1, which has no batch embeddings.
    const root = (deployment.baseUrl ?? OLLAMA_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
    return { url: `${root}/api/embed`, body: { model: deployment.model, input: texts } };
  }
  const base = (deployment.baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, '');
  return {
    url: `${base}/embeddings`,
    body: {
      model: deployment.model,
      input: texts,
      encoding_format: 'float',
      ...(dimensions ? { dimensions } : {}),
    },
  };
}

/** Raw vectors and usage out of a parsed body, or what is wrong with its shape. */
function vectorsOf(
  protocol: LlmProtocol,
  body: unknown,
): { raw: unknown[]; tokens: unknown } | string {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (protocol === 'ollama') {
    if (!Array.isArray(object.embeddings)) return 'no "embeddings" array';
    return { raw: object.embeddings, tokens: object.prompt_eval_count };
  }
  if (!Array.isArray(object.data)) return 'no "data" array';
  const items = object.data as unknown[];
  const indexed = items.every(
    (item) => typeof (item as { index?: unknown } | null)?.index === 'number',
  );
  const ordered = indexed
    ? [...items].sort((a, b) => (a as { index: number }).index - (b as { index: number }).index)
    : items;
  const usage = object.usage as { prompt_tokens?: unknown } | undefined;
  return {
    raw: ordered.map((item) => (item as { embedding?: unknown } | null)?.embedding),
    tokens: usage?.prompt_tokens,
  };
}

/**
 * Checks an answer: one vector per text, each a non-empty array of finite numbers, all of one
 * length (the configured one when set). Returns the vectors or why the answer is unusable.
 */
export function checkVectors(
  raw: readonly unknown[],
  expected: { count: number; dimensions: number | undefined },
): Float32Array[] | string {
  if (raw.length !== expected.count) {
    return `${raw.length} vectors for ${expected.count} texts`;
  }
  const vectors: Float32Array[] = [];
  let length = expected.dimensions;
  for (const [i, vector] of raw.entries()) {
    if (!Array.isArray(vector) || vector.length === 0)
      return `vector ${i} is not a list of numbers`;
    if (vector.length > MAX_DIMENSIONS) return `vector ${i} has ${vector.length} dimensions`;
    if (length === undefined) length = vector.length;
    if (vector.length !== length) {
      return `vector ${i} has ${vector.length} dimensions, expected ${length}`;
    }
    if (!vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return `vector ${i} holds something other than finite numbers`;
    }
    vectors.push(Float32Array.from(vector as number[]));
  }
  return vectors;
}

function tokensOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** An error body's message, if it has one, else the start of the text. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string };
    const message = typeof body.error === 'string' ? body.error : body.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return text;
}

/**
 * A client for one embedding deployment. Each request has its own timeout (retryable, as a
 * timeout of a chat model is); bodies are read up to a cap sized for the vectors asked; the key
 * never appears in an error.
 */
export function createEmbeddingClient(
  deployment: Deployment,
  options: EmbeddingClientOptions,
): EmbeddingClient {
  const key = apiKeyOf(deployment, options.env);
  const secrets = key.value === undefined ? [] : [key.value];
  const fail = (message: string, details: ConstructorParameters<typeof DeploymentError>[2]) =>
    new DeploymentError(
      deployment.id,
      redact(message.split('\n')[0] ?? '', secrets).slice(0, 300),
      details,
    );
  const timeoutMs = deployment.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS;

  async function embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingResponse> {
    if (key.name !== undefined && key.value === undefined) {
      throw fail(`missing key: set ${key.name}`, { retryable: false });
    }
    if (texts.length === 0) return { vectors: [], inputTokens: 0 };
    const { url, body } = requestOf(deployment, texts, options.dimensions);
    const maxBytes =
      texts.length * (options.dimensions ?? 4096) * BYTES_PER_COMPONENT + ENVELOPE_BYTES;
    const fetch = cappedFetch(options.fetch ?? globalThis.fetch, {
      deployment: deployment.id,
      maxBytes,
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let text: string;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key.value !== undefined ? { authorization: `Bearer ${key.value}` } : {}),
          ...deployment.headers,
        },
        body: JSON.stringify(body),
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (answerTooLarge(error)) {
        throw new AnswerTooLargeError(deployment.id, maxBytes, `response to ${texts.length} texts`);
      }
      if (timeout.aborted) {
        throw fail(`timed out after ${timeoutMs} ms`, { retryable: true, cause: error });
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw fail(`cannot reach ${url}: ${reason}`, { retryable: true, cause: error });
    }
    if (!response.ok) {
      throw fail(`HTTP ${response.status}: ${errorText(text)}`, {
        retryable: isRetryableStatus(response.status),
        status: response.status,
        retryAfterMs: parseRetryAfter(Object.fromEntries(response.headers)),
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw fail('unusable response: the body is not JSON', { retryable: false });
    }
    const shape = vectorsOf(deployment.protocol, parsed);
    if (typeof shape === 'string') {
      throw fail(`unusable response: ${shape} (not ${deployment.protocol} embeddings)`, {
        retryable: false,
      });
    }
    const vectors = checkVectors(shape.raw, {
      count: texts.length,
      dimensions: options.dimensions,
    });
    if (typeof vectors === 'string') {
      throw fail(`unusable response: ${vectors}`, { retryable: false });
    }
    return { vectors, inputTokens: tokensOf(shape.tokens) };
  }

  return { deployment, embed };
}

/** Vectors and what they cost (undefined when the price or the usage is unknown). */
export interface EmbeddedBatch {
  vectors: Float32Array[];
  costUsd: number | undefined;
}

/** The embedding model with its budget, ledger, cooldown and retries. */
export interface Embedder {
  readonly model: EmbeddingModel;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddedBatch>;
}

export interface EmbedderOptions extends Pick<
  RouterOptions,
  'budget' | 'ledger' | 'throttle' | 'onCall'
> {
  env: Readonly<Record<string, string | undefined>>;
  cooldowns?: Cooldowns;
  fetch?: typeof globalThis.fetch;
  /** The router's retry policy by default; tests give a sleep that does not wait. */
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
}

/**
 * The most tokens a batch can be: every byte a token (as the chat budget assumes), plus a few per
 * text for the tokeniser's markers.
 */
function boundOf(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text) + 8, 0);
}

/**
 * Embeds through the model's client as the router calls a chat model: a cooling deployment is not
 * asked; each request reserves its worst case in the run's budget and the shared ledger (purpose
 * `embedding`) and settles it with the reported usage, checked against that bound; retryable
 * failures are retried with the router's backoff.
 */
export function createEmbedder(model: EmbeddingModel, options: EmbedderOptions): Embedder {
  const client = createEmbeddingClient(model.deployment, {
    env: options.env,
    ...(model.dimensions ? { dimensions: model.dimensions } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const cooldowns = options.cooldowns ?? createCooldowns();
  const { deployment } = model;

  async function once(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddedBatch> {
    const bound = { inputTokens: boundOf(texts), outputTokens: 0 };
    const maxUsd = usageOf(bound, deployment.price).costUsd;
    const { held, shared } = await holdSpend(options, deployment, maxUsd, { task: 'embedding' });
    const started = performance.now();
    const settle = async (result: ReturnType<typeof failedCall>) => {
      held?.settle(result.costUsd);
      const call = { deployment, ...result, latencyMs: performance.now() - started };
      await shared?.settle(call);
      options.onCall?.(call);
    };
    let response: EmbeddingResponse;
    try {
      const call = () => client.embed(texts, signal);
      response = await (options.throttle ? options.throttle(deployment, call, signal) : call());
    } catch (error) {
      await settle(failedCall(error, maxUsd));
      throw error;
    }
    const usage = checkUsage({ inputTokens: response.inputTokens, outputTokens: 0 }, bound);
    const costUsd = usageOf(usage, deployment.price).costUsd;
    await settle(answeredCall(usage, costUsd));
    return { vectors: response.vectors, costUsd };
  }

  return {
    model,
    async embed(texts, signal) {
      if (cooldowns.isCooling(deployment.id)) {
        const until = new Date(cooldowns.state(deployment.id).until ?? 0).toISOString();
        throw new DeploymentError(
          deployment.id,
          `cooling down after recent failures until ${until}`,
          {
            retryable: false,
          },
        );
      }
      try {
        const batch = await withRetries(() => once(texts, signal), { ...options.retry, signal });
        cooldowns.recordSuccess(deployment.id);
        return batch;
      } catch (error) {
        cooldowns.recordFailure(deployment.id, error);
        throw error;
      }
    },
  };
}
