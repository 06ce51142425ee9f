import type { Usage } from '../types.js';
import type { Price } from './types.js';

/**
 * Tokens the provider reported times the price. Unknown tokens or an unknown price leave
 * `costUsd` undefined, so a model with no price is never counted as free.
 */
export function usageOf(
  tokens: { inputTokens: number | undefined; outputTokens: number | undefined },
  price: Price | undefined,
): Usage {
  const inputTokens = tokens.inputTokens ?? 0;
  const outputTokens = tokens.outputTokens ?? 0;
  const known = price && tokens.inputTokens !== undefined && tokens.outputTokens !== undefined;
  return {
    inputTokens,
    outputTokens,
    costUsd: known
      ? (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000
      : undefined,
  };
}
