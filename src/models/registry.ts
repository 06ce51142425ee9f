import { InputError, type CustomModelsConfig } from '../core/index.js';
import { createCodemodsModel } from './builtin/codemods.js';
import { createTsFixesModel } from './builtin/ts-fixes.js';
import { resolveCustomChains, VENDOR_PROTOCOLS, vendorDeployment } from './llm/config.js';
import { createMemoryCache } from './llm/cache.js';
import { createCooldowns } from './llm/cooldown.js';
import { createLlmModel } from './llm/llm-model.js';
import type { RouterOptions } from './llm/router.js';
import type { Model } from './types.js';

/** The built-in engines, in order of preference: our codemods, then TypeScript's own fixes. */
export function createBuiltinModels(): Model[] {
  return [createCodemodsModel(), createTsFixesModel()];
}

/** What LLM-backed models need: the configured custom endpoints and where keys are read from. */
export interface ModelRegistryOptions {
  /** `custom:<name>` models by name, as in config. */
  custom?: CustomModelsConfig;
  /** Environment variables, for the API keys the models name. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Shared by every LLM model, so one cooldown state covers each deployment. */
  router?: RouterOptions;
  fetch?: typeof globalThis.fetch;
}

function unknownModel(id: string, available: readonly string[], llm: boolean): InputError {
  const vendors = llm ? VENDOR_PROTOCOLS.map((p) => `${p}:<model>`) : [];
  return new InputError(
    `unknown model "${id}"; available: ${[...available, ...vendors].join(', ')}`,
  );
}

/**
 * The models with the given `provider:model` ids, in the order given; all built-in models when
 * none are given. LLM models exist only when `options.env` is given (the caller has keys to
 * offer): then `custom:<name>` ids come from `options.custom`, and `openai:`, `anthropic:` and
 * `ollama:` ids need no config. An unknown id is an error that lists the available ones.
 */
export function resolveModels(
  ids: readonly string[] | undefined,
  options: ModelRegistryOptions = {},
): Model[] {
  const builtins = createBuiltinModels();
  if (!ids || ids.length === 0) return builtins;
  const { chains, errors } = resolveCustomChains(options.custom ?? {});
  if (errors.length > 0) throw new InputError(errors.join('; '));
  const router = { ...options.router, cooldowns: options.router?.cooldowns ?? createCooldowns() };
  const cache = createMemoryCache();
  const env = options.env;
  const llm = (id: string): Model | undefined => {
    if (env === undefined) return undefined;
    const deployments = chains.get(id) ?? [vendorDeployment(id)].filter((d) => d !== undefined);
    if (deployments.length === 0) return undefined;
    return createLlmModel({
      id,
      deployments,
      env,
      router,
      cache,
      fetch: options.fetch,
    });
  };
  return ids.map((id) => {
    const model = builtins.find((m) => m.id === id) ?? llm(id);
    if (model) return model;
    const custom = env === undefined ? [] : [...chains.keys()];
    throw unknownModel(id, [...builtins.map((m) => m.id), ...custom], env !== undefined);
  });
}
