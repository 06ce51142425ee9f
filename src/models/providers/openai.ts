import type { LanguageModel } from 'ai';
import type { Deployment } from '../llm/types.js';
import type { ProviderSettings } from './settings.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** OpenAI chat completions, and any OpenAI-compatible server (vLLM, llama.cpp, LM Studio). */
export async function createOpenAiLanguageModel(
  deployment: Deployment,
  settings: ProviderSettings,
): Promise<LanguageModel> {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const provider = createOpenAICompatible({
    name: deployment.id.split(':')[0] ?? 'openai',
    baseURL: deployment.baseUrl ?? OPENAI_BASE_URL,
    apiKey: settings.apiKey,
    headers: deployment.headers ? { ...deployment.headers } : undefined,
    includeUsage: true,
    fetch: settings.fetch,
  });
  return provider.chatModel(deployment.model);
}
