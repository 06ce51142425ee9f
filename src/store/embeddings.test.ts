import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeEmbedding } from '../../test/helpers/embedding-server.js';
import { openStore, vectorExtensionOf, type Store } from './db.js';
import { embeddedHashes, getEmbedding, nearestEmbeddings, putEmbeddings } from './embeddings.js';

let stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

async function open(vectorExtension: boolean): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'beast-vectors-'));
  const store = await openStore(join(dir, 'beast.db'), { vectorExtension });
  stores.push(store);
  return store;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const TEXTS = [
  'parse the config file and validate it',
  'open a database connection to sqlite',
  'render the dashboard page in the browser',
  'send an HTTP request with retries',
  'validate the config schema of a rule',
];
const stored = TEXTS.map((text) => ({
  hash: sha(text),
  vector: Float32Array.from(fakeEmbedding(text)),
}));

describe('the vector store', () => {
  it('loads sqlite-vec here (Node 20, linux-x64 has a binary)', async () => {
    expect(vectorExtensionOf(await open(true))).toBe(true);
  });

  it('keeps vectors by model and content hash, bit for bit', async () => {
    const store = await open(true);
    await putEmbeddings(store, 'openai:m', stored);
    const hashes = stored.map((s) => s.hash);
    expect(await embeddedHashes(store, 'openai:m', [...hashes, sha('other')])).toEqual(
      new Set(hashes),
    );
    // Another model has none of them: switching model re-embeds.
    expect((await embeddedHashes(store, 'openai:other', hashes)).size).toBe(0);
    expect(await getEmbedding(store, 'openai:m', stored[1]!.hash)).toEqual(stored[1]!.vector);
  });

  describe.each([
    ['sqlite-vec', true],
    ['JavaScript', false],
  ])('nearest neighbours with %s', (_name, extension) => {
    it('returns the nearest first, only among the hashes given', async () => {
      const store = await open(extension);
      await putEmbeddings(store, 'openai:m', stored);
      const query = Float32Array.from(fakeEmbedding('validate config'));
      const all = await nearestEmbeddings(store, {
        model: 'openai:m',
        vector: query,
        among: stored.map((s) => s.hash),
        limit: 3,
      });
      expect(all.engine).toEqual(
        extension ? 'sqlite-vec' : { javascript: 'sqlite-vec not loaded (turned off)' },
      );
      const top = all.hits.map((h) => TEXTS[stored.findIndex((s) => s.hash === h.hash)]);
      expect(new Set(top.slice(0, 2))).toEqual(new Set([TEXTS[0], TEXTS[4]]));
      expect(all.hits.map((h) => h.distance)).toEqual(
        [...all.hits.map((h) => h.distance)].sort((a, b) => a - b),
      );
      // Left out of `among`, the best match is not a candidate.
      const restricted = await nearestEmbeddings(store, {
        model: 'openai:m',
        vector: query,
        among: stored.filter((s) => s.hash !== stored[0]!.hash).map((s) => s.hash),
        limit: 1,
      });
      expect(restricted.hits.map((h) => h.hash)).toEqual([stored[4]!.hash]);
    });

    it('leaves out vectors of another length', async () => {
      const store = await open(extension);
      await putEmbeddings(store, 'openai:m', [
        { hash: 'short', vector: Float32Array.from([1, 0]) },
        ...stored,
      ]);
      const hits = await nearestEmbeddings(store, {
        model: 'openai:m',
        vector: Float32Array.from(fakeEmbedding('x')),
        among: ['short', ...stored.map((s) => s.hash)],
        limit: 10,
      });
      expect(hits.hits.map((h) => h.hash)).not.toContain('short');
      expect(hits.hits).toHaveLength(stored.length);
    });
  });

  it('gives the same distances with and without the extension', async () => {
    const [withVec, without] = [await open(true), await open(false)];
    const query = {
      model: 'openai:m',
      vector: Float32Array.from(fakeEmbedding('database request')),
      among: stored.map((s) => s.hash),
      limit: 5,
    };
    await putEmbeddings(withVec, 'openai:m', stored);
    await putEmbeddings(without, 'openai:m', stored);
    const a = (await nearestEmbeddings(withVec, query)).hits;
    const b = (await nearestEmbeddings(without, query)).hits;
    expect(a.map((h) => h.hash)).toEqual(b.map((h) => h.hash));
    for (const [i, hit] of a.entries()) expect(hit.distance).toBeCloseTo(b[i]!.distance, 5);
  });
});
