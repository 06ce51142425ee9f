import { InputError, type ModelsConfig } from '../core/index.js';
import {
  combineBudgets,
  COOLING_FAILURES,
  createBudget,
  createCooldowns,
  createLimiter,
  createRateLimiter,
  describeModels,
  resolveEmbeddingModel,
  resolveModels,
  SelectionStats,
  TASK_KINDS,
  type AnswerCache,
  type Budget,
  type CallEvent,
  type CooldownState,
  type Cooldowns,
  type Model,
  type ModelEntry,
  type Limiter,
  type RateLimiter,
  type RouterOptions,
  type ScopedBudget,
  type SharedLedger,
} from '../models/index.js';
import {
  acceptanceStats,
  deploymentStats,
  getCachedResults,
  putCachedResults,
  reserveSpend,
  settleSpend,
  spendOnDay,
  utcDay,
  type AcceptanceStat,
  type DaySpend,
  type DeploymentStats,
  type Store,
} from '../store/index.js';

/** Environment variables, for the keys the models name. */
type Env = Readonly<Record<string, string | undefined>>;

/** How long a failing deployment stays out of rotation, unless config says otherwise. */
const COOLDOWN_MS = 30_000;

export function cooldownMs(config: ModelsConfig): number {
  return config.cooldownSeconds !== undefined ? config.cooldownSeconds * 1000 : COOLDOWN_MS;
}

/** Per-provider budgets and rate limits key on this: the vendor, or `custom:<name>`. */
export function providerOf(deployment: string): string {
  return deployment.startsWith('custom:') ? deployment : (deployment.split(':')[0] ?? deployment);
}

/**
 * The ids a run chooses from: `--model`, else `models.use`, else built-ins and every custom model.
 * For `test` tasks the built-in engine is `builtin:testgen` (the fix engines write no tests), then
 * the LLMs the config would use.
 */
export function modelIds(
  config: ModelsConfig,
  override?: readonly string[],
  kind?: 'test',
): string[] {
  if (override && override.length > 0) return [...override];
  if (kind === 'test') {
    const llms = modelIds(config).filter((id) => !id.startsWith('builtin:'));
    return ['builtin:testgen', ...llms];
  }
  if (config.use && config.use.length > 0) return [...config.use];
  // The embedding model's endpoint is declared in `custom` too, but it cannot propose a change.
  const custom = Object.keys(config.custom ?? {})
    .map((name) => `custom:${name}`)
    .filter((id) => id !== config.embeddings?.model);
  return ['builtin:codemods', 'builtin:ts-fixes', ...custom];
}

/**
 * Per provider: at most `maxConcurrency` calls in flight, and call starts spaced for
 * `requestsPerMinute`, across every model and deployment of that provider.
 */
export function providerThrottle(config: ModelsConfig): RouterOptions['throttle'] {
  const limits = new Map<string, { rate?: RateLimiter; slots?: Limiter }>();
  for (const [provider, limit] of Object.entries(config.rateLimits ?? {})) {
    limits.set(provider, {
      ...(limit.requestsPerMinute ? { rate: createRateLimiter(limit.requestsPerMinute) } : {}),
      ...(limit.maxConcurrency ? { slots: createLimiter(limit.maxConcurrency) } : {}),
    });
  }
  if (limits.size === 0) return undefined;
  return async (deployment, call, signal) => {
    const limit = limits.get(providerOf(deployment.id));
    if (!limit) return call();
    const start = async () => {
      await limit.rate?.(signal);
      return call();
    };
    return limit.slots ? limit.slots(start, signal) : start();
  };
}

/** Answers kept in the store's cache, so a rerun on the same code costs nothing. */
function storeAnswerCache(store: Store): AnswerCache {
  const prefix = 'llm-answer:';
  return {
    async get(key) {
      const hits = await getCachedResults(store, [prefix + key]);
      return hits.get(prefix + key) as Awaited<ReturnType<AnswerCache['get']>>;
    },
    set: (key, answer) => putCachedResults(store, [{ key: prefix + key, value: answer }]),
  };
}

/**
 * The budgets kept in this process: the run's (`perRunUsd` or `--budget`) and, only when there is
 * no store to share them through, the daily ones, which then cover this run alone.
 */
export function localBudget(config: ModelsConfig, shared: boolean, runUsd: number | undefined) {
  const limits = config.budget ?? {};
  const scoped: ScopedBudget[] = [];
  const perRun = runUsd ?? limits.perRunUsd;
  if (perRun !== undefined) scoped.push({ budget: createBudget(perRun), covers: () => true });
  if (!shared) {
    if (limits.perDayUsd !== undefined) {
      scoped.push({ budget: createBudget(limits.perDayUsd), covers: () => true });
    }
    for (const [provider, limit] of Object.entries(limits.perProviderPerDayUsd ?? {})) {
      scoped.push({ budget: createBudget(limit), covers: (d) => providerOf(d) === provider });
    }
  }
  return scoped.length > 0 ? combineBudgets(scoped) : undefined;
}

/**
 * The store's ledger as the router's shared ledger: each call reserves its worst case under the
 * daily and per-provider limits in one write transaction, so runs in other processes see it at
 * once, and settles it with what it cost.
 */
export function storeLedger(
  store: Store,
  config: ModelsConfig,
  base: { now: () => Date; runId: string | undefined },
): (model: string) => SharedLedger {
  const { perDayUsd, perProviderPerDayUsd = {} } = config.budget ?? {};
  return (model) => ({
    async reserve(deployment, maxUsd, purpose) {
      const provider = providerOf(deployment.id);
      const providerLimit = perProviderPerDayUsd[provider];
      const id = await reserveSpend(
        store,
        {
          at: base.now(),
          model,
          deployment: deployment.id,
          provider,
          ...(purpose ? { task: purpose.task } : {}),
          ...(purpose?.ruleId !== undefined ? { ruleId: purpose.ruleId } : {}),
          ...(base.runId !== undefined ? { runId: base.runId } : {}),
          maxUsd,
        },
        {
          ...(perDayUsd !== undefined ? { perDayUsd } : {}),
          ...(providerLimit !== undefined ? { perProviderPerDayUsd: providerLimit } : {}),
        },
      );
      if (typeof id === 'string') return id;
      return {
        // The ledger keeps the call's result; settleSpend reads exactly those fields.
        settle: (call: CallEvent) => settleSpend(store, id, call),
      };
    },
  });
}

/** Cooldowns carried over from the ledger: a deployment that just failed stays out for a while. */
export function restoredCooldowns(stats: readonly DeploymentStats[], ms: number): Cooldowns {
  const cooldowns = createCooldowns({ cooldownMs: ms });
  for (const s of stats) {
    // Only failures that say something about the deployment cool it down, as in the router.
    const cooling = s.recentFailures.filter((f) => COOLING_FAILURES.has(f.outcome));
    const last = cooling[0];
    if (last) cooldowns.restore(s.deployment, cooling.length, Date.parse(last.at));
  }
  return cooldowns;
}

/** What the selector knows before the run: acceptance, cost and latency per model and rule. */
async function selectionStats(store: Store | undefined): Promise<SelectionStats> {
  return selectionStatsOf(store ? await acceptanceStats(store) : []);
}

function selectionStatsOf(acceptance: readonly AcceptanceStat[]): SelectionStats {
  const stats = new SelectionStats();
  const totals = new Map<string, { n: number; cost: number; costN: number; ms: number }>();
  for (const row of acceptance) {
    const kind = TASK_KINDS.find((k) => k === row.task);
    // A proposal of a kind this version does not know teaches nothing about the known ones.
    if (kind) stats.add(row.model, { kind, ruleId: row.ruleId }, row.proposed, row.accepted);
    const t = totals.get(row.model) ?? { n: 0, cost: 0, costN: 0, ms: 0 };
    t.n += row.proposed;
    t.ms += row.meanDurationMs * row.proposed;
    if (row.meanCostUsd !== undefined) {
      t.cost += row.meanCostUsd * row.proposed;
      t.costN += row.proposed;
    }
    totals.set(row.model, t);
  }
  for (const [model, t] of totals) {
    const record = stats.record(model);
    record.meanLatencyMs = t.n > 0 ? t.ms / t.n : undefined;
    record.meanCostUsd = t.costN > 0 ? t.cost / t.costN : undefined;
  }
  return stats;
}

export interface ModelSetupOptions {
  config: ModelsConfig;
  env: Env;
  store?: Store;
  /** `--model`: exactly these, in this order; selection does not reorder them. */
  override?: readonly string[];
  /** `--budget`: the per-run limit in US dollars, over config. */
  budgetUsd?: number;
  /** `test`: the default models are those that write tests (see `modelIds`). */
  kind?: 'test';
  /** Recorded with each call in the ledger. */
  runId?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

/** The models of one run, with what they share: budget, cooldowns, ledger, selection stats. */
export interface ModelSetup {
  models: Model[];
  /** Undefined with `--model`: the order given is the order used. */
  selection: SelectionStats | undefined;
  budget: Budget | undefined;
  cooldowns: Cooldowns;
  /** Why models configured by default were left out (a missing key). */
  warnings: string[];
  /** Disposes of the models (every call is already in the ledger: reserved, then settled). */
  close(): Promise<void>;
}

/**
 * Builds the models of a run from config: the ids (`--model`, `models.use`, or built-ins plus every
 * custom model), each LLM's fallback chain with its keys and prices, and the things they share:
 * budgets (per run, and per day and provider less what the ledger says was spent today), rate
 * limits per provider, cooldowns carried over from recent failures, a store-backed answer cache,
 * and the ledger every call is written to.
 */
export async function setupModels(options: ModelSetupOptions): Promise<ModelSetup> {
  const { config, env, store } = options;
  const now = options.now ?? (() => new Date());
  const ids = modelIds(config, options.override, options.kind);
  const entries = describeModels(ids, { custom: config.custom, env, prices: config.prices });
  const warnings: string[] = [];
  const usable = entries.filter((entry) => {
    if (entry.builtin || entry.deployments.length > 0) return true;
    if (options.override) {
      throw new InputError(`${entry.id} has no API key: set ${entry.missingKeys.join(', ')}`);
    }
    warnings.push(`${entry.id} left out: no API key (${entry.missingKeys.join(', ')})`);
    return false;
  });
  for (const entry of usable) {
    if (entry.missingKeys.length > 0) {
      warnings.push(
        `${entry.id}: fallbacks without a key left out: ${entry.missingKeys.join(', ')}`,
      );
    }
  }
  const budget = localBudget(config, store !== undefined, options.budgetUsd);
  const cooldowns = restoredCooldowns(
    store ? await deploymentStats(store) : [],
    cooldownMs(config),
  );
  const throttle = providerThrottle(config);
  const models = resolveModels(
    usable.map((e) => e.id),
    {
      custom: config.custom,
      env,
      prices: config.prices,
      router: {
        cooldowns,
        ...(budget ? { budget } : {}),
        ...(throttle ? { throttle } : {}),
      },
      ...(store ? { ledger: storeLedger(store, config, { now, runId: options.runId }) } : {}),
      ...(store ? { cache: storeAnswerCache(store) } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  );
  return {
    models,
    selection: options.override ? undefined : await selectionStats(store),
    budget,
    cooldowns,
    warnings,
    async close() {
      for (const model of models) await model.dispose?.();
    },
  };
}

/** A model's state as `beast models` and the API show it. */
export type ModelState = 'ready' | 'missing key' | 'cooling down' | 'over budget';

export interface ModelStatus {
  id: string;
  builtin: boolean;
  /** Set for the embedding model of vector search (`models.embeddings`). */
  purpose?: 'embeddings';
  state: ModelState;
  /** What the state means here: the variable to set, when the cooldown ends, which budget. */
  detail?: string;
  deployments: {
    id: string;
    price?: { inputPerMillion: number; outputPerMillion: number };
    cooldown: CooldownState;
    calls: number;
    failures: number;
    costUsd: number;
    /** Successful calls whose cost is unknown (no price or no reported usage). */
    unpriced: number;
    /** Calls whose reported usage was missing or impossible, charged their reservation. */
    usageAnomalies: number;
    meanLatencyMs: number | undefined;
  }[];
  proposals: number;
  accepted: number;
  /** Accepted / proposed, or undefined with no proposals yet. */
  acceptance: number | undefined;
  meanCostUsd: number | undefined;
  meanLatencyMs: number | undefined;
}

function stateOf(
  entry: ModelEntry,
  cooldowns: Cooldowns,
  overBudget: string | undefined,
): { state: ModelState; detail?: string } {
  if (entry.builtin) return { state: 'ready' };
  if (entry.deployments.length === 0) {
    return { state: 'missing key', detail: `set ${entry.missingKeys.join(', ')}` };
  }
  if (overBudget) return { state: 'over budget', detail: overBudget };
  const states = entry.deployments.map((d) => cooldowns.state(d.id));
  if (states.every((s) => s.status === 'cooling')) {
    const until = Math.min(...states.map((s) => s.until ?? 0));
    return { state: 'cooling down', detail: `until ${new Date(until).toISOString()}` };
  }
  return { state: 'ready' };
}

/** Whether today's spend already reached a daily limit that covers every deployment of `entry`. */
function budgetState(
  entry: ModelEntry,
  config: ModelsConfig,
  spent: { total: number; byProvider: Map<string, number> },
): string | undefined {
  const { perDayUsd, perProviderPerDayUsd = {} } = config.budget ?? {};
  if (perDayUsd !== undefined && spent.total >= perDayUsd) {
    return `daily budget of $${perDayUsd} spent ($${spent.total.toFixed(4)} today)`;
  }
  const blocked = entry.deployments.every((d) => {
    const limit = perProviderPerDayUsd[providerOf(d.id)];
    return limit !== undefined && (spent.byProvider.get(providerOf(d.id)) ?? 0) >= limit;
  });
  if (blocked && entry.deployments.length > 0) {
    const providers = [...new Set(entry.deployments.map((d) => providerOf(d.id)))];
    return `daily budget of ${providers.join(', ')} spent`;
  }
  return undefined;
}

/** What the store measured about every model, whatever the configuration: the input of statuses. */
export interface ModelUsage {
  /** Calls, failures, cost and latency per deployment, with recent failures for cooldowns. */
  calls: DeploymentStats[];
  /** Spend on the UTC day of `now`; undefined without a store. */
  today: DaySpend | undefined;
  /** Proposals and acceptances by model and rule, over every repository. */
  acceptance: AcceptanceStat[];
}

/** Reads the store's model statistics once, for `resolveModelStatuses` over any number of configs. */
export async function loadModelUsage(
  store: Store | undefined,
  now: Date = new Date(),
): Promise<ModelUsage> {
  if (!store) return { calls: [], today: undefined, acceptance: [] };
  const calls = await deploymentStats(store);
  const today = await spendOnDay(store, utcDay(now));
  return { calls, today, acceptance: await acceptanceStats(store) };
}

/**
 * Every model this configuration knows (built-ins, custom models, and the ids `models.use`
 * names), with its state and measured statistics from the store.
 */
export async function modelStatuses(
  config: ModelsConfig,
  env: Env,
  store: Store | undefined,
  now: Date = new Date(),
): Promise<ModelStatus[]> {
  return resolveModelStatuses(config, env, await loadModelUsage(store, now));
}

/** `modelStatuses` from usage already read: the states this configuration gives the models. */
export function resolveModelStatuses(
  config: ModelsConfig,
  env: Env,
  usage: ModelUsage,
): ModelStatus[] {
  const embedding = resolveEmbeddingModel(config, env);
  const ids = [
    ...new Set([...modelIds(config), ...(config.use ?? []), ...(embedding ? [embedding.id] : [])]),
  ];
  const price = embedding?.deployment.price;
  const prices = price && embedding ? { ...config.prices, [embedding.id]: price } : config.prices;
  const entries = describeModels(ids, { custom: config.custom, env, prices });
  const byDeployment = new Map(usage.calls.map((c) => [c.deployment, c]));
  const cooldowns = restoredCooldowns(usage.calls, cooldownMs(config));
  const spent = {
    total: usage.today?.totalUsd ?? 0,
    byProvider: usage.today?.byProvider ?? new Map<string, number>(),
  };
  const stats = selectionStatsOf(usage.acceptance);
  return entries.map((entry) => {
    let proposals = 0;
    let accepted = 0;
    for (const o of stats.record(entry.id).byRule.values()) {
      proposals += o.proposed;
      accepted += o.accepted;
    }
    const record = stats.record(entry.id);
    return {
      id: entry.id,
      builtin: entry.builtin,
      ...(entry.id === embedding?.id ? { purpose: 'embeddings' as const } : {}),
      ...stateOf(entry, cooldowns, budgetState(entry, config, spent)),
      deployments: entry.deployments.map((d) => {
        const c = byDeployment.get(d.id);
        return {
          id: d.id,
          ...(d.price ? { price: d.price } : {}),
          cooldown: cooldowns.state(d.id),
          calls: c?.calls ?? 0,
          failures: c?.failures ?? 0,
          costUsd: c?.costUsd ?? 0,
          unpriced: c?.unpriced ?? 0,
          usageAnomalies: c?.usageAnomalies ?? 0,
          meanLatencyMs: c?.meanLatencyMs,
        };
      }),
      proposals,
      accepted,
      acceptance: proposals > 0 ? accepted / proposals : undefined,
      meanCostUsd: record.meanCostUsd,
      meanLatencyMs: record.meanLatencyMs,
    };
  });
}
