import type { CustomModelConfig, CustomModelsConfig } from '../../core/index.js';
import type { Deployment, LlmProtocol } from './types.js';

/** The deployment of one configured custom model. */
export function customDeployment(name: string, model: CustomModelConfig): Deployment {
  const deployment: Deployment = {
    id: `custom:${name}`,
    protocol: model.protocol ?? 'openai',
    model: model.model,
    baseUrl: model.baseUrl,
    apiKeyEnv: model.apiKeyEnv,
  };
  if (model.headers) deployment.headers = model.headers;
  if (model.price) deployment.price = model.price;
  if (model.timeoutMs) deployment.timeoutMs = model.timeoutMs;
  if (model.maxConcurrency) deployment.maxConcurrency = model.maxConcurrency;
  if (model.maxAnswerBytes) deployment.maxAnswerBytes = model.maxAnswerBytes;
  return deployment;
}

/**
 * The fallback chain of each custom model: itself, then its fallbacks. A fallback that names no
 * configured model is an error, returned rather than thrown so the caller can list them all.
 */
export function resolveCustomChains(models: CustomModelsConfig): {
  chains: Map<string, Deployment[]>;
  errors: string[];
} {
  const chains = new Map<string, Deployment[]>();
  const errors: string[] = [];
  for (const [name, model] of Object.entries(models)) {
    const chain = [customDeployment(name, model)];
    for (const fallback of model.fallbacks ?? []) {
      const target = models[fallback];
      if (target) chain.push(customDeployment(fallback, target));
      else errors.push(`custom:${name}: unknown fallback "${fallback}"`);
    }
    chains.set(`custom:${name}`, chain);
  }
  return { chains, errors };
}

/** Vendor ids that need no config: `openai:<model>`, `anthropic:<model>`, `ollama:<model>`. */
export const VENDOR_PROTOCOLS: readonly LlmProtocol[] = ['openai', 'anthropic', 'ollama'];

/** The deployment of a vendor id such as `openai:gpt-4o-mini`, or undefined for any other id. */
export function vendorDeployment(id: string): Deployment | undefined {
  const [provider, ...rest] = id.split(':');
  const model = rest.join(':');
  const protocol = VENDOR_PROTOCOLS.find((p) => p === provider);
  return protocol && model ? { id, protocol, model } : undefined;
}
