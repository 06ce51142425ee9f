import { createHash } from 'node:crypto';

/** Answers by request hash: in memory, or in the store so a rerun costs nothing. */
export interface AnswerCache {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer): Promise<void>;
}

/** What a rerun needs to rebuild the proposal without calling the provider again. */
export interface CachedAnswer {
  text: string;
  deployment: string;
}

/** A stable hash of everything that shapes an answer. */
export function requestKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** An in-memory cache that forgets the oldest entry beyond `maxEntries`. */
export function createMemoryCache(maxEntries = 500): AnswerCache {
  const entries = new Map<string, CachedAnswer>();
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    set(key, answer) {
      entries.delete(key);
      entries.set(key, answer);
      const oldest = entries.keys().next();
      if (entries.size > maxEntries && !oldest.done) entries.delete(oldest.value);
      return Promise.resolve();
    },
  };
}
