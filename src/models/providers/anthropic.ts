import type { LanguageModel } from 'ai';
import type { Deployment } from '../llm/types.js';
import type { ProviderSettings } from './settings.js';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

/** Anthropic messages API, and Anthropic-compatible endpoints. */
export async function createAnthropicLanguageModel(
  deployment: Deployment,
  settings: ProviderSettings,
): Promise<LanguageModel> {
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  const provider = createAnthropic({
    baseURL: deployment.baseUrl ?? ANTHROPIC_BASE_URL,
    // The SDK reads ANTHROPIC_API_KEY itself when none is given; an empty key keeps it from doing so.
    apiKey: settings.apiKey ?? '',
    headers: deployment.headers ? { ...deployment.headers } : undefined,
    fetch: settings.fetch,
  });
  return provider.messages(deployment.model);
}
