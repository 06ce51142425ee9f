import { DeploymentError } from './errors.js';

export interface CooldownOptions {
  /** Consecutive failed requests (after retries) before a deployment cools down (default 1). */
  failuresToCool?: number;
  /** How long it stays out of rotation (default 30 s); a longer Retry-After wins. */
  cooldownMs?: number;
  now?: () => number;
}

/** Where a deployment stands: `ready`, or `cooling` until `until` (epoch milliseconds). */
export interface CooldownState {
  status: 'ready' | 'cooling';
  failures: number;
  until?: number;
}

/** A circuit breaker per deployment id: open after failures, half-open once the cooldown ends. */
export interface Cooldowns {
  isCooling(id: string): boolean;
  recordFailure(id: string, error: unknown): void;
  recordSuccess(id: string): void;
  state(id: string): CooldownState;
  /**
   * Carries a cooldown over from an earlier process (from the ledger's failure streak): a
   * deployment that failed `failures` times, the last at `lastFailure`, cools until then + cooldown.
   */
  restore(id: string, failures: number, lastFailure: number): void;
}

/** Whether a failure says something about the deployment rather than about this one request. */
export function coolsDown(error: unknown): boolean {
  if (!(error instanceof DeploymentError)) return false;
  return error.isRetryable || error.status === 401 || error.status === 403;
}

export function createCooldowns(options: CooldownOptions = {}): Cooldowns {
  const failuresToCool = options.failuresToCool ?? 1;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { failures: number; until: number }>();
  const isCooling = (id: string): boolean => (entries.get(id)?.until ?? 0) > now();
  return {
    isCooling,
    recordFailure(id, error) {
      if (!coolsDown(error)) return;
      const entry = entries.get(id) ?? { failures: 0, until: 0 };
      entry.failures += 1;
      if (entry.failures >= failuresToCool) {
        const retryAfter = error instanceof DeploymentError ? (error.retryAfterMs ?? 0) : 0;
        entry.until = now() + Math.max(cooldownMs, retryAfter);
      }
      entries.set(id, entry);
    },
    recordSuccess(id) {
      entries.delete(id);
    },
    restore(id, failures, lastFailure) {
      if (failures < failuresToCool) return;
      entries.set(id, { failures, until: lastFailure + cooldownMs });
    },
    state(id) {
      const entry = entries.get(id);
      if (!entry) return { status: 'ready', failures: 0 };
      return isCooling(id)
        ? { status: 'cooling', failures: entry.failures, until: entry.until }
        : { status: 'ready', failures: entry.failures };
    },
  };
}
