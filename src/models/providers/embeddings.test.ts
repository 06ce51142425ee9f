import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeEmbedding,
  startEmbeddingServer,
  type EmbeddingProtocol,
  type EmbeddingReply,
  type EmbeddingServer,
} from '../../../test/helpers/embedding-server.js';
import { InputError, type ModelsConfig } from '../../core/index.js';
import { BudgetExceededError, createBudget } from '../llm/budget.js';
import { DeploymentError } from '../llm/errors.js';
import {
  createEmbedder,
  createEmbeddingClient,
  resolveEmbeddingModel,
  type EmbeddingModel,
} from './embeddings.js';

const KEY = 'sk-embed-secret-0123456789';
const env = { EMBED_KEY: KEY };
const noWait = { sleep: () => Promise.resolve() };

let servers: EmbeddingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(protocol: EmbeddingProtocol, ...replies: EmbeddingReply[]) {
  const server = await startEmbeddingServer(protocol);
  server.enqueue(...replies);
  servers.push(server);
  return server;
}

function configOf(server: EmbeddingServer, extra: Partial<ModelsConfig> = {}): ModelsConfig {
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
    embeddings: { model: 'custom:emb' },
    ...extra,
  };
}

function modelOf(server: EmbeddingServer, extra: Partial<ModelsConfig> = {}): EmbeddingModel {
  return resolveEmbeddingModel(configOf(server, extra), env)!;
}

async function failure(promise: Promise<unknown>): Promise<DeploymentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeploymentError);
  return error as DeploymentError;
}

describe.each(['openai', 'ollama'] as const)('the %s embedding protocol', (protocol) => {
  it('sends the texts with the key and returns one vector per text, in order', async () => {
    const server = await serve(protocol);
    const client = createEmbeddingClient(modelOf(server).deployment, { env });
    const texts = ['open the store', 'parse a config file', 'render a page'];
    const { vectors, inputTokens } = await client.embed(texts);
    expect(vectors.map((v) => [...v])).toEqual(
      texts.map((t) => [...Float32Array.from(fakeEmbedding(t))]),
    );
    expect(inputTokens).toBeGreaterThan(0);
    const sent = server.requests[0]!;
    expect(sent.path).toBe(protocol === 'openai' ? '/v1/embeddings' : '/api/embed');
    expect(sent.body).toMatchObject({ model: 'embed-test', input: texts });
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ['not-json', 'unusable response: the body is not JSON'],
    ['wrong-count', 'unusable response: 2 vectors for 3 texts'],
    ['varying-dimensions', 'unusable response: vector 1 has 63 dimensions, expected 64'],
    ['not-numbers', 'unusable response: vector 0 holds something other than finite numbers'],
    [
      'wrong-shape',
      `unusable response: no "${protocol === 'openai' ? 'data' : 'embeddings'}" array (not ${protocol} embeddings)`,
    ],
  ] as const)('refuses %s in one clear line, not retried', async (kind, message) => {
    const server = await serve(protocol, { kind });
    const client = createEmbeddingClient(modelOf(server).deployment, { env });
    const error = await failure(client.embed(['a b', 'c d', 'e f']));
    expect(error.message).toBe(`custom:emb: ${message}`);
    expect(error.isRetryable).toBe(false);
  });

  it('refuses vectors of another length than configured', async () => {
    const server = await serve(protocol);
    const model = modelOf(server, { embeddings: { model: 'custom:emb', dimensions: 32 } });
    // Ollama is not asked for 32 dimensions (its API has no such option), so it answers with 64.
    const client = createEmbeddingClient(model.deployment, { env, dimensions: 32 });
    if (protocol === 'ollama') {
      const error = await failure(client.embed(['a b']));
      expect(error.message).toBe(
        'custom:emb: unusable response: vector 0 has 64 dimensions, expected 32',
      );
    } else {
      expect((await client.embed(['a b'])).vectors[0]).toHaveLength(32);
      expect(server.requests[0]?.body.dimensions).toBe(32);
    }
  });

  it.each([
    [500, true],
    [429, true],
    [400, false],
    [401, false],
  ])('maps HTTP %i to retryable=%s, with the key kept out', async (status, retryable) => {
    const server = await serve(protocol, { kind: 'status', status, message: `bad key ${KEY}` });
    const client = createEmbeddingClient(modelOf(server).deployment, { env });
    const error = await failure(client.embed(['a']));
    expect(error.isRetryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(new RegExp(`^custom:emb: HTTP ${status}: bad key`));
    expect(error.message).not.toContain(KEY);
  });

  it('times out a hanging endpoint as a retryable error', async () => {
    const server = await serve(protocol, { kind: 'hang' });
    const client = createEmbeddingClient(
      { ...modelOf(server).deployment, timeoutMs: 300 },
      { env },
    );
    const error = await failure(client.embed(['a']));
    expect(error.message).toBe('custom:emb: timed out after 300 ms');
    expect(error.isRetryable).toBe(true);
  });
});

it('fails without a request when the key variable is unset', async () => {
  const server = await serve('openai');
  const client = createEmbeddingClient(modelOf(server).deployment, { env: {} });
  const error = await failure(client.embed(['a']));
  expect(error.message).toBe('custom:emb: missing key: set EMBED_KEY');
  expect(server.requests).toHaveLength(0);
});

it('says a refused endpoint cannot be reached', async () => {
  const server = await serve('openai');
  const model = modelOf(server);
  await server.close();
  const error = await failure(createEmbeddingClient(model.deployment, { env }).embed(['a']));
  expect(error.message).toMatch(
    /^custom:emb: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: /,
  );
  expect(error.isRetryable).toBe(true);
});

describe('the embedder', () => {
  it('retries a server error with the router policy, then answers', async () => {
    const server = await serve('openai', { kind: 'status', status: 503 });
    const embedder = createEmbedder(modelOf(server), { env, retry: noWait });
    const { vectors } = await embedder.embed(['a b']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('charges the reported tokens at the input price', async () => {
    const server = await serve('openai', { kind: 'vectors', tokens: 1000 });
    const model = modelOf(server, {
      prices: { 'custom:emb': { inputPerMillion: 2, outputPerMillion: 0 } },
    });
    const budget = createBudget(1);
    const batch = await createEmbedder(model, { env, budget }).embed(['x'.repeat(4000)]);
    expect(batch.costUsd).toBeCloseTo(0.002, 10);
    expect(budget.spentUsd()).toBeCloseTo(0.002, 10);
  });

  it('charges the worst case when the reported usage is impossible', async () => {
    const server = await serve('openai', { kind: 'vectors', tokens: 10_000_000 });
    const model = modelOf(server, {
      prices: { 'custom:emb': { inputPerMillion: 1, outputPerMillion: 0 } },
    });
    const batch = await createEmbedder(model, { env }).embed(['abcd']);
    // Every byte a token, plus 8 for the tokeniser's markers.
    expect(batch.costUsd).toBeCloseTo(12 / 1_000_000, 12);
  });

  it('sends nothing when the budget cannot hold the batch', async () => {
    const server = await serve('openai');
    const model = modelOf(server, {
      prices: { 'custom:emb': { inputPerMillion: 1, outputPerMillion: 0 } },
    });
    const embedder = createEmbedder(model, { env, budget: createBudget(0.000001) });
    await expect(embedder.embed(['x'.repeat(100)])).rejects.toBeInstanceOf(BudgetExceededError);
    expect(server.requests).toHaveLength(0);
  });

  it('leaves a failing deployment alone while it cools down', async () => {
    const server = await serve('openai');
    server.setFallback({ kind: 'status', status: 500 });
    const embedder = createEmbedder(modelOf(server), { env, retry: noWait });
    await expect(embedder.embed(['a'])).rejects.toThrow(/HTTP 500/);
    const asked = server.requests.length;
    await expect(embedder.embed(['a'])).rejects.toThrow(/cooling down after recent failures/);
    expect(server.requests).toHaveLength(asked);
  });
});

describe('resolveEmbeddingModel', () => {
  it('is undefined with no embedding model configured', () => {
    expect(resolveEmbeddingModel({}, env)).toBeUndefined();
  });

  it('resolves vendor ids with their list price and default key', () => {
    const model = resolveEmbeddingModel(
      { embeddings: { model: 'openai:text-embedding-3-small', dimensions: 256 } },
      {},
    )!;
    expect(model.deployment.price).toEqual({ inputPerMillion: 0.02, outputPerMillion: 0 });
    expect(model.missingKey).toBe('OPENAI_API_KEY');
    expect(model.cacheKey).toBe('openai:text-embedding-3-small@256');
    const ollama = resolveEmbeddingModel({ embeddings: { model: 'ollama:nomic-embed-text' } }, {})!;
    expect(ollama.deployment.price).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(ollama.missingKey).toBeUndefined();
  });

  it.each([
    ['custom:nope', /"custom:nope" is not an embedding model; use custom:chat, openai:<model>/],
    ['anthropic:claude-3-5-haiku-latest', /is not an embedding model/],
    ['custom:chat', /"custom:chat" is not an embedding model/],
  ])('refuses %s, naming the choices', (id, message) => {
    const config: ModelsConfig = {
      custom: {
        chat: { protocol: 'anthropic', baseUrl: 'http://127.0.0.1:1/v1', model: 'claude' },
      },
      embeddings: { model: id },
    };
    expect(() => resolveEmbeddingModel(config, env)).toThrow(InputError);
    expect(() => resolveEmbeddingModel(config, env)).toThrow(message);
  });
});
