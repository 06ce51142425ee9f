import { InputError, readSecret, rememberSecrets, type CustomModelsConfig } from '../core/index.js';
import { CODEMODS_MODEL_ID, createCodemodsModel } from './builtin/codemods.js';
import { createTsFixesModel, TS_FIXES_MODEL_ID } from './builtin/ts-fixes.js';
import { createTestGenModel } from './builtin/testgen/index.js';
import { resolveCustomChains, VENDOR_PROTOCOLS, vendorDeployment } from './llm/config.js';
import { createMemoryCache, type AnswerCache } from './llm/cache.js';
import { priceOf } from './llm/prices.js';
import type { Deployment, Price } from './llm/types.js';
import { apiKeyOf, DEFAULT_API_KEY_ENV } from './providers/client.js';
import { createCooldowns } from './llm/cooldown.js';
import { createLlmModel } from './llm/llm-model.js';
import type { RouterOptions, SharedLedger } from './llm/router.js';
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
  /** The shared ledger each model's calls reserve and settle in, by model id. */
  ledger?: (model: string) => SharedLedger;
  /** Prices by deployment id over the built-in table (`models.prices`). */
  prices?: Readonly<Record<string, Price>>;
  /** Shared answer cache; by default one in memory for this call. */
  cache?: AnswerCache;
  fetch?: typeof globalThis.fetch;
}

/** A model id as configured: its fallback chain and the keys it lacks. */
export interface ModelEntry {
  id: string;
  builtin: boolean;
  /** LLM models: the deployments that have their keys, in fallback order. */
  deployments: Deployment[];
  /** Deployments left out for lack of a key, with the variable to set: `custom:a (LOCAL_KEY)`. */
  missingKeys: string[];
}

/**
 * Resolves ids to entries without creating clients: what `beast models` lists and what improve
 * filters on. Deployments whose key variable is unset are left out of their chain; an id whose
 * whole chain lacks keys has no deployments. Throws for an unknown id, listing the known ones.
 */
export function describeModels(
  ids: readonly string[],
  options: Pick<ModelRegistryOptions, 'custom' | 'env' | 'prices'>,
): ModelEntry[] {
  const { chains, errors } = resolveCustomChains(options.custom ?? {});
  if (errors.length > 0) throw new InputError(errors.join('; '));
  const builtins = BUILTIN_IDS;
  const env = options.env ?? {};
  rememberSecrets(configuredKeys(options.custom ?? {}, env));
  return ids.map((id) => {
    if (builtins.includes(id)) return { id, builtin: true, deployments: [], missingKeys: [] };
    const chain = chains.get(id) ?? [vendorDeployment(id)].filter((d) => d !== undefined);
    if (chain.length === 0) throw unknownModel(id, [...builtins, ...chains.keys()], true);
    const deployments: Deployment[] = [];
    const missingKeys: string[] = [];
    for (const deployment of chain) {
      const key = apiKeyOf(deployment, env);
      if (key.name !== undefined && key.value === undefined) {
        missingKeys.push(`${deployment.id} (${key.name})`);
        continue;
      }
      const price = deployment.price ?? priceOf(deployment.id, options.prices);
      deployments.push(price ? { ...deployment, price } : deployment);
    }
    return { id, builtin: false, deployments, missingKeys };
  });
}

/**
 * The values of every key the configuration could use, whichever models run: each vendor's
 * default variable and each custom model's `apiKeyEnv`. The store scrubs them from what it keeps.
 */
function configuredKeys(
  custom: CustomModelsConfig,
  env: Readonly<Record<string, string | undefined>>,
): (string | undefined)[] {
  const names = [
    ...Object.values(DEFAULT_API_KEY_ENV),
    ...Object.values(custom).map((m) => m.apiKeyEnv),
  ];
  // Read as the clients read them: `holdSecrets` may have moved them out of `env` into memory.
  return names.map((name) => (name === undefined ? undefined : readSecret(env, name)));
}

/** `test` tasks' offline engine: named with `--model` or chosen for `beast tests`, never for fixes. */
const TESTGEN_MODEL_ID = 'builtin:testgen';

const BUILTIN_IDS = [CODEMODS_MODEL_ID, TS_FIXES_MODEL_ID, TESTGEN_MODEL_ID];

/** A built-in model by id: the fix engines, and the test generator. */
function builtinModel(id: string, fixEngines: readonly Model[]): Model | undefined {
  if (id === TESTGEN_MODEL_ID) return createTestGenModel();
  return fixEngines.find((m) => m.id === id);
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
  const env = options.env;
  if (env === undefined) {
    return ids.map((id) => {
      const model = builtinModel(id, builtins);
      if (!model) throw unknownModel(id, BUILTIN_IDS, false);
      return model;
    });
  }
  const router = { ...options.router, cooldowns: options.router?.cooldowns ?? createCooldowns() };
  const cache = options.cache ?? createMemoryCache();
  return describeModels(ids, options).map((entry) => {
    const builtin = builtinModel(entry.id, builtins);
    if (builtin) return builtin;
    if (entry.deployments.length === 0) {
      throw new InputError(`${entry.id} has no API key: set ${entry.missingKeys.join(', ')}`);
    }
    const ledger = options.ledger?.(entry.id);
    return createLlmModel({
      id: entry.id,
      deployments: entry.deployments,
      env,
      router: ledger ? { ...router, ledger } : router,
      cache,
      fetch: options.fetch,
    });
  });
}
