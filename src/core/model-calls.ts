/**
 * What one call to one model deployment did and cost: what the router reports of each call,
 * retry and fallback hop, and what the store's cost ledger keeps of it. Never holds a key.
 */
export interface ModelCallResult {
  /** `ok` or the kind of failure (see the router's `failureKind`). */
  outcome: string;
  /** Why it failed; never contains a key. */
  error?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Undefined when the price is unknown. */
  costUsd?: number;
  /**
   * Why the usage the provider reported was not believed (missing, negative, beyond the request's
   * limits): the call was charged its reservation instead.
   */
  usageAnomaly?: string;
  latencyMs: number;
}
