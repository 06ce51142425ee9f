import { ProviderError, describeError, type ModelCallResult } from '../../core/index.js';
import { BudgetExceededError, costOf, maxCostUsd, usageBounds, type Budget } from './budget.js';
import { createCooldowns, type CooldownState, type Cooldowns } from './cooldown.js';
import { AnswerTooLargeError, DeploymentError, StreamInterruptedError } from './errors.js';
import { withRetries, type RetryOptions } from './retry.js';
import type { CallPurpose, Deployment, LlmClient, LlmRequest, LlmResponse } from './types.js';
import { checkUsage } from './usage.js';

/** What happened at one deployment while serving one request. */
export interface Attempt {
  deployment: string;
  outcome: 'ok' | 'failed' | 'skipped' | 'over-budget';
  /** Why it failed or was skipped; never contains a key. */
  reason?: string;
  retries: number;
}

/** The answer and which deployment gave it, with the path that led there. */
export interface RoutedResponse extends LlmResponse {
  deployment: string;
  attempts: Attempt[];
}

/** One call to one deployment (each retry is a call), as the cost ledger records it. */
export interface CallEvent extends ModelCallResult {
  deployment: Deployment;
}

export interface RouterOptions extends Omit<RetryOptions, 'signal' | 'onRetry'> {
  cooldowns?: Cooldowns;
  /** Checked before every call, retry and fallback hop; charged with each answer's cost. */
  budget?: Budget;
  /**
   * Wraps every call, retry and fallback hop: where per-provider rate limits and concurrency
   * limits make a call wait its turn.
   */
  throttle?: <T>(
    deployment: Deployment,
    call: () => Promise<T>,
    signal: AbortSignal | undefined,
  ) => Promise<T>;
  /** Told about every call that reached a deployment, for the ledger. */
  onCall?: (call: CallEvent) => void;
  /**
   * A spend record shared with other processes (the store's ledger): every call, retry and
   * fallback hop reserves its worst-case cost there first and settles it with what it did.
   */
  ledger?: SharedLedger;
}

/** A ledger that can refuse a call because shared (daily, per-provider) budgets are spent. */
export interface SharedLedger {
  reserve(
    deployment: Deployment,
    maxUsd: number | undefined,
    purpose?: CallPurpose,
  ): Promise<LedgerHold | string>;
}

export interface LedgerHold {
  settle(call: CallEvent): Promise<void>;
}

/** A short name for how a call failed, as the ledger and `beast models` show it. */
export function failureKind(error: unknown): string {
  if (error instanceof BudgetExceededError) return 'over-budget';
  if (error instanceof AnswerTooLargeError) return 'too-large';
  if (!(error instanceof DeploymentError)) return 'error';
  const status = error.status;
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  if (status === 409) return 'conflict';
  if (status === 408 || /timed out|timeout/i.test(error.message)) return 'timeout';
  if (status !== undefined && status >= 500) return 'server';
  if (status !== undefined && status >= 400) return 'client';
  // Refused before any request left: nothing was sent, so nothing can have been billed.
  if (/: missing key: /.test(error.message)) return 'missing-key';
  return error.isRetryable ? 'network' : 'malformed';
}

/**
 * The failure kinds that cool a deployment down (see `coolsDown`): the retryable ones and a
 * refused key. A 400 or an unusable body says something about one request, not the deployment.
 */
export const COOLING_FAILURES: ReadonlySet<string> = new Set([
  'auth',
  'rate-limit',
  'conflict',
  'timeout',
  'server',
  'network',
]);

/** Failures that came with a successful HTTP status, so the provider may have billed them. */
const BILLED_FAILURES: ReadonlySet<string> = new Set(['malformed', 'too-large']);

/** A fallback chain over deployments, each retried, each with its own circuit breaker. */
export interface LlmRouter {
  complete(request: LlmRequest, signal?: AbortSignal): Promise<RoutedResponse>;
  /**
   * Streams from the first deployment that answers. Failures before the first token fall back as
   * in `complete`; after it, a StreamInterruptedError is thrown and nothing else is tried.
   */
  stream(
    request: LlmRequest,
    onText: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<RoutedResponse>;
  /** The cooldown state of each deployment, in chain order. */
  states(): { deployment: string; state: CooldownState }[];
}

type Invoke = (client: LlmClient, signal: AbortSignal | undefined) => Promise<LlmResponse>;

async function tryClient(
  client: LlmClient,
  invoke: Invoke,
  options: RouterOptions,
  signal: AbortSignal | undefined,
): Promise<{ response?: LlmResponse; attempt: Attempt }> {
  const deployment = client.deployment.id;
  let retries = 0;
  try {
    const response = await withRetries(() => invoke(client, signal), {
      ...options,
      signal,
      onRetry: () => void retries++,
    });
    return { response, attempt: { deployment, outcome: 'ok', retries } };
  } catch (error) {
    if (signal?.aborted || !(error instanceof ProviderError)) throw error;
    // An interrupted stream cools the deployment down as the failure behind it would.
    options.cooldowns?.recordFailure(
      deployment,
      error instanceof StreamInterruptedError ? error.cause : error,
    );
    if (error instanceof StreamInterruptedError) throw error;
    const outcome = error instanceof BudgetExceededError ? 'over-budget' : 'failed';
    return { attempt: { deployment, outcome, reason: describeError(error), retries } };
  }
}

function exhausted(attempts: readonly Attempt[]): ProviderError {
  const detail = attempts.map((a) => a.reason ?? a.deployment).join('; ');
  if (attempts.some((a) => a.outcome === 'over-budget')) {
    return new BudgetExceededError(`budget spent: ${detail}`);
  }
  return new ProviderError(`every deployment failed or is cooling down: ${detail}`, true);
}

/** A call's result before its latency is known. */
export type CallOutcome = Omit<ModelCallResult, 'latencyMs'>;

/**
 * Sets the call's worst case aside in the run's budget and then in the shared ledger; throws when
 * either refuses, releasing what was already held.
 */
export async function holdSpend(
  options: RouterOptions,
  deployment: Deployment,
  maxUsd: number | undefined,
  purpose: CallPurpose | undefined,
) {
  const held = options.budget?.reserve(maxUsd, deployment.id);
  if (typeof held === 'string') throw new BudgetExceededError(held);
  const shared = options.ledger
    ? await options.ledger.reserve(deployment, maxUsd, purpose)
    : undefined;
  if (typeof shared === 'string') {
    held?.settle(0);
    throw new BudgetExceededError(shared);
  }
  return { held, shared };
}

/**
 * What a failed call cost. An error status is not billed. A successful status with an unusable or
 * oversized body may well have been, and its usage is unknown: it is charged its reservation.
 */
export function failedCall(error: unknown, maxUsd: number | undefined): CallOutcome {
  const outcome = failureKind(error);
  const billed = BILLED_FAILURES.has(outcome);
  const costUsd = billed ? maxUsd : 0;
  return {
    outcome,
    error: describeError(error),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(billed ? { usageAnomaly: 'no usable answer or usage; charged the reservation' } : {}),
  };
}

/** What an answered call cost, from its checked usage. */
export function answeredCall(
  usage: ReturnType<typeof checkUsage>,
  costUsd: number | undefined,
): CallOutcome {
  return {
    outcome: 'ok',
    ...(usage.inputTokens !== undefined ? { inputTokens: usage.inputTokens } : {}),
    ...(usage.outputTokens !== undefined ? { outputTokens: usage.outputTokens } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(usage.anomaly !== undefined ? { usageAnomaly: usage.anomaly } : {}),
  };
}

/**
 * Holds the worst-case cost of each call against the budget, then charges what it really cost;
 * waits for the rate limit; tells the ledger about the call.
 */
function metered(invoke: Invoke, request: LlmRequest, options: RouterOptions): Invoke {
  const { throttle, onCall } = options;
  return async (client, signal) => {
    const { deployment } = client;
    const maxUsd = maxCostUsd(deployment, request);
    const { held, shared } = await holdSpend(options, deployment, maxUsd, request.purpose);
    let started = performance.now();
    const timed = (): Promise<LlmResponse> => {
      started = performance.now();
      return invoke(client, signal);
    };
    const report = async (result: CallOutcome): Promise<void> => {
      held?.settle(result.costUsd);
      const call: CallEvent = { deployment, ...result, latencyMs: performance.now() - started };
      await shared?.settle(call);
      if (!signal?.aborted || call.outcome === 'ok') onCall?.(call);
    };
    let response: LlmResponse;
    try {
      response = await (throttle ? throttle(deployment, timed, signal) : timed());
    } catch (error) {
      await report(failedCall(error, maxUsd));
      throw error;
    }
    // The provider's usage is untrusted: a lie would let calls past the budget or burst it.
    const usage = checkUsage(response, usageBounds(deployment, request));
    await report(answeredCall(usage, costOf(deployment, usage)));
    return {
      text: response.text,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    };
  };
}

/**
 * Tries the deployments in order: a cooling one is skipped, a retryable failure is retried with
 * backoff, and any failure that remains moves on to the next. Throws a retryable ProviderError
 * when none answered.
 */
export function createLlmRouter(
  clients: readonly LlmClient[],
  options: RouterOptions = {},
): LlmRouter {
  const cooldowns = options.cooldowns ?? createCooldowns();
  const settings = { ...options, cooldowns };

  async function route(
    request: LlmRequest,
    call: Invoke,
    signal: AbortSignal | undefined,
  ): Promise<RoutedResponse> {
    const invoke = metered(call, request, options);
    const attempts: Attempt[] = [];
    for (const client of clients) {
      const id = client.deployment.id;
      if (cooldowns.isCooling(id)) {
        attempts.push({
          deployment: id,
          outcome: 'skipped',
          reason: `${id}: cooling down`,
          retries: 0,
        });
        continue;
      }
      const { response, attempt } = await tryClient(client, invoke, settings, signal);
      attempts.push(attempt);
      if (!response) continue;
      cooldowns.recordSuccess(id);
      return { ...response, deployment: id, attempts };
    }
    throw exhausted(attempts);
  }

  return {
    complete: (request, signal) =>
      route(request, (client, s) => client.complete(request, s), signal),
    stream: (request, onText, signal) =>
      route(
        request,
        async (client, s) => {
          let started = false;
          const forward = (text: string): void => {
            started = true;
            onText(text);
          };
          try {
            return await client.stream(request, forward, s);
          } catch (error) {
            throw started && error instanceof DeploymentError
              ? new StreamInterruptedError(error)
              : error;
          }
        },
        signal,
      ),
    states: () =>
      clients.map((c) => ({
        deployment: c.deployment.id,
        state: cooldowns.state(c.deployment.id),
      })),
  };
}
