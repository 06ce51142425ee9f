import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startEmbeddingServer,
  type EmbeddingProtocol,
  type EmbeddingServer,
} from '../../../test/helpers/embedding-server.js';
import { makeRepo } from '../../../test/helpers/repo.js';
import type { CodeSymbol } from '../../analysis/index.js';
import type { ModelsConfig } from '../../core/index.js';
import { openStore, repositoryIdOf, type Store } from '../../store/index.js';
import { loadModelUsage, modelIds, resolveModelStatuses } from '../models.js';
import {
  createVectorRanker,
  embeddingText,
  repositoryVectors,
  type VectorItem,
} from './embeddings.js';
import { updateIndex } from './index-repo.js';
import { searchCodebase } from './search.js';

const KEY = 'sk-embed-secret-0123456789';
const env = { EMBED_KEY: KEY };
const retry = { sleep: () => Promise.resolve() };

let store: Store;
let servers: EmbeddingServer[] = [];
beforeEach(async () => {
  store = await openStore(join(await mkdtemp(join(tmpdir(), 'beast-ranker-')), 'beast.db'));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await store.close();
});

async function serve(protocol: EmbeddingProtocol = 'openai'): Promise<EmbeddingServer> {
  const server = await startEmbeddingServer(protocol);
  servers.push(server);
  return server;
}

function config(server: EmbeddingServer, extra: Partial<ModelsConfig> = {}): ModelsConfig {
  return {
    custom: {
      emb: {
        protocol: server.protocol,
        baseUrl: server.baseUrl,
        model: 'embed-test',
        apiKeyEnv: 'EMBED_KEY',
        // Generous: a loaded machine must not turn an answer into a timeout.
        timeoutMs: 10_000,
      },
    },
    embeddings: { model: 'custom:emb', batchSize: 2 },
    ...extra,
  };
}

const ITEMS: VectorItem[] = [
  { id: 1, text: 'function parseConfig: read and validate the config file' },
  { id: 2, text: 'function openDatabase: open a sqlite database connection' },
  { id: 3, text: 'function renderPage: render the dashboard page in the browser' },
  { id: 4, text: 'function sendRequest: send an HTTP request with retries' },
  { id: 5, text: 'function validateSchema: validate the config schema of a rule' },
];

function ranker(
  server: EmbeddingServer,
  over: Partial<Parameters<typeof createVectorRanker>[0]> = {},
) {
  return createVectorRanker({ store, config: config(server), env, items: ITEMS, retry, ...over })!;
}

describe.each(['openai', 'ollama'] as const)('vector ranking over %s', (protocol) => {
  it('ranks the symbols nearest the query first', async () => {
    const server = await serve(protocol);
    const ids = await ranker(server).rank('validate the config', 5);
    expect(Array.isArray(ids)).toBe(true);
    expect(new Set((ids as number[]).slice(0, 2))).toEqual(new Set([1, 5]));
    expect(ids).toHaveLength(5);
    const database = await ranker(server).rank('sqlite database', 1);
    expect(database).toEqual([2]);
  });
});

describe('stored vectors', () => {
  it('embeds in batches once; a second run asks only for the query', async () => {
    const server = await serve();
    const first = ranker(server);
    expect(await first.prepare()).toMatchObject({
      model: 'custom:emb',
      texts: 5,
      embedded: 5,
      reused: 0,
      missing: 0,
      requests: 3,
    });
    expect(server.requests.map((r) => r.texts.length)).toEqual([2, 2, 1]);
    server.requests.length = 0;
    const second = ranker(server);
    expect(await second.prepare()).toMatchObject({ embedded: 0, reused: 5, requests: 0 });
    await second.rank('open database', 3);
    await second.rank('open database', 3);
    // One request, for the query; the repeated query's vector is stored too.
    expect(server.embeddedTexts()).toEqual(['open database']);
  });

  it('embeds only the changed symbol after a change, and everything for another model', async () => {
    const server = await serve();
    await ranker(server).prepare();
    server.requests.length = 0;
    const changed = ITEMS.map((i) => (i.id === 3 ? { ...i, text: `${i.text} with charts` } : i));
    await ranker(server, { items: changed }).prepare();
    expect(server.embeddedTexts()).toEqual([`${ITEMS[2]!.text} with charts`]);
    server.requests.length = 0;
    const other = config(server, { embeddings: { model: 'custom:emb', dimensions: 32 } });
    expect(await ranker(server, { config: other }).prepare()).toMatchObject({ embedded: 5 });
  });

  it('shares one vector between symbols with the same text', async () => {
    const server = await serve();
    const items = [...ITEMS, { id: 6, text: ITEMS[1]!.text }];
    const r = ranker(server, { items });
    expect(await r.prepare()).toMatchObject({ items: 6, texts: 5, embedded: 5 });
    expect(new Set((await r.rank('sqlite database', 2)) as number[])).toEqual(new Set([2, 6]));
  });

  it('records every call in the ledger as an embedding, priced per input token', async () => {
    const server = await serve();
    const priced = config(server, {
      prices: { 'custom:emb': { inputPerMillion: 1, outputPerMillion: 0 } },
    });
    await ranker(server, { config: priced, runId: 'run-1' }).rank('open database', 1);
    const rows = await store.db.selectFrom('model_calls').selectAll().execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.task === 'embedding' && r.outcome === 'ok')).toBe(true);
    expect(rows.every((r) => r.deployment === 'custom:emb' && r.run_id === 'run-1')).toBe(true);
    const tokens = server.requests.map((r) =>
      r.texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0),
    );
    expect(rows.map((r) => r.cost_usd)).toEqual(tokens.map((t) => t / 1_000_000));
    expect(JSON.stringify(rows)).not.toContain(KEY);
  });
});

describe('the budget', () => {
  const priced = (server: EmbeddingServer, perRunUsd: number) =>
    config(server, {
      prices: { 'custom:emb': { inputPerMillion: 1000, outputPerMillion: 0 } },
      budget: { perRunUsd },
    });

  it('stops embedding when spent, ranks what it covered and says what is missing', async () => {
    const server = await serve();
    // A batch of two texts may cost up to $0.126 (every byte a token, at $1000 per million) and
    // costs $0.028 (the tokens the server reports): the second batch no longer fits in $0.14.
    const r = ranker(server, { config: priced(server, 0.14) });
    const coverage = await r.prepare();
    expect(coverage.embedded).toBe(2);
    expect(coverage.missing).toBe(3);
    expect(coverage.stopped).toMatch(/^custom:emb: a call could cost \$0\.\d+, more than/);
    expect(server.requests).toHaveLength(1);
    // The covered symbols (the first batch) are ranked; the others wait for the next run.
    expect(new Set((await r.rank('open sqlite database', 5)) as number[])).toEqual(new Set([1, 2]));
    expect(r.notes()).toEqual([
      `custom:emb: 3 of 5 symbol texts have no vector yet (${coverage.stopped})`,
    ]);
  });

  it('is unavailable when the budget covers no symbol at all', async () => {
    const server = await serve();
    const result = await ranker(server, { config: priced(server, 0.0001) }).rank('x', 3);
    expect(result).toEqual({
      unavailable: expect.stringMatching(
        /^custom:emb: no symbol has a vector \(custom:emb: a call could cost/,
      ),
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('an endpoint that fails', () => {
  it.each([
    [{ kind: 'status', status: 500 } as const, 'custom:emb: HTTP 500: failure'],
    [{ kind: 'hang' } as const, 'custom:emb: timed out after 300 ms'],
    [{ kind: 'wrong-count' } as const, 'custom:emb: unusable response: 1 vectors for 2 texts'],
    [{ kind: 'not-json' } as const, 'custom:emb: unusable response: the body is not JSON'],
  ])('%j makes vectors unavailable, with the reason', async (reply, reason) => {
    const server = await serve();
    server.setFallback(reply);
    const short = config(server, {
      embeddings: { model: 'custom:emb', batchSize: 2, timeoutMs: 300 },
    });
    await expect(ranker(server, { config: short }).rank('open database', 3)).resolves.toEqual({
      unavailable: reason,
    });
  });

  it('fails the query alone when only the query cannot be embedded', async () => {
    const server = await serve();
    const r = ranker(server);
    await r.prepare();
    server.setFallback({ kind: 'status', status: 400, message: 'input too long' });
    await expect(r.rank('open database', 3)).resolves.toEqual({
      unavailable: 'custom:emb: HTTP 400: input too long',
    });
  });

  it('is unavailable without a request when the key is unset', async () => {
    const server = await serve();
    await expect(ranker(server, { env: {} }).rank('x', 3)).resolves.toEqual({
      unavailable: 'custom:emb: no API key: set EMBED_KEY',
    });
    expect(server.requests).toHaveLength(0);
  });
});

it('is undefined with no embedding model configured', () => {
  expect(createVectorRanker({ store, config: {}, env, items: ITEMS })).toBeUndefined();
});

it('embeds the doc, the signature and the code head, within the limit', () => {
  const symbol: CodeSymbol = {
    file: 'src/config.ts',
    name: 'parseConfig',
    qualifiedName: 'parseConfig',
    kind: 'function',
    exported: true,
    signature: 'export function parseConfig(raw: unknown): Config',
    doc: 'Validates a parsed config file.',
    startLine: 3,
    endLine: 5,
    references: [],
  };
  const code = 'export function parseConfig(raw: unknown): Config {\n  return check(raw);\n}';
  expect(embeddingText(symbol, code)).toBe(
    [
      'function parseConfig (src/config.ts)',
      'Validates a parsed config file.',
      'export function parseConfig(raw: unknown): Config',
      '{\n  return check(raw);\n}',
    ].join('\n'),
  );
  expect(embeddingText(symbol, code, 40)).toHaveLength(40);
});

it('lists the embedding model in `beast models` and keeps it out of the models improve asks', async () => {
  const server = await serve();
  const models = config(server);
  expect(modelIds(models)).toEqual(['builtin:codemods', 'builtin:ts-fixes']);
  const statuses = resolveModelStatuses(models, env, await loadModelUsage(store));
  expect(statuses.find((s) => s.id === 'custom:emb')).toMatchObject({
    purpose: 'embeddings',
    state: 'ready',
  });
  const keyless = resolveModelStatuses(models, {}, await loadModelUsage(store));
  expect(keyless.find((s) => s.id === 'custom:emb')).toMatchObject({
    state: 'missing key',
    detail: 'set custom:emb (EMBED_KEY)',
  });
});

describe('searchCodebase with the vectors of an indexed repository', () => {
  const FILES = {
    'src/store.ts': [
      '/** Opens the sqlite database file, creating its folder. */',
      'export function openDatabase(file: string): string {',
      '  return file;',
      '}',
      '',
    ].join('\n'),
    'src/config.ts': [
      '/** Reads the settings and checks them against the schema. */',
      'export function loadSettings(text: string): unknown {',
      '  return JSON.parse(text);',
      '}',
      '',
    ].join('\n'),
    'src/http.ts': [
      '/** Sends a request, retrying when the server is busy. */',
      'export function fetchWithRetries(url: string): string {',
      '  return url;',
      '}',
      '',
    ].join('\n'),
  };

  async function indexed(): Promise<{ root: string; repoId: number }> {
    const root = await makeRepo(FILES);
    const repoId = await repositoryIdOf(store, root);
    await updateIndex({ store, repoId, root });
    return { root, repoId };
  }

  it('fuses vectors into the ranking when the embedding model answers', async () => {
    const server = await serve();
    const { root, repoId } = await indexed();
    try {
      const vectors = repositoryVectors({ store, repoId, config: config(server), env, retry });
      const result = await searchCodebase(store, {
        repoId,
        query: 'sqlite database file',
        vectors,
      });
      expect(result.mode).toBe('bm25+vectors+graph');
      expect(result.notice).toBeUndefined();
      expect(result.hits[0]?.symbol.name).toBe('openDatabase');
      // Every indexed symbol was embedded once, with its doc and signature.
      const texts = server.embeddedTexts();
      expect(texts.filter((t) => t.includes('export function openDatabase'))).toHaveLength(1);
      expect(texts.some((t) => t.includes('Opens the sqlite database file'))).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('falls back to BM25 and the graph, naming the failure, when the endpoint fails', async () => {
    const server = await serve();
    server.setFallback({ kind: 'status', status: 503, message: 'overloaded' });
    const { root, repoId } = await indexed();
    try {
      const vectors = repositoryVectors({ store, repoId, config: config(server), env, retry });
      const result = await searchCodebase(store, { repoId, query: 'sqlite database', vectors });
      expect(result.mode).toBe('bm25+graph');
      expect(result.notice).toBe(
        'embeddings unavailable (custom:emb: HTTP 503: overloaded): ranked by BM25 and the reference graph',
      );
      expect(result.hits[0]?.symbol.name).toBe('openDatabase');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
