import type { LlmResponse } from './types.js';

/** The most tokens one request can use: what the budget reserves and reported usage must fit. */
export interface UsageBounds {
  inputTokens: number;
  outputTokens: number;
}

/** Token counts as charged, with why the reported ones were not believed. */
export interface CheckedUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** Set when the provider reported no usage or an impossible one; the bounds were charged. */
  anomaly?: string;
}

function fits(value: number | undefined, max: number): boolean {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0 && value <= max;
}

function shown(value: number | undefined): string {
  return value === undefined ? 'none' : String(value);
}

/**
 * Checks the usage a provider reported against the request's own limits: whole, non-negative
 * token counts, input no more than the prompt's bound, output no more than the output allowance.
 * A provider is untrusted input; a missing or impossible usage is replaced by the bounds, so the
 * call costs what was reserved for it, and the anomaly is returned to be recorded.
 */
export function checkUsage(
  reported: Pick<LlmResponse, 'inputTokens' | 'outputTokens'>,
  bounds: UsageBounds,
): CheckedUsage {
  const { inputTokens, outputTokens } = reported;
  if (fits(inputTokens, bounds.inputTokens) && fits(outputTokens, bounds.outputTokens)) {
    return { inputTokens, outputTokens };
  }
  const anomaly =
    inputTokens === undefined && outputTokens === undefined
      ? 'no token usage reported; charged the reservation'
      : `impossible token usage reported (input ${shown(inputTokens)} of at most ${bounds.inputTokens}, output ${shown(outputTokens)} of at most ${bounds.outputTokens}); charged the reservation`;
  return { inputTokens: bounds.inputTokens, outputTokens: bounds.outputTokens, anomaly };
}
