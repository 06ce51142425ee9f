import type { Store } from '../../store/index.js';
import type { RepoMapOptions, SearchOptions, SearchResult } from './types.js';

/** Ranked symbols for a query: BM25 over the code-aware index, fused with vectors and centrality. */
export function searchCodebase(_store: Store, _options: SearchOptions): Promise<SearchResult> {
  return Promise.reject(new Error('searchCodebase: being built (issue 16)'));
}

/** The most central symbols' signatures within a token budget, grouped by file, for prompts. */
export function repoMap(_store: Store, _options: RepoMapOptions): Promise<string> {
  return Promise.reject(new Error('repoMap: being built (issue 16)'));
}
