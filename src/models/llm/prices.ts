import type { Price } from './types.js';

/**
 * List prices in US dollars per million tokens for a few vendor ids, as the vendors published
 * them when this table was written (this machine cannot reach their pages to check again; prices
 * change). `models.prices` in beast.config.json overrides any of them; a model in neither has no known price, and its cost is reported as unknown.
 * Ollama runs on the user's own machine: no money changes hands, so its price is zero.
 */
export const PRICE_TABLE: Readonly<Record<string, Price>> = {
  'openai:gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'openai:gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'openai:gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'openai:gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'openai:gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'anthropic:claude-3-5-haiku-latest': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'anthropic:claude-sonnet-4-0': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-opus-4-0': { inputPerMillion: 15, outputPerMillion: 75 },
};

/** The price of a deployment id: config first, then the table; Ollama is free. */
export function priceOf(
  id: string,
  overrides: Readonly<Record<string, Price>> | undefined,
): Price | undefined {
  const configured = overrides?.[id] ?? PRICE_TABLE[id];
  if (configured) return configured;
  return id.startsWith('ollama:') ? { inputPerMillion: 0, outputPerMillion: 0 } : undefined;
}
