import type { LanguageModel } from 'ai';
import type { Deployment } from '../llm/types.js';
import type { ProviderSettings } from './settings.js';

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

/**
 * Ollama through its OpenAI-compatible `/v1` endpoint: the community Ollama providers for the AI
 * SDK trail its majors, while this endpoint is part of Ollama itself.
 */
export async function createOllamaLanguageModel(
  deployment: Deployment,
  settings: ProviderSettings,
): Promise<LanguageModel> {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const provider = createOpenAICompatible({
    name: 'ollama',
    baseURL: deployment.baseUrl ?? OLLAMA_BASE_URL,
    apiKey: settings.apiKey,
    headers: deployment.headers ? { ...deployment.headers } : undefined,
    includeUsage: true,
    fetch: settings.fetch,
  });
  return provider.chatModel(deployment.model);
}
