import { createHash } from 'node:crypto';
import type { CodeSymbol } from '../../analysis/index.js';
import { describeError, ProviderError, type ModelsConfig } from '../../core/index.js';
import {
  BudgetExceededError,
  createEmbedder,
  resolveEmbeddingModel,
  type Embedder,
  type EmbedderOptions,
  type EmbeddingModel,
} from '../../models/index.js';
import {
  deploymentStats,
  embeddedHashes,
  getSymbols,
  readSymbolGraph,
  getEmbedding,
  nearestEmbeddings,
  putEmbeddings,
  type Store,
} from '../../store/index.js';
import {
  cooldownMs,
  localBudget,
  providerThrottle,
  restoredCooldowns,
  storeLedger,
} from '../models.js';
import type { VectorRanker } from './types.js';

/** A text to embed and the symbol it stands for. Symbols with the same text share one vector. */
export interface VectorItem {
  id: number;
  text: string;
}

/** What one preparation did: the symbols covered by vectors, and what it cost. */
export interface EmbeddingCoverage {
  /** The embedding model id, as configured. */
  model: string;
  /** Symbols to cover, and distinct texts among them. */
  items: number;
  texts: number;
  /** Texts embedded by this preparation. */
  embedded: number;
  /** Texts whose vectors were already stored (unchanged symbols). */
  reused: number;
  /** Texts left without a vector: the budget stopped embedding, or the endpoint failed. */
  missing: number;
  requests: number;
  /** Spent by this preparation; undefined when a price or usage was unknown. */
  costUsd: number | undefined;
  /** Why embedding stopped before every text had a vector. */
  stopped?: string;
}

/** The configured embedding model as a `VectorRanker`, with what it covered. */
export interface EmbeddingRanker extends VectorRanker {
  readonly model: string;
  /**
   * Embeds the texts that have no stored vector, in batches, until done, the budget refuses a
   * batch, or the endpoint fails. Runs once; `rank` waits for it.
   */
  prepare(): Promise<EmbeddingCoverage>;
  /** What the user should know: symbols left without vectors, comparison in JavaScript. */
  notes(): string[];
}

export interface VectorRankerOptions {
  store: Store;
  /** `models`: `embeddings`, the custom endpoints, prices, budgets, rate limits. */
  config: ModelsConfig;
  env: Readonly<Record<string, string | undefined>>;
  /** The symbols to cover, or a way to read them when vectors are first needed. */
  items: readonly VectorItem[] | (() => Promise<readonly VectorItem[]>);
  /** `--budget`: the most this ranker may spend, over `models.budget.perRunUsd`. */
  budgetUsd?: number;
  runId?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  /** The router's retry policy by default; tests give a sleep that does not wait. */
  retry?: EmbedderOptions['retry'];
}

/** How much of a symbol's declaration (after signature and doc) an embedded text keeps. */
const CODE_LINES = 30;

/**
 * The text embedded for a symbol: its kind, name and file, the doc comment, then the signature
 * and the declaration's first lines; cut at `maxChars` (the model's input limit, in characters).
 */
export function embeddingText(
  symbol: Pick<CodeSymbol, 'qualifiedName' | 'file' | 'doc' | 'signature'> & { kind: string },
  code: string,
  maxChars = 2000,
): string {
  const head = code.split('\n').slice(0, CODE_LINES).join('\n');
  const parts = [
    `${symbol.kind} ${symbol.qualifiedName} (${symbol.file})`,
    symbol.doc,
    symbol.signature,
    head.startsWith(symbol.signature) ? head.slice(symbol.signature.length) : head,
  ];
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join('\n')
    .slice(0, maxChars);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type Outcome = { coverage: EmbeddingCoverage; failure?: string; byHash: Map<string, number[]> };

/** Adds a cost that may be unknown: unknown stays unknown. */
function addCost(total: number | undefined, cost: number | undefined): number | undefined {
  return total === undefined || cost === undefined ? undefined : total + cost;
}

/**
 * A `VectorRanker` over the configured embedding model, or undefined when none is configured
 * (search then runs on BM25 and the graph, and says so). Throws an InputError for a model id
 * that names no embedding endpoint. Endpoint failures never throw: `rank` returns
 * `{ unavailable }` with the reason, and search falls back.
 */
export function createVectorRanker(options: VectorRankerOptions): EmbeddingRanker | undefined {
  const model = resolveEmbeddingModel(options.config, options.env);
  return model ? rankerOf(model, options) : undefined;
}

function rankerOf(model: EmbeddingModel, options: VectorRankerOptions): EmbeddingRanker {
  const { store } = options;
  const key = model.cacheKey;
  const notes: string[] = [];
  let embedder: Promise<Embedder> | undefined;
  let prepared: Promise<Outcome> | undefined;

  const embedderOf = (): Promise<Embedder> =>
    (embedder ??= (async () => {
      const now = options.now ?? (() => new Date());
      const budget = localBudget(options.config, true, options.budgetUsd);
      const throttle = providerThrottle(options.config);
      return createEmbedder(model, {
        env: options.env,
        cooldowns: restoredCooldowns(await deploymentStats(store), cooldownMs(options.config)),
        ledger: storeLedger(store, options.config, { now, runId: options.runId })(model.id),
        ...(budget ? { budget } : {}),
        ...(throttle ? { throttle } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      });
    })());

  async function embedMissing(): Promise<Outcome> {
    const items = typeof options.items === 'function' ? await options.items() : options.items;
    const byHash = new Map<string, number[]>();
    const textOf = new Map<string, string>();
    for (const item of items) {
      const text = item.text.slice(0, model.maxInputChars);
      const hash = sha256(text);
      textOf.set(hash, text);
      byHash.set(hash, [...(byHash.get(hash) ?? []), item.id]);
    }
    const have = await embeddedHashes(store, key, [...byHash.keys()]);
    const todo = [...textOf].filter(([hash]) => !have.has(hash));
    const coverage: EmbeddingCoverage = {
      model: model.id,
      items: items.length,
      texts: byHash.size,
      embedded: 0,
      reused: have.size,
      missing: todo.length,
      requests: 0,
      costUsd: 0,
    };
    let failure: string | undefined;
    for (let start = 0; start < todo.length; start += model.batchSize) {
      const batch = todo.slice(start, start + model.batchSize);
      try {
        const embedder = await embedderOf();
        coverage.requests++;
        const { vectors, costUsd } = await embedder.embed(batch.map(([, text]) => text));
        coverage.costUsd = addCost(coverage.costUsd, costUsd);
        await putEmbeddings(
          store,
          key,
          batch.map(([hash], i) => ({ hash, vector: vectors[i]! })),
        );
        coverage.embedded += batch.length;
        coverage.missing -= batch.length;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        coverage.stopped = describeError(error);
        if (!(error instanceof BudgetExceededError)) failure = coverage.stopped;
        break;
      }
    }
    if (coverage.stopped && coverage.missing > 0) {
      notes.push(
        `${model.id}: ${coverage.missing} of ${coverage.texts} symbol texts have no vector yet (${coverage.stopped})`,
      );
    }
    return { coverage, byHash, ...(failure !== undefined ? { failure } : {}) };
  }

  const prepare = (): Promise<Outcome> => (prepared ??= embedMissing());

  /** The query's vector: stored when the same query was asked before, else embedded and kept. */
  async function queryVector(query: string): Promise<Float32Array> {
    const text = query.slice(0, model.maxInputChars);
    const hash = sha256(text);
    const known = await getEmbedding(store, key, hash);
    if (known) return known;
    const { vectors } = await (await embedderOf()).embed([text]);
    const vector = vectors[0]!;
    await putEmbeddings(store, key, [{ hash, vector }]);
    return vector;
  }

  const unavailable = (reason: string) => ({ unavailable: `${model.id}: ${reason}` });

  return {
    model: model.id,
    prepare: async () => (await prepare()).coverage,
    notes: () => [...notes],
    async rank(query, limit) {
      if (model.missingKey) return unavailable(`no API key: set ${model.missingKey}`);
      const { coverage, failure, byHash } = await prepare();
      if (failure !== undefined) return { unavailable: failure };
      if (coverage.texts > 0 && coverage.embedded + coverage.reused === 0) {
        return unavailable(`no symbol has a vector (${coverage.stopped ?? 'nothing embedded'})`);
      }
      let vector: Float32Array;
      try {
        vector = await queryVector(query);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        return { unavailable: describeError(error) };
      }
      const nearest = await nearestEmbeddings(store, {
        model: key,
        vector,
        among: [...byHash.keys()],
        limit,
      });
      if (typeof nearest.engine === 'object' && !notes.some((n) => n.includes('JavaScript'))) {
        notes.push(`${nearest.engine.javascript}: vectors compared in JavaScript`);
      }
      return nearest.hits.flatMap((hit) => byHash.get(hit.hash) ?? []).slice(0, limit);
    },
  };
}

export interface RepositoryVectorsOptions extends Omit<VectorRankerOptions, 'items'> {
  repoId: number;
}

/**
 * The vector ranker over a repository's indexed symbols (read from the index when vectors are
 * first needed), or undefined when no embedding model is configured: what `beast search`, the
 * search endpoint and chat's retrieval give `searchCodebase` as `vectors`.
 */
export function repositoryVectors(options: RepositoryVectorsOptions): EmbeddingRanker | undefined {
  const maxChars = options.config.embeddings?.maxInputChars;
  return createVectorRanker({
    ...options,
    items: async () => {
      const { symbols } = await readSymbolGraph(options.store, options.repoId);
      const stored = await getSymbols(
        options.store,
        symbols.map((s) => s.id),
      );
      return stored.map((s) => ({ id: s.id, text: embeddingText(s, s.code, maxChars) }));
    },
  });
}
