// npm run eval:search [-- path ...] [--only name[,name]] [--config FILE] [--root DIR] [--limit N] [--write]
// Code search measured the CodeSearchNet way, on real repositories (bench/search-repos.json, local
// clones; no repository code is committed): every function, method and const-bound arrow/function
// whose doc comment's first sentence has at least three words (found with the TypeScript compiler,
// test, declaration and generated files left out) is looked for with that sentence as the query, in
// a copy of the repository's HEAD with every `/** ... */` comment blanked out, committed into a fresh
// repository that all systems search. Systems: BEAST MODE (`updateIndex` + `searchCodebase`, no
// embedding model), BM25 over raw text split on whitespace with whole files and with function line
// ranges as documents, and `git grep -i -w -F` on the query's words (functions ranked by distinct
// words matched). A hit counts when it is in the function's file, its line range holds the
// function's declaration line and it starts at the function (an enclosing class does not count); ranks beyond 100 count as not found. Also BEAST MODE's index time
// (cold, and warm after one file changes and is committed) and query latency p50/p95 on the largest
// repository. --write records the tables in docs/benchmarks.md.
import { existsSync, realpathSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchCodebase, updateIndex } from '../src/pipeline/codebase/index.js';
import { InputError } from '../src/core/index.js';
import { openStore, registerRepository } from '../src/store/index.js';
import { recordSection } from './record.js';
import { flagValue, loadRepos } from './repos.js';
import {
  Bm25,
  expectedRank,
  grepScores,
  grepWords,
  holds,
  unitsByLine,
} from './search-baselines.js';
import { buildCorpus, commitAll, type Corpus, type FunctionUnit } from './search-corpus.js';

const SYSTEMS = ['BEAST MODE', 'BM25 files', 'BM25 functions', 'git grep'] as const;
type System = (typeof SYSTEMS)[number];
/** Deeper ranks count as not found (BEAST MODE returns at most 100 hits). */
const DEPTH = 100;

interface Ours {
  /** Queries refused as common words only, counted as not found. */
  refused: number;
  coldMs: number;
  warmMs: number;
  warmIndexed: number;
  files: number;
  symbols: number;
  skipped: number;
  latencies: number[];
}

interface RepoResult {
  name: string;
  commit: string;
  sourceFiles: number;
  lines: number;
  functions: number;
  documented: number;
  queries: FunctionUnit[];
  ranks: Record<System, (number | null)[]>;
  ours: Ours | { pending: string };
  /** Queries BEAST MODE missed or ranked low, with what it ranked first. */
  misses: { query: string; want: string; rank: number | null; first: string[] }[];
}

function fail(message: string): never {
  console.error(`eval:search: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const limitFlag = flagValue(args, '--limit');
const limit = limitFlag === undefined ? undefined : Number(limitFlag);
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
  fail(`--limit takes a positive whole number, got ${limitFlag ?? 'nothing'}`);
const here = path.dirname(fileURLToPath(import.meta.url));
const configArgs = args.includes('--config')
  ? args
  : [...args, '--config', path.join(here, 'search-repos.json')];
const { selected } = await loadRepos(configArgs, new Set(['--limit', '--misses']));
if (selected.length === 0) fail('no repository selected');
for (const { entry, dir } of selected)
  if (!existsSync(path.join(dir, '.git')))
    fail(`${entry.name}: no git repository at ${dir} (clone it there, or give its path)`);

/** Evenly spread queries, so that --limit keeps every part of the repository. */
function sample<T>(items: T[], n: number | undefined): T[] {
  if (n === undefined || n >= items.length) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

async function baselines(
  corpus: Corpus,
  queries: FunctionUnit[],
): Promise<Omit<RepoResult['ranks'], 'BEAST MODE'>> {
  const files = [...corpus.sources.keys()];
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const bmFiles = new Bm25(files.map((f) => corpus.sources.get(f)!));
  const lines = new Map(files.map((f) => [f, corpus.sources.get(f)!.split('\n')]));
  const units = corpus.units;
  const bmUnits = new Bm25(
    units.map((u) =>
      lines
        .get(u.file)!
        .slice(u.startLine - 1, u.endLine)
        .join('\n'),
    ),
  );
  const byLine = unitsByLine(units);
  const ranks = { 'BM25 files': [], 'BM25 functions': [], 'git grep': [] } as Omit<
    RepoResult['ranks'],
    'BEAST MODE'
  >;
  for (const fn of queries) {
    const file = fileIndex.get(fn.file);
    ranks['BM25 files'].push(expectedRank(bmFiles.scores(fn.query!), (d) => d === file));
    ranks['BM25 functions'].push(
      expectedRank(bmUnits.scores(fn.query!), (u) => holds(units[u]!, fn)),
    );
  }
  // A few git greps at a time: each waits on its process more than it computes.
  let next = 0;
  const grepRanks: (number | null)[] = [];
  const worker = async () => {
    for (let i = next++; i < queries.length; i = next++) {
      const fn = queries[i]!;
      const scores = await grepScores(corpus.dir, grepWords(fn.query!), units.length, byLine);
      grepRanks[i] = expectedRank(scores, (u) => holds(units[u]!, fn));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  ranks['git grep'] = grepRanks;
  return ranks;
}

/** Changes one source file of the copy (appends a function) and commits it, for the warm index. */
async function touch(corpus: Corpus, file: string): Promise<void> {
  await appendFile(
    path.join(corpus.dir, file),
    '\nexport function evalSearchTouched() {\n  return 1;\n}\n',
  );
  commitAll(corpus.dir, 'eval: one file changed');
}

async function runOurs(
  corpus: Corpus,
  queries: FunctionUnit[],
  work: string,
): Promise<{
  ranks: (number | null)[];
  ours: Ours | { pending: string };
  misses: RepoResult['misses'];
}> {
  const store = await openStore(path.join(work, `${corpus.name}.db`));
  try {
    const root = realpathSync(corpus.dir);
    const { repo } = await registerRepository(store, root);
    const cold = await updateIndex({ store, repoId: repo.id, root });
    const reasons = new Map<string, number>();
    for (const k of cold.skipped) reasons.set(k.reason, (reasons.get(k.reason) ?? 0) + 1);
    for (const [reason, n] of reasons)
      console.log(`${corpus.name}: ${n} file(s) not indexed: ${reason}`);
    const ranks: (number | null)[] = [];
    const latencies: number[] = [];
    const misses: RepoResult['misses'] = [];
    const refused: string[] = [];
    for (const fn of queries) {
      const started = performance.now();
      const result = await searchCodebase(store, {
        repoId: repo.id,
        query: fn.query!,
        limit: DEPTH,
      }).catch((error: unknown) => {
        // A query of common words only is refused as the user's input error: not found.
        if (error instanceof InputError) return { hits: [], refused: error.message };
        throw error;
      });
      if ('refused' in result) refused.push(`${fn.query!}: ${result.refused}`);
      latencies.push(performance.now() - started);
      const at = result.hits.findIndex((h) => holds(h.symbol, fn));
      const rank = at < 0 ? null : at + 1;
      ranks.push(rank);
      if (rank === null || rank > 10)
        misses.push({
          query: fn.query!,
          want: `${fn.file}:${fn.line} ${fn.name}`,
          rank,
          first: result.hits.slice(0, 3).map((h) => `${h.location} ${h.symbol.qualifiedName}`),
        });
    }
    for (const r of refused) console.log(`${corpus.name}: BEAST MODE refused ${r}`);
    await touch(corpus, queries[0]?.file ?? [...corpus.sources.keys()][0]!);
    const warm = await updateIndex({ store, repoId: repo.id, root });
    return {
      ranks,
      misses,
      ours: {
        refused: refused.length,
        coldMs: cold.ms,
        warmMs: warm.ms,
        warmIndexed: warm.indexed,
        files: cold.files,
        symbols: cold.symbols,
        skipped: cold.skipped.length,
        latencies,
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ranks: queries.map(() => null), ours: { pending: message }, misses: [] };
  } finally {
    await store.close();
  }
}

interface Metrics {
  n: number;
  mrr: number;
  r1: number;
  r5: number;
  r10: number;
}

function metrics(ranks: (number | null)[]): Metrics {
  const found = (k: number) => ranks.filter((r) => r !== null && r <= k).length / ranks.length;
  const rr = ranks.map((r) => (r === null || r > DEPTH ? 0 : 1 / r));
  return {
    n: ranks.length,
    mrr: rr.reduce((a, b) => a + b, 0) / ranks.length,
    r1: found(1),
    r5: found(5),
    r10: found(10),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Each repository alone, then all of them together. */
function perRepoAndAll(results: RepoResult[]): [string, RepoResult[]][] {
  return [...results.map((r): [string, RepoResult[]] => [r.name, [r]]), ['**all**', results]];
}

function quality(results: RepoResult[]): string[] {
  const rows = [
    '| repository | queries | system | MRR | recall@1 | recall@5 | recall@10 |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  const groups = perRepoAndAll(results);
  for (const [name, group] of groups)
    for (const system of SYSTEMS) {
      if (system === 'BEAST MODE' && group.some((r) => 'pending' in r.ours)) {
        rows.push(
          `| ${name} | ${group.reduce((a, r) => a + r.queries.length, 0)} | ${system} | not run | | | |`,
        );
        continue;
      }
      const m = metrics(group.flatMap((r) => r.ranks[system]));
      rows.push(
        `| ${name} | ${m.n} | ${system} | ${f3(m.mrr)} | ${pct(m.r1)} | ${pct(m.r5)} | ${pct(m.r10)} |`,
      );
    }
  return rows;
}

function ratios(results: RepoResult[]): string[] {
  const rows = [
    '| repository | BEAST MODE MRR / BM25 files | / BM25 functions | / git grep |',
    '| --- | ---: | ---: | ---: |',
  ];
  const groups = perRepoAndAll(results);
  for (const [name, group] of groups) {
    if (group.some((r) => 'pending' in r.ours)) continue;
    const ours = metrics(group.flatMap((r) => r.ranks['BEAST MODE'])).mrr;
    const cells = (['BM25 files', 'BM25 functions', 'git grep'] as const).map((s) => {
      const base = metrics(group.flatMap((r) => r.ranks[s])).mrr;
      return base > 0 ? `x${(ours / base).toFixed(2)}` : 'n/a (baseline 0)';
    });
    rows.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return rows;
}

function sizes(results: RepoResult[]): string[] {
  const rows = [
    '| repository | commit | source files | lines | functions | documented (queries) | BEAST MODE files / symbols indexed | index cold s | warm after one change s (files re-parsed) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const o = r.ours;
    const ours =
      'pending' in o
        ? '| not run | not run | not run |'
        : `| ${o.files} / ${o.symbols}${o.skipped ? ` (${o.skipped} skipped)` : ''} | ${(o.coldMs / 1000).toFixed(2)} | ${(o.warmMs / 1000).toFixed(3)} (${o.warmIndexed}) |`;
    rows.push(
      `| ${r.name} | ${r.commit.slice(0, 10)} | ${r.sourceFiles} | ${r.lines} | ${r.functions} | ${r.documented}${r.queries.length < r.documented ? ` (${r.queries.length})` : ''} ${ours}`,
    );
  }
  return rows;
}

function refusals(results: RepoResult[]): string[] {
  const counts = results.flatMap((r) =>
    'pending' in r.ours || r.ours.refused === 0 ? [] : [`${r.name} ${r.ours.refused}`],
  );
  return counts.length
    ? [
        '',
        `Queries BEAST MODE refused as common words only (counted as not found): ${counts.join(', ')}.`,
      ]
    : [];
}

function section(results: RepoResult[]): string {
  const largest = results.reduce((a, b) => (b.lines > a.lines ? b : a));
  const o = largest.ours;
  const latency =
    'pending' in o
      ? `BEAST MODE was not run: ${o.pending}`
      : `Query latency of BEAST MODE on the largest repository (${largest.name}, ${o.latencies.length} queries): p50 ${percentile(o.latencies, 50).toFixed(1)} ms, p95 ${percentile(o.latencies, 95).toFixed(1)} ms.`;
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}${limit ? `, at most ${limit} queries a repository (--limit)` : ''}. BEAST MODE without an embedding model. A query is the first sentence of a function's doc comment; every doc comment was blanked out of the copy that all systems search. Ranks beyond ${DEPTH} count as not found; tied baseline scores take their expected rank.`,
    '',
    ...sizes(results),
    '',
    ...quality(results),
    '',
    ...ratios(results),
    '',
    latency,
    ...refusals(results),
  ].join('\n');
}

const work = await mkdtemp(path.join(os.tmpdir(), 'eval-search-'));
const results: RepoResult[] = [];
try {
  for (const { entry, dir } of selected) {
    const started = performance.now();
    const corpus = await buildCorpus(entry.name, dir, path.join(work, entry.name));
    if (corpus.missing > 0)
      console.log(`${entry.name}: ${corpus.missing} blob(s) absent from the clone, left out`);
    const queries = sample(corpus.truth, limit);
    const lines = [...corpus.sources.values()].reduce((a, t) => a + t.split('\n').length, 0);
    console.log(
      `${entry.name}: ${corpus.sources.size} source files, ${lines} lines, ${corpus.units.length} functions, ${corpus.truth.length} documented, ${queries.length} queries (copy built in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const base = await baselines(corpus, queries);
    const ours = await runOurs(corpus, queries, work);
    if ('pending' in ours.ours)
      console.log(`${entry.name}: BEAST MODE not run: ${ours.ours.pending}`);
    results.push({
      name: entry.name,
      commit: corpus.commit,
      sourceFiles: corpus.sources.size,
      lines,
      functions: corpus.units.length,
      documented: corpus.truth.length,
      queries,
      ranks: { 'BEAST MODE': ours.ranks, ...base },
      ours: ours.ours,
      misses: ours.misses,
    });
    console.log(`${entry.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const body = section(results);
console.log(`\n${body}\n`);
const missesFile = flagValue(args, '--misses');
if (missesFile)
  for (const r of results)
    for (const m of r.misses)
      await appendFile(missesFile, JSON.stringify({ repo: r.name, ...m }) + '\n');
if (args.includes('--write')) await recordSection('eval:search', body);
