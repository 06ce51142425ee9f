/**
 * Failed logins counted per client address: after `maxFailures` within `windowMs`, that address's
 * logins are refused, right token or not, until the window that began with its first failure ends.
 * A generated token (256 random bits) cannot be guessed anyway; this keeps a short
 * `BEAST_API_TOKEN` from being tried at network speed.
 */
export interface LoginLimiter {
  /** Milliseconds until this address may try again; 0 when it may now. */
  retryAfter(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

export interface LoginLimiterOptions {
  /** Default 10. */
  maxFailures?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  /** Addresses tracked at once; the oldest are forgotten first. Default 10,000. */
  maxAddresses?: number;
  now?: () => number;
}

export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, { count: number; since: number }>();

  const current = (address: string): { count: number; since: number } | undefined => {
    const entry = failures.get(address);
    if (entry && now() - entry.since >= windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    retryAfter(address) {
      const entry = current(address);
      return entry && entry.count >= maxFailures ? entry.since + windowMs - now() : 0;
    },
    failed(address) {
      const entry = current(address);
      if (entry) {
        entry.count++;
        return;
      }
      if (failures.size >= maxAddresses) {
        const oldest = failures.keys().next();
        if (oldest.done !== true) failures.delete(oldest.value);
      }
      failures.set(address, { count: 1, since: now() });
    },
    succeeded(address) {
      failures.delete(address);
    },
  };
}
