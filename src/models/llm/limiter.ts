import { sleep, type Sleep } from './retry.js';

/** Runs at most `max` tasks at once; the rest wait in order. A waiting task leaves on abort. */
export type Limiter = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export function createLimiter(max: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (running < max) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        running++;
        resolve();
      };
      const onAbort = (): void => {
        waiting.splice(waiting.indexOf(start), 1);
        reject(signal?.reason as Error);
      };
      waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
  return async (task, signal) => {
    if (signal?.aborted) throw signal.reason;
    await acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** Waits until a call may start; rejects if `signal` aborts while waiting. */
export type RateLimiter = (signal?: AbortSignal) => Promise<void>;

/**
 * Spaces call starts at least `60 s / requestsPerMinute` apart, in arrival order, so a provider's
 * per-minute limit is never hit by our own bursts. `now` and `sleep` are injectable for tests.
 */
export function createRateLimiter(
  requestsPerMinute: number,
  clock: { now?: () => number; sleep?: Sleep } = {},
): RateLimiter {
  const interval = 60_000 / requestsPerMinute;
  const now = clock.now ?? Date.now;
  const wait = clock.sleep ?? sleep;
  let next = Number.NEGATIVE_INFINITY;
  return async (signal) => {
    if (signal?.aborted) throw signal.reason;
    const start = Math.max(now(), next);
    next = start + interval;
    const ms = start - now();
    if (ms > 0) await wait(ms, signal);
  };
}
