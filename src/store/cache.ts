import { redactSecrets } from '../core/index.js';
import type { Transaction } from 'kysely';
import { chunk, chunkRows } from './batch.js';
import type { Store } from './db.js';
import type { Database } from './schema.js';

/** One cached analysis result; `value` must survive `JSON.stringify`. */
export interface CacheEntry {
  key: string;
  value: unknown;
}

/** A hit refreshes `last_used_at` only when it is older than this, to keep reads mostly read-only. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Looks up cached results. Keys are built by the caller from the content hash, analyzer version and
 * rules fingerprint, so a hit is always current.
 *
 * @returns the hits, keyed by key; missing keys are absent.
 */
export async function getCachedResults(
  store: Store,
  keys: readonly string[],
): Promise<Map<string, unknown>> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString();
  const hits = new Map<string, unknown>();
  const stale: string[] = [];
  for (const part of chunk([...new Set(keys)], 1)) {
    const rows = await store.db
      .selectFrom('file_cache')
      .select(['key', 'value', 'last_used_at'])
      .where('key', 'in', part)
      .execute();
    for (const row of rows) {
      hits.set(row.key, JSON.parse(row.value));
      if (row.last_used_at < staleBefore) stale.push(row.key);
    }
  }
  if (stale.length > 0) {
    await store.db.transaction().execute(async (trx) => {
      for (const part of chunk(stale, 1)) {
        await trx
          .updateTable('file_cache')
          .set({ last_used_at: now.toISOString() })
          .where('key', 'in', part)
          .execute();
      }
    });
  }
  return hits;
}

/**
 * The most the cache holds, in bytes of stored values, unless the caller says otherwise: 256 MiB.
 * Past it, the least recently used entries go first, down to nine tenths of the limit.
 */
const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;

/** How far below its limit an eviction takes the cache, so every put past it does not evict. */
const EVICT_TO = 0.9;

/** The limits of `putCachedResults`. */
export interface CacheLimits {
  /** Total bytes of values kept (default `DEFAULT_CACHE_MAX_BYTES`). */
  maxBytes?: number;
}

/**
 * Stores results, replacing any under the same key; the last of duplicate keys wins. Values are
 * scrubbed of secrets; past `limits.maxBytes` the least recently used entries are evicted. A
 * single value larger than the limit is not stored at all.
 */
export async function putCachedResults(
  store: Store,
  entries: readonly CacheEntry[],
  limits: CacheLimits = {},
): Promise<void> {
  const maxBytes = limits.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const now = new Date().toISOString();
  const byKey = new Map<string, string>();
  for (const { key, value } of entries) {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError(`cache value for ${key} is not JSON-serialisable`);
    // An answer can echo a key, and a result can quote code that holds one: neither is kept.
    byKey.set(key, redactSecrets(json));
  }
  const rows = [...byKey]
    .map(([key, value]) => ({
      key,
      value,
      size: Buffer.byteLength(value),
      created_at: now,
      last_used_at: now,
    }))
    .filter((row) => row.size <= maxBytes);
  await store.db.transaction().execute(async (trx) => {
    for (const part of chunkRows(rows)) {
      await trx
        .insertInto('file_cache')
        .values(part)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            created_at: eb.ref('excluded.created_at'),
            last_used_at: eb.ref('excluded.last_used_at'),
            size: eb.ref('excluded.size'),
          })),
        )
        .execute();
    }
    await evict(trx, maxBytes);
  });
}

/** Deletes the least recently used entries while the cache holds more than `maxBytes`. */
async function evict(trx: Transaction<Database>, maxBytes: number): Promise<void> {
  const total = await trx
    .selectFrom('file_cache')
    .select((eb) => eb.fn.sum<number>('size').as('bytes'))
    .executeTakeFirst();
  const bytes = Number(total?.bytes ?? 0);
  if (bytes <= maxBytes) return;
  let excess = bytes - Math.floor(maxBytes * EVICT_TO);
  const victims: string[] = [];
  // Oldest first, in pages, until enough is freed.
  while (excess > 0) {
    const page = await trx
      .selectFrom('file_cache')
      .select(['key', 'size'])
      .orderBy('last_used_at')
      .orderBy('key')
      .offset(victims.length)
      .limit(500)
      .execute();
    if (page.length === 0) break;
    for (const row of page) {
      if (excess <= 0) break;
      victims.push(row.key);
      excess -= Number(row.size);
    }
  }
  for (const part of chunk(victims, 1)) {
    await trx.deleteFrom('file_cache').where('key', 'in', part).execute();
  }
}

/**
 * Deletes cache entries not used for `olderThanDays` days before `now`.
 *
 * @returns how many entries were deleted.
 */
export async function pruneCache(
  store: Store,
  olderThanDays: number,
  now: Date = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS).toISOString();
  const result = await store.db
    .deleteFrom('file_cache')
    .where('last_used_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
