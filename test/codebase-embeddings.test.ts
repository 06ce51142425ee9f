import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddingServer, type EmbeddingServer } from './helpers/embedding-server.js';
import { beastAsync, git, makeRepo } from './helpers/repo.js';

/*
 * Hybrid search and chat retrieval through the built CLI, against a real embedding endpoint on
 * 127.0.0.1: vectors join BM25 and the graph when it answers; when it fails, both fall back to
 * BM25 and the graph and say why, in one line, without failing.
 */

const FILES = {
  'src/math.ts':
    '/** Doubles a number. */\nexport function double(n: number): number {\n  return n * 2;\n}\n',
  'src/use.ts':
    "import { double } from './math.js';\n\nexport const quadruple = (n: number) => double(double(n));\n",
};

const KEY = 'sk-embeddings-e2e-secret-444444';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(server: EmbeddingServer) {
  const home = await mkdtemp(path.join(tmpdir(), 'beast-emb-home-'));
  const repo = await makeRepo(FILES);
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  cleanups.push(() => rm(repo, { recursive: true, force: true }));
  cleanups.push(() => server.close());
  const config = {
    models: {
      custom: {
        emb: { baseUrl: server.baseUrl, model: 'emb-model', apiKeyEnv: 'EMB_KEY', timeoutMs: 5000 },
      },
      embeddings: { model: 'custom:emb' },
    },
  };
  await writeFile(path.join(repo, 'beast.config.json'), JSON.stringify(config));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'embedding model');
  const run = (...args: string[]) => beastAsync(args, { env: { BEAST_HOME: home, EMB_KEY: KEY } });
  return { repo, run };
}

describe('embeddings in beast search and beast ask (built bin)', () => {
  it('fuses vectors into search and chat retrieval when the endpoint answers', async () => {
    const server = await startEmbeddingServer('openai');
    const { repo, run } = await setup(server);
    const search = await run('search', 'doubles a number', repo, '--json');
    expect(search.stderr).toBe('');
    const found = JSON.parse(search.stdout) as {
      mode: string;
      notice?: string;
      hits: { symbol: { name: string } }[];
    };
    expect(found.mode).toBe('bm25+vectors+graph');
    expect(found.notice).toBeUndefined();
    expect(found.hits[0]?.symbol.name).toBe('double');
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);

    const ask = await run('ask', 'what doubles a number?', repo, '--offline', '--json');
    expect(ask.code).toBe(0);
    const answer = JSON.parse(ask.stdout) as { retrieval: { mode: string } };
    expect(answer.retrieval.mode).toBe('bm25+vectors+graph');
  }, 120_000);

  it('falls back to BM25 and the graph, saying why, when the endpoint fails', async () => {
    const server = await startEmbeddingServer('openai');
    server.setFallback({ kind: 'status', status: 400, message: 'model not found' });
    const { repo, run } = await setup(server);
    const search = await run('search', 'doubles a number', repo, '--json');
    expect(search.code).toBe(0);
    const found = JSON.parse(search.stdout) as {
      mode: string;
      notice?: string;
      hits: { symbol: { name: string } }[];
    };
    expect(found.mode).toBe('bm25+graph');
    expect(found.notice).toMatch(
      /^embeddings unavailable \(.*400.*\): ranked by BM25 and the reference graph$/,
    );
    expect(found.hits[0]?.symbol.name).toBe('double');

    const ask = await run('ask', 'what doubles a number?', repo, '--offline');
    expect(ask.code).toBe(0);
    expect(ask.stdout).toMatch(/Retrieval: bm25\+graph \(embeddings unavailable \(.*400/);
    expect(ask.stdout).toContain('src/math.ts:2-4');
    expect(ask.stdout + ask.stderr).not.toContain(KEY);
  }, 120_000);
});
