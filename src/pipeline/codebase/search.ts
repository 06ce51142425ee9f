import { pageRank, queryTokens } from '../../analysis/index.js';
import { InputError } from '../../core/index.js';
import {
  codeIndexState,
  getSymbols,
  readSymbolGraph,
  searchSymbolText,
  type StoredSymbol,
  type Store,
} from '../../store/index.js';
import type {
  IndexedSymbol,
  RepoMapOptions,
  SearchHit,
  SearchOptions,
  SearchResult,
} from './types.js';

/** bm25() weights of the index columns: name, qualified name + path, signature, doc, body identifiers. */
const WEIGHTS = [10, 4, 3, 2, 1] as const;
/** How much centrality lifts a hit: score x (1 + GRAPH_BOOST x log(1 + rank x symbols)). */
const GRAPH_BOOST = 0.1;
/** Reciprocal rank fusion's constant (Cormack et al.). */
const RRF_K = 60;
const SNIPPET_LINES = 12;

export const NO_VECTORS_NOTICE =
  'no embedding model configured: ranked by BM25 and the reference graph';

/** Ranked symbols for a query: BM25 over the code-aware index, fused with vectors and centrality. */
export async function searchCodebase(store: Store, options: SearchOptions): Promise<SearchResult> {
  const tokens = queryTokens(options.query);
  if (tokens.length === 0)
    throw new InputError(
      options.query.trim() === ''
        ? 'search: the query is empty'
        : `search: "${options.query.trim()}" has only common words; name what the code does or is called`,
    );
  const limit = Math.min(100, Math.max(1, Math.floor(options.limit ?? 10)));
  const state = await codeIndexState(store, options.repoId);
  const pool = Math.max(limit * 5, 50);
  const match = tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
  const lexical = await searchSymbolText(store, {
    repoId: options.repoId,
    match,
    limit: pool,
    kinds: options.kinds,
    excludeTests: options.excludeTests,
    weights: WEIGHTS,
  });

  let vectorIds: number[] | undefined;
  let notice: string | undefined = NO_VECTORS_NOTICE;
  if (options.vectors) {
    const ranked = await options.vectors.rank(options.query, pool);
    if (Array.isArray(ranked)) {
      vectorIds = ranked;
      notice = undefined;
    } else
      notice = `embeddings unavailable (${ranked.unavailable}): ranked by BM25 and the reference graph`;
  }

  const base = new Map<number, number>();
  if (vectorIds === undefined) for (const c of lexical) base.set(c.id, c.score);
  else {
    for (const [i, c] of lexical.entries()) base.set(c.id, 1 / (RRF_K + i + 1));
    for (const [i, id] of vectorIds.entries())
      base.set(id, (base.get(id) ?? 0) + 1 / (RRF_K + i + 1));
  }
  const symbols = (await getSymbols(store, [...base.keys()])).filter(
    (s) =>
      (options.kinds === undefined ||
        options.kinds.length === 0 ||
        options.kinds.includes(s.kind as IndexedSymbol['kind'])) &&
      !(options.excludeTests === true && s.isTest),
  );
  const total = Math.max(1, state?.symbols ?? symbols.length);
  const hits = symbols
    .map((s) => ({ s, score: base.get(s.id)! * (1 + GRAPH_BOOST * Math.log1p(s.rank * total)) }))
    .sort((a, b) => b.score - a.score || a.s.id - b.s.id)
    .slice(0, limit)
    .map(({ s, score }): SearchHit => toHit(s, score));
  return {
    mode: vectorIds === undefined ? 'bm25+graph' : 'bm25+vectors+graph',
    ...(notice === undefined ? {} : { notice }),
    commit: state?.commit ?? null,
    hits,
  };
}

function toHit(s: StoredSymbol, score: number): SearchHit {
  const symbol: IndexedSymbol = {
    id: s.id,
    file: s.file,
    name: s.name,
    qualifiedName: s.qualifiedName,
    kind: s.kind as IndexedSymbol['kind'],
    exported: s.exported,
    signature: s.signature,
    doc: s.doc,
    startLine: s.startLine,
    endLine: s.endLine,
    references: s.references,
    rank: s.rank,
  };
  return {
    symbol,
    score: Math.round(score * 1e6) / 1e6,
    location: `${s.file}:${s.startLine}-${s.endLine}`,
    snippet: s.code.split('\n').slice(0, SNIPPET_LINES).join('\n'),
  };
}

/** Characters a token stands for in the repo map's budget. */
const CHARS_PER_TOKEN = 4;

/**
 * The most central symbols' signatures within a token budget, grouped by file, for prompts. With
 * focus files, PageRank is personalised toward them and what they use and what uses them; their
 * own symbols are left out (the prompt holds those files). Test files are left out.
 */
export async function repoMap(store: Store, options: RepoMapOptions): Promise<string> {
  const budget = Math.max(0, (options.budgetTokens ?? 1024) * CHARS_PER_TOKEN);
  const { symbols, edges } = await readSymbolGraph(store, options.repoId);
  const focus = new Set(options.focusFiles ?? []);
  let ranks = new Map(symbols.map((s) => [s.id, s.rank]));
  if (focus.size > 0) {
    const inFocus = new Set(symbols.filter((s) => focus.has(s.file)).map((s) => s.id));
    const personal = new Map<number, number>();
    for (const id of inFocus) personal.set(id, 1);
    for (const [source, target] of edges) {
      if (inFocus.has(source) && !inFocus.has(target)) personal.set(target, 1);
      if (inFocus.has(target) && !inFocus.has(source)) personal.set(source, 1);
    }
    if (personal.size > 0)
      ranks = pageRank(
        symbols.map((s) => s.id),
        edges,
        personal,
      );
  }
  const ordered = symbols
    .filter((s) => !s.isTest && !focus.has(s.file) && s.signature !== '')
    .sort((a, b) => ranks.get(b.id)! - ranks.get(a.id)! || a.id - b.id);
  const chosen = new Map<string, { line: number; text: string }[]>();
  let used = 0;
  for (const s of ordered) {
    const line = `  ${s.startLine}: ${s.signature}\n`;
    const header = chosen.has(s.file) ? 0 : s.file.length + 2;
    if (used + header + line.length > budget) continue;
    used += header + line.length;
    const lines = chosen.get(s.file) ?? [];
    lines.push({ line: s.startLine, text: line });
    chosen.set(s.file, lines);
  }
  return [...chosen.keys()]
    .sort()
    .map((file) => {
      const lines = chosen
        .get(file)!
        .sort((a, b) => a.line - b.line)
        .map((l) => l.text)
        .join('');
      return `${file}:\n${lines}`;
    })
    .join('');
}
