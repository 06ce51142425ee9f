import type { TaskKind } from '../types.js';
/** The wire protocol a deployment speaks. */
export type LlmProtocol = 'openai' | 'anthropic' | 'ollama';

/** Price in US dollars per million tokens. */
export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * One model at one endpoint: what the router tries, retries, cools down and falls back from.
 * `id` is `provider:model` (`openai:gpt-4o-mini`, `custom:local`).
 */
export interface Deployment {
  id: string;
  protocol: LlmProtocol;
  /** The model name the endpoint expects, e.g. `gpt-4o-mini` or `llama3.1`. */
  model: string;
  /** Defaults to the vendor's public endpoint (Ollama: `http://127.0.0.1:11434/v1`). */
  baseUrl?: string;
  /** Name of the environment variable that holds the API key; never the key itself. */
  apiKeyEnv?: string;
  headers?: Readonly<Record<string, string>>;
  /** Unknown price leaves `costUsd` undefined and is flagged, never counted as free. */
  price?: Price;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  maxOutputTokens?: number;
  /** Largest answer accepted, in bytes of text (default `DEFAULT_MAX_ANSWER_BYTES`). */
  maxAnswerBytes?: number;
  /** Requests in flight at once from this process; more wait their turn (default: no limit). */
  maxConcurrency?: number;
}

/** Output allowance of a call when the deployment sets none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/**
 * Largest answer accepted when the deployment sets none: 256 KiB, some sixty times what the
 * default output allowance can honestly produce. A larger answer is refused, never stored.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 256 * 1024;

/** One prompt to a chat model. */
export interface LlmRequest {
  system: string;
  prompt: string;
  /** What the call is for, as the cost ledger records it; not sent, and not part of a cache key. */
  purpose?: CallPurpose;
}

/** The task kind and rule a call works on: the ledger keeps them beside its cost. */
export interface CallPurpose {
  /** The task kind, `embedding` for a call to an embedding model (vector search), `ask` for a
   * question about the code (`beast ask`, the chat endpoint), or `knowledge` for a module summary. */
  task: TaskKind | 'embedding' | 'ask' | 'knowledge';
  ruleId?: string;
}

/** The answer and the token counts the provider reported (undefined when it reported none). */
export interface LlmResponse {
  text: string;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

/** Sends one request to one deployment; throws `DeploymentError` on failure. */
export interface LlmClient {
  readonly deployment: Deployment;
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmResponse>;
  /** Streams the answer, calling `onText` with each piece; resolves with the whole answer. */
  stream(
    request: LlmRequest,
    onText: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<LlmResponse>;
}
