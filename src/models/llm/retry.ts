import { ProviderError } from '../../core/index.js';
import { DeploymentError } from './errors.js';

/** How often and how patiently one deployment is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 2). */
  maxRetries: number;
  /** Cap of the first backoff; it doubles with each retry (default 500 ms). */
  baseDelayMs: number;
  /** Longest wait before a retry; a longer Retry-After moves on to the next deployment. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

/** Waits `ms`, or rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The wait before retry number `attempt` (0-based), or undefined when the error is not worth
 * retrying here. Exponential backoff with full jitter; a Retry-After is a lower bound.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!(error instanceof ProviderError) || !error.isRetryable) return undefined;
  if (attempt >= policy.maxRetries) return undefined;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * cap);
  const retryAfter = error instanceof DeploymentError ? error.retryAfterMs : undefined;
  if (retryAfter === undefined) return jittered;
  return retryAfter > policy.maxDelayMs ? undefined : Math.max(retryAfter, jittered);
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  random?: () => number;
  sleep?: Sleep;
  signal?: AbortSignal;
  /** Called before each wait, with the error that caused it. */
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void;
}

/** Runs `fn` until it succeeds or fails in a way `retryDelay` will not retry; rethrows the last error. */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const wait = options.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = options.signal?.aborted
        ? undefined
        : retryDelay(error, attempt, policy, options.random);
      if (delay === undefined) throw error;
      options.onRetry?.(error, delay, attempt);
      await wait(delay, options.signal);
    }
  }
}
