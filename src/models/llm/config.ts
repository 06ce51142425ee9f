import { z } from 'zod';
import type { Deployment, LlmProtocol } from './types.js';

const price = z
  .object({
    inputPerMillion: z.number().min(0),
    outputPerMillion: z.number().min(0),
  })
  .strict();

/** One `custom:<name>` model as written in config: an endpoint, never a key. */
export const customModelSchema = z
  .object({
    protocol: z.enum(['openai', 'anthropic', 'ollama']).optional(),
    baseUrl: z.url().describe('OpenAI- or Anthropic-compatible base URL, ending in /v1'),
    model: z.string().min(1).describe('The model name the endpoint expects'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .describe('Name of the environment variable that holds the API key'),
    headers: z.record(z.string(), z.string()).optional(),
    price: price.optional().describe('US dollars per million input and output tokens'),
    contextWindow: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxConcurrency: z.number().int().positive().optional(),
    fallbacks: z
      .array(z.string())
      .optional()
      .describe('Other custom model names to try, in order, when this one fails'),
  })
  .strict();

export const customModelsSchema = z.record(z.string().regex(/^[\w.-]+$/), customModelSchema);

export type CustomModelConfig = z.infer<typeof customModelSchema>;
export type CustomModelsConfig = z.infer<typeof customModelsSchema>;

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
