import type { APICallError, LanguageModel } from 'ai';
import { readSecret } from '../../core/index.js';
import { createLimiter, type Limiter } from '../llm/limiter.js';
import {
  AnswerTooLargeError,
  answerTooLarge,
  DeploymentError,
  isRetryableStatus,
  parseRetryAfter,
  redact,
} from '../llm/errors.js';
import {
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_OUTPUT_TOKENS,
  type Deployment,
  type LlmClient,
  type LlmProtocol,
  type LlmRequest,
  type LlmResponse,
} from '../llm/types.js';
import { createAnthropicLanguageModel } from './anthropic.js';
import { bodyCap, cappedFetch } from './capped-fetch.js';
import { createOllamaLanguageModel } from './ollama.js';
import { createOpenAiLanguageModel } from './openai.js';
import type { ProviderSettings } from './settings.js';

type LanguageModelFactory = (
  deployment: Deployment,
  settings: ProviderSettings,
) => Promise<LanguageModel>;

/** The SDK loads on the first request, so commands that never call a model do not pay for it. */
const loadSdk = () => import('ai');

/** One factory per wire protocol; a new provider is a new file and a new entry here. */
export const PROVIDERS: Readonly<Record<LlmProtocol, LanguageModelFactory>> = {
  openai: createOpenAiLanguageModel,
  anthropic: createAnthropicLanguageModel,
  ollama: createOllamaLanguageModel,
};

/** The environment variable that holds the key when a deployment names none. */
export const DEFAULT_API_KEY_ENV: Readonly<Record<LlmProtocol, string | undefined>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  ollama: undefined,
};

export const DEFAULT_TIMEOUT_MS = 60_000;

export interface LlmClientOptions {
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof globalThis.fetch;
}

/** The API key of a deployment, read from the environment variable it names. */
export function apiKeyOf(
  deployment: Deployment,
  env: Readonly<Record<string, string | undefined>>,
): { name: string | undefined; value: string | undefined } {
  // A vendor's default variable only ever goes to that vendor: a custom endpoint gets a key only
  // from the variable its config names, so OPENAI_API_KEY never reaches a self-hosted server.
  const vendor = deployment.id.startsWith(`${deployment.protocol}:`);
  const name =
    deployment.apiKeyEnv ?? (vendor ? DEFAULT_API_KEY_ENV[deployment.protocol] : undefined);
  const value = name === undefined ? undefined : readSecret(env, name);
  return { name, value: value === '' ? undefined : value };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** Whether a connection broke somewhere in the cause chain (a body cut off mid-answer). */
function brokeConnection(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error instanceof TypeError && error.message === 'terminated') return true;
  return brokeConnection(error.cause, depth + 1);
}

/**
 * Whether an HTTP failure is worth retrying: by status when the server sent an error status;
 * otherwise only when the connection failed (a 2xx whose body broke off, or no response at all).
 */
function isRetryableCall(error: APICallError): boolean {
  const status = error.statusCode;
  if (status !== undefined && (status < 200 || status >= 300)) return isRetryableStatus(status);
  return (status === undefined && error.isRetryable) || brokeConnection(error.cause);
}

/** What was wrong with a successful response's body, in words that name no part of it. */
function unusableBody(
  deployment: Deployment,
  error: APICallError,
  clean: (text: string) => string,
): string {
  const cause = (error.cause as { name?: unknown } | undefined)?.name;
  if (cause === 'AI_JSONParseError') return 'unusable response: the body is not JSON';
  if (cause === 'AI_TypeValidationError') {
    return `unusable response: the body is not an answer in the ${deployment.protocol} protocol`;
  }
  return clean(error.message);
}

/** Maps whatever the SDK threw to a DeploymentError whose message carries no secret. */
export function toDeploymentError(
  deployment: Deployment,
  error: unknown,
  secrets: readonly string[],
  isApiCallError: (error: unknown) => error is APICallError,
): DeploymentError {
  const clean = (text: string): string => redact(firstLine(text), secrets);
  if (isApiCallError(error)) {
    const status = error.statusCode;
    const failed = status !== undefined && (status < 200 || status >= 300);
    return new DeploymentError(
      deployment.id,
      failed ? `HTTP ${status}: ${clean(error.message)}` : unusableBody(deployment, error, clean),
      {
        retryable: isRetryableCall(error),
        status,
        retryAfterMs: parseRetryAfter(error.responseHeaders),
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // Anything else (a body that is not the protocol's JSON, an empty answer) is this deployment's fault.
  return new DeploymentError(deployment.id, clean(message), { retryable: false });
}

function maxAnswerBytes(deployment: Deployment): number {
  return deployment.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
}

async function send(
  deployment: Deployment,
  model: LanguageModel,
  request: LlmRequest,
  signal: AbortSignal,
): Promise<LlmResponse> {
  const { generateText } = await loadSdk();
  const result = await generateText({
    model,
    system: request.system,
    prompt: request.prompt,
    maxRetries: 0,
    temperature: 0,
    maxOutputTokens: deployment.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    abortSignal: signal,
  });
  const maxBytes = maxAnswerBytes(deployment);
  if (Buffer.byteLength(result.text) > maxBytes) {
    throw new AnswerTooLargeError(deployment.id, maxBytes);
  }
  return {
    text: result.text,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
  };
}

async function sendStreaming(
  deployment: Deployment,
  model: LanguageModel,
  call: { request: LlmRequest; signal: AbortSignal; onText: (text: string) => void },
): Promise<LlmResponse> {
  const { streamText } = await loadSdk();
  const result = streamText({
    model,
    system: call.request.system,
    prompt: call.request.prompt,
    maxRetries: 0,
    temperature: 0,
    maxOutputTokens: deployment.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    abortSignal: call.signal,
    // Errors arrive as stream parts below; the default handler would print them.
    onError: () => undefined,
  });
  const maxBytes = maxAnswerBytes(deployment);
  let text = '';
  let bytes = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'error') throw part.error;
    if (part.type === 'abort') throw call.signal.reason;
    if (part.type === 'text-delta') {
      bytes += Buffer.byteLength(part.text);
      if (bytes > maxBytes) throw new AnswerTooLargeError(deployment.id, maxBytes);
      text += part.text;
      call.onText(part.text);
    }
    if (part.type === 'finish') {
      const usage = part.totalUsage;
      return { text, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
    }
  }
  throw new Error('the stream ended before its finish event');
}

/**
 * A client for one deployment over HTTP. The SDK's own retries are off: the router's are the only
 * ones. Each request has its own timeout; a timeout is retryable, the caller's abort is rethrown.
 */
export function createLlmClient(deployment: Deployment, options: LlmClientOptions): LlmClient {
  const key = apiKeyOf(deployment, options.env);
  const secrets = key.value === undefined ? [] : [key.value];
  let model: Promise<LanguageModel> | undefined;
  const modelOf = (): Promise<LanguageModel> =>
    (model ??= PROVIDERS[deployment.protocol](deployment, {
      apiKey: key.value,
      // The body is read only up to a bound, so a huge or endless answer ends at the cap.
      fetch: cappedFetch(options.fetch ?? globalThis.fetch, {
        deployment: deployment.id,
        maxBytes: bodyCap(maxAnswerBytes(deployment)),
      }),
    }));
  const timeoutMs = deployment.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limit: Limiter = deployment.maxConcurrency
    ? createLimiter(deployment.maxConcurrency)
    : (task) => task();

  async function runNow<T>(
    call: (model: LanguageModel, signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    if (key.name !== undefined && key.value === undefined) {
      throw new DeploymentError(deployment.id, `missing key: set ${key.name}`, {
        retryable: false,
      });
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await call(await modelOf(), combined);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const large = answerTooLarge(error);
      if (large) throw large;
      if (timeout.aborted) {
        throw new DeploymentError(deployment.id, `timed out after ${timeoutMs} ms`, {
          retryable: true,
          cause: error,
        });
      }
      const { APICallError } = await loadSdk();
      throw toDeploymentError(deployment, error, secrets, (e) => APICallError.isInstance(e));
    }
  }

  // The timeout starts when the request leaves, not while it waits for a slot.
  const run = <T>(
    call: (model: LanguageModel, signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> => limit(() => runNow(call, signal), signal);

  return {
    deployment,
    complete: (request, signal) =>
      run((model, combined) => send(deployment, model, request, combined), signal),
    stream: (request, onText, signal) =>
      run(
        (model, combined) =>
          sendStreaming(deployment, model, { request, signal: combined, onText }),
        signal,
      ),
  };
}
