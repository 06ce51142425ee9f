import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCachedResults, pruneCache, putCachedResults } from './cache.js';
import type { Store } from './db.js';
import { openStore } from './db.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beast-store-'));
  store = await openStore(join(dir, 'beast.db'));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const DAY = 24 * 60 * 60 * 1000;

async function lastUsed(key: string): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('file_cache')
    .select('last_used_at')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.last_used_at;
}

async function age(key: string, days: number): Promise<void> {
  const when = new Date(Date.now() - days * DAY).toISOString();
  await store.db
    .updateTable('file_cache')
    .set({ created_at: when, last_used_at: when })
    .where('key', '=', key)
    .execute();
}

describe('file cache', () => {
  it('round-trips JSON values and reports only hits', async () => {
    const values: Record<string, unknown> = {
      object: { metrics: { cyclomatic: 3, maintainability: 71.25 }, findings: [{ ruleId: 'x' }] },
      array: [1, 'two', null, { three: true }],
      text: 'ünïcode "quoted"',
      number: 0.1 + 0.2,
      nothing: null,
    };
    await putCachedResults(
      store,
      Object.entries(values).map(([key, value]) => ({ key, value })),
    );
    const hits = await getCachedResults(store, [...Object.keys(values), 'missing', 'text']);
    expect(Object.fromEntries(hits)).toEqual(values);
    expect(hits.has('missing')).toBe(false);
    expect(await getCachedResults(store, [])).toEqual(new Map());
  });

  it('replaces values under the same key; the last duplicate wins', async () => {
    await putCachedResults(store, [{ key: 'k', value: 1 }]);
    await putCachedResults(store, [
      { key: 'k', value: 2 },
      { key: 'k', value: 3 },
    ]);
    expect(await getCachedResults(store, ['k'])).toEqual(new Map([['k', 3]]));
  });

  it('handles more keys than fit one statement', async () => {
    const entries = Array.from({ length: 12_000 }, (_, i) => ({ key: `key-${i}`, value: { i } }));
    await putCachedResults(store, entries);
    const hits = await getCachedResults(
      store,
      entries.map((entry) => entry.key),
    );
    expect(hits.size).toBe(12_000);
    expect(hits.get('key-11999')).toEqual({ i: 11_999 });
  });

  it('rejects values JSON cannot represent', async () => {
    await expect(putCachedResults(store, [{ key: 'k', value: undefined }])).rejects.toThrow(
      TypeError,
    );
  });

  it('prunes entries unused for the given number of days', async () => {
    await putCachedResults(store, [
      { key: 'old', value: 1 },
      { key: 'recent', value: 2 },
      { key: 'fresh', value: 3 },
    ]);
    await age('old', 40);
    await age('recent', 10);

    expect(await pruneCache(store, 30)).toBe(1);
    expect([...(await getCachedResults(store, ['old', 'recent', 'fresh'])).keys()].sort()).toEqual([
      'fresh',
      'recent',
    ]);
    expect(await pruneCache(store, 5, new Date(Date.now() + 100 * DAY))).toBe(2);
  });

  it('counts a hit as a use', async () => {
    await putCachedResults(store, [
      { key: 'read', value: 1 },
      { key: 'unread', value: 2 },
    ]);
    await age('read', 40);
    await age('unread', 40);
    const before = await lastUsed('read');

    await getCachedResults(store, ['read']);
    expect(await lastUsed('read')).not.toBe(before);
    expect(await pruneCache(store, 30)).toBe(1);
    expect((await getCachedResults(store, ['read', 'unread'])).has('read')).toBe(true);
  });

  it('evicts the least recently used entries past its size limit, and keeps nothing too large', async () => {
    const value = 'x'.repeat(1000);
    for (const key of ['a', 'b', 'c']) {
      await putCachedResults(store, [{ key, value }], { maxBytes: 3500 });
      await age(key, { a: 3, b: 2, c: 1 }[key] ?? 0);
    }
    // "a" is the oldest; reading it makes "b" the least recently used.
    await getCachedResults(store, ['a']);
    await putCachedResults(store, [{ key: 'd', value }], { maxBytes: 3500 });
    const kept = await getCachedResults(store, ['a', 'b', 'c', 'd']);
    expect([...kept.keys()].sort()).toEqual(['a', 'c', 'd']);
    await putCachedResults(store, [{ key: 'huge', value: 'y'.repeat(5000) }], { maxBytes: 3500 });
    expect((await getCachedResults(store, ['huge'])).size).toBe(0);
    const rows = await store.db.selectFrom('file_cache').select('size').execute();
    expect(rows.reduce((sum, r) => sum + r.size, 0)).toBeLessThanOrEqual(3500);
  });

  it('never stores a key', async () => {
    await putCachedResults(store, [
      { key: 'answer', value: { text: 'use ghp_0123456789abcdefghijABCDEFGHIJ012345 here' } },
    ]);
    const hits = await getCachedResults(store, ['answer']);
    expect(hits.get('answer')).toEqual({ text: 'use [REDACTED:github-token] here' });
  });
});
