import type { CheckedCitation, CodeSymbol } from '../../analysis/index.js';

/*
 * The codebase index as the pipeline offers it to the CLI, the API and the prompts. Written before
 * the code that fills it, so that index, search, embeddings, chat and knowledge are built side by
 * side against one contract.
 */

/** What `updateIndex` did. */
export interface IndexStats {
  /** The commit indexed (files are read from its tree, never the working tree); null outside git. */
  commit: string | null;
  files: number;
  /** Files parsed this time: new or changed since the last index. */
  indexed: number;
  /** Files whose content was unchanged and kept as indexed. */
  reused: number;
  removed: number;
  symbols: number;
  /** Files that could not be read or parsed, with the reason; they are left out, not fatal. */
  skipped: { file: string; reason: string }[];
  ms: number;
}

/** A stored symbol. */
export interface IndexedSymbol extends CodeSymbol {
  id: number;
  /** Centrality in the reference graph (PageRank, sums to 1 over the repository). */
  rank: number;
}

export interface SearchHit {
  symbol: IndexedSymbol;
  score: number;
  /** `path:start-end`, as citations write it. */
  location: string;
  /** The declaration's first lines (at most 12), from the indexed commit. */
  snippet: string;
}

/** Ranks symbols by similarity of their embeddings to the query; see `pipeline/codebase/embeddings.ts`. */
export interface VectorRanker {
  /** Symbol ids, most similar first; or why vectors could not be used this time. */
  rank(query: string, limit: number): Promise<number[] | { unavailable: string }>;
}

export interface SearchOptions {
  repoId: number;
  query: string;
  /** Default 10, at most 100. */
  limit?: number;
  kinds?: readonly CodeSymbol['kind'][];
  /** Leave test files out (default false). */
  excludeTests?: boolean;
  vectors?: VectorRanker;
}

export interface SearchResult {
  /** How the hits were ranked: `bm25+graph`, or `bm25+vectors+graph` when embeddings were used. */
  mode: 'bm25+graph' | 'bm25+vectors+graph';
  /** Said to the user when the mode is not what was configured (no embedding model, endpoint failed). */
  notice?: string;
  commit: string | null;
  hits: SearchHit[];
}

export interface RepoMapOptions {
  repoId: number;
  /** Files the prompt is about: the map is personalised toward what they use and what uses them. */
  focusFiles?: readonly string[];
  /** Approximate budget in tokens (4 characters a token); default 1024. */
  budgetTokens?: number;
}

/** An answer of `beast ask` / the chat endpoint. */
export interface Answer {
  text: string;
  /** `grounded`: an LLM's, checked; `extractive`: offline, the best symbols as they are; `unknown`: nothing relevant. */
  mode: 'grounded' | 'extractive' | 'unknown';
  citations: CheckedCitation[];
  /** The first answer's citations failed and it was asked once to repair them. */
  repaired: boolean;
  /** Citations still failing in the returned answer (marked in the text). */
  failed: number;
  model?: string;
  commit: string | null;
}
