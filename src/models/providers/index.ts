export {
  apiKeyOf,
  createLlmClient,
  DEFAULT_API_KEY_ENV,
  DEFAULT_TIMEOUT_MS,
  PROVIDERS,
  toDeploymentError,
  type LlmClientOptions,
} from './client.js';
export { ANTHROPIC_BASE_URL } from './anthropic.js';
export { OLLAMA_BASE_URL } from './ollama.js';
export { OPENAI_BASE_URL } from './openai.js';
export type { ProviderSettings } from './settings.js';
