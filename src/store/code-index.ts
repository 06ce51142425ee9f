import { sql, type Selectable, type Transaction } from 'kysely';
import { chunk, chunkRows } from './batch.js';
import type { Store } from './db.js';
import { ensureRepository } from './scans.js';
import type { Database } from './schema.js';

/*
 * The codebase index in the store: files by content hash, symbols with a full-text table over
 * pre-split tokens (FTS5, ranked by bm25()), the reference graph's edges and ranks, which tests
 * import which modules, and the commit indexed. Written by `pipeline/codebase/index-repo.ts`.
 */

/** An import as the index keeps it (analysis's `StoredImport`; the store cannot import analysis). */
export interface StoredImport {
  specifier: string;
  names: { imported: string; local: string }[];
  typeOnly: boolean;
}

/** A symbol's kind (analysis's `SymbolKind`), kept as text. */
type SymbolKind = string;

/** A file as the index keeps it, with what the graph needs. */
export interface IndexedFileRecord {
  path: string;
  hash: string;
  isTest: boolean;
  lines: number;
  imports: StoredImport[];
  exports: string[];
  exportAliases: { exported: string; local: string }[];
  /** Why it has no symbols; undefined when indexed. */
  skipReason?: string | undefined;
}

/** A symbol to store: its searchable text is already split into index tokens. */
export interface SymbolRecord {
  path: string;
  name: string;
  qualifiedName: string;
  kind: SymbolKind;
  exported: boolean;
  signature: string;
  doc: string;
  startLine: number;
  endLine: number;
  isTest: boolean;
  references: string[];
  code: string;
  /** FTS columns, as `indexText` gives them. */
  text: { name: string; qualified: string; signature: string; doc: string; body: string };
}

/** The stored symbols as the reference graph reads them. */
export interface GraphSymbol {
  id: number;
  path: string;
  name: string;
  qualifiedName: string;
  kind: SymbolKind;
  references: string[];
}

export interface GraphInput {
  files: IndexedFileRecord[];
  symbols: GraphSymbol[];
}

export interface GraphOutput {
  edges: [source: number, target: number][];
  /** Symbol id -> rank. */
  ranks: Map<number, number>;
  testLinks: [test: string, module: string][];
}

export interface IndexChange {
  repoId: number;
  commit: string | null;
  version: number;
  removed: readonly string[];
  files: readonly { file: IndexedFileRecord; symbols: readonly SymbolRecord[] }[];
  /** Computes the graph from every file and symbol after the change (pure). */
  graph: (input: GraphInput) => GraphOutput;
}

/** The id of the repository at `root` (an absolute real path), added to the store if new. */
export function repositoryIdOf(store: Store, root: string): Promise<number> {
  return store.db.transaction().execute((trx) => ensureRepository(trx, root));
}

/** The indexed files of a repository: path -> content hash. */
export async function indexedFileHashes(
  store: Store,
  repoId: number,
): Promise<Map<string, string>> {
  const rows = await store.db
    .selectFrom('code_files')
    .select(['path', 'hash'])
    .where('repository_id', '=', repoId)
    .execute();
  return new Map(rows.map((r) => [r.path, r.hash]));
}

export interface CodeIndexState {
  commit: string | null;
  /** The version of the extraction that wrote it. */
  version: number;
  indexedAt: string;
  files: number;
  symbols: number;
  /** Files left out, with the reason. */
  skipped: { file: string; reason: string }[];
}

/** What was indexed of a repository, or undefined when it never was. */
export async function codeIndexState(
  store: Store,
  repoId: number,
): Promise<CodeIndexState | undefined> {
  const row = await store.db
    .selectFrom('code_index_state')
    .selectAll()
    .where('repository_id', '=', repoId)
    .executeTakeFirst();
  if (!row) return undefined;
  const skipped = await store.db
    .selectFrom('code_files')
    .select(['path', 'skip_reason'])
    .where('repository_id', '=', repoId)
    .where('skip_reason', 'is not', null)
    .orderBy('path')
    .execute();
  return {
    commit: row.commit,
    version: row.version,
    indexedAt: row.indexed_at,
    files: row.files,
    symbols: row.symbols,
    skipped: skipped.map((s) => ({ file: s.path, reason: s.skip_reason ?? '' })),
  };
}

/** Marks the index current at `commit` when no file changed (nothing else is written). */
export async function touchCodeIndex(
  store: Store,
  repoId: number,
  commit: string | null,
): Promise<void> {
  await store.db
    .updateTable('code_index_state')
    .set({ commit, indexed_at: new Date().toISOString() })
    .where('repository_id', '=', repoId)
    .execute();
}

/**
 * Applies an index change in one transaction: removed and changed files' symbols go, new ones are
 * written, then the graph is recomputed over the whole repository. Killed half way, the index is
 * as it was.
 */
export async function applyIndexChange(
  store: Store,
  change: IndexChange,
): Promise<{ files: number; symbols: number }> {
  return store.db.transaction().execute(async (trx) => {
    const { repoId } = change;
    const gone = [...change.removed, ...change.files.map((f) => f.file.path)];
    await deleteFiles(trx, repoId, gone);
    for (const { file, symbols } of change.files) await insertFile(trx, repoId, file, symbols);
    const input = await readGraphInput(trx, repoId);
    await writeGraph(trx, repoId, change.graph(input));
    const files = input.files.filter((f) => f.skipReason === undefined).length;
    const row = {
      repository_id: repoId,
      commit: change.commit,
      version: change.version,
      indexed_at: new Date().toISOString(),
      files,
      symbols: input.symbols.length,
    };
    await trx
      .insertInto('code_index_state')
      .values(row)
      .onConflict((oc) => oc.column('repository_id').doUpdateSet(row))
      .execute();
    return { files, symbols: input.symbols.length };
  });
}

async function deleteFiles(
  trx: Transaction<Database>,
  repoId: number,
  paths: readonly string[],
): Promise<void> {
  for (const part of chunk(paths, 1)) {
    await sql`DELETE FROM code_symbols_fts WHERE rowid IN (
      SELECT id FROM code_symbols WHERE repository_id = ${repoId} AND path IN (${sql.join(part)}))`.execute(
      trx,
    );
    await trx
      .deleteFrom('code_symbols')
      .where('repository_id', '=', repoId)
      .where('path', 'in', part)
      .execute();
    await trx
      .deleteFrom('code_files')
      .where('repository_id', '=', repoId)
      .where('path', 'in', part)
      .execute();
  }
}

async function insertFile(
  trx: Transaction<Database>,
  repoId: number,
  file: IndexedFileRecord,
  symbols: readonly SymbolRecord[],
): Promise<void> {
  await trx
    .insertInto('code_files')
    .values({
      repository_id: repoId,
      path: file.path,
      hash: file.hash,
      is_test: file.isTest ? 1 : 0,
      lines: file.lines,
      imports: JSON.stringify(file.imports),
      exports: JSON.stringify(file.exports),
      export_aliases: JSON.stringify(file.exportAliases),
      skip_reason: file.skipReason ?? null,
    })
    .execute();
  const rows = symbols.map((s) => ({
    repository_id: repoId,
    path: s.path,
    name: s.name,
    qualified_name: s.qualifiedName,
    kind: s.kind,
    exported: s.exported ? 1 : 0,
    signature: s.signature,
    doc: s.doc,
    start_line: s.startLine,
    end_line: s.endLine,
    is_test: s.isTest ? 1 : 0,
    refs: JSON.stringify(s.references),
    code: s.code,
  }));
  let at = 0;
  for (const part of chunkRows(rows)) {
    const ids = await trx.insertInto('code_symbols').values(part).returning('id').execute();
    const texts = ids.map(({ id }, i) => ({ id, ...symbols[at + i]!.text }));
    at += part.length;
    for (const t of chunk(texts, 6)) {
      await sql`INSERT INTO code_symbols_fts (rowid, name, qualified, signature, doc, body) VALUES ${sql.join(
        t.map(
          (r) => sql`(${r.id}, ${r.name}, ${r.qualified}, ${r.signature}, ${r.doc}, ${r.body})`,
        ),
      )}`.execute(trx);
    }
  }
}

async function readGraphInput(trx: Transaction<Database>, repoId: number): Promise<GraphInput> {
  const files = await trx
    .selectFrom('code_files')
    .selectAll()
    .where('repository_id', '=', repoId)
    .execute();
  const symbols = await trx
    .selectFrom('code_symbols')
    .select(['id', 'path', 'name', 'qualified_name', 'kind', 'refs'])
    .where('repository_id', '=', repoId)
    .orderBy('id')
    .execute();
  return {
    files: files.map((f) => ({
      path: f.path,
      hash: f.hash,
      isTest: f.is_test === 1,
      lines: f.lines,
      imports: JSON.parse(f.imports) as StoredImport[],
      exports: JSON.parse(f.exports) as string[],
      exportAliases: JSON.parse(f.export_aliases) as IndexedFileRecord['exportAliases'],
      skipReason: f.skip_reason ?? undefined,
    })),
    symbols: symbols.map((s) => ({
      id: s.id,
      path: s.path,
      name: s.name,
      qualifiedName: s.qualified_name,
      kind: s.kind,
      references: JSON.parse(s.refs) as string[],
    })),
  };
}

async function writeGraph(
  trx: Transaction<Database>,
  repoId: number,
  graph: GraphOutput,
): Promise<void> {
  // Only the edges that differ are written: after a one-file change most of them stay (those of
  // the file's deleted symbols went with them, by cascade).
  const stored = await trx
    .selectFrom('code_edges')
    .select(['source_id', 'target_id'])
    .where('repository_id', '=', repoId)
    .execute();
  const key = (source: number, target: number) => `${source} ${target}`;
  const wanted = new Set(graph.edges.map(([source, target]) => key(source, target)));
  const have = new Set(stored.map((e) => key(e.source_id, e.target_id)));
  const stale = stored
    .filter((e) => !wanted.has(key(e.source_id, e.target_id)))
    .map((e) => [e.source_id, e.target_id]);
  const added = graph.edges.filter(([source, target]) => !have.has(key(source, target)));
  // One statement per table through json_each: tens of thousands of rows without a round trip each.
  if (stale.length > 0)
    await sql`DELETE FROM code_edges WHERE repository_id = ${repoId} AND (source_id, target_id) IN (
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
      FROM json_each(${JSON.stringify(stale)}))`.execute(trx);
  if (added.length > 0)
    await sql`INSERT INTO code_edges (repository_id, source_id, target_id)
      SELECT ${repoId}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
      FROM json_each(${JSON.stringify(added)})`.execute(trx);
  await trx.deleteFrom('code_test_links').where('repository_id', '=', repoId).execute();
  await sql`INSERT OR IGNORE INTO code_test_links (repository_id, test_path, module_path)
    SELECT ${repoId}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
    FROM json_each(${JSON.stringify(graph.testLinks)})`.execute(trx);
  await sql`UPDATE code_symbols SET rank = j.value
    FROM json_each(${JSON.stringify(Object.fromEntries(graph.ranks))}) AS j
    WHERE code_symbols.id = CAST(j.key AS INTEGER)`.execute(trx);
}

/** A stored symbol, as search and the prompts read it. */
export interface StoredSymbol {
  id: number;
  file: string;
  name: string;
  qualifiedName: string;
  kind: SymbolKind;
  exported: boolean;
  signature: string;
  doc: string;
  startLine: number;
  endLine: number;
  isTest: boolean;
  rank: number;
  references: string[];
  code: string;
}

type SymbolRow = Selectable<Database['code_symbols']>;

function toStored(row: SymbolRow): StoredSymbol {
  return {
    id: row.id,
    file: row.path,
    name: row.name,
    qualifiedName: row.qualified_name,
    kind: row.kind,
    exported: row.exported === 1,
    signature: row.signature,
    doc: row.doc,
    startLine: row.start_line,
    endLine: row.end_line,
    isTest: row.is_test === 1,
    rank: row.rank,
    references: JSON.parse(row.refs) as string[],
    code: row.code,
  };
}

/** Symbols by id, in the order asked (missing ids left out). */
export async function getSymbols(store: Store, ids: readonly number[]): Promise<StoredSymbol[]> {
  const byId = new Map<number, StoredSymbol>();
  for (const part of chunk([...new Set(ids)], 1)) {
    const rows = await store.db
      .selectFrom('code_symbols')
      .selectAll()
      .where('id', 'in', part)
      .execute();
    for (const row of rows) byId.set(row.id, toStored(row));
  }
  return ids.map((id) => byId.get(id)).filter((s): s is StoredSymbol => s !== undefined);
}

/** Symbols of one file of a repository, in line order. */
export async function fileSymbols(
  store: Store,
  repoId: number,
  file: string,
): Promise<StoredSymbol[]> {
  const rows = await store.db
    .selectFrom('code_symbols')
    .selectAll()
    .where('repository_id', '=', repoId)
    .where('path', '=', file)
    .orderBy('start_line')
    .execute();
  return rows.map(toStored);
}

export interface FtsQuery {
  repoId: number;
  /** An FTS5 MATCH expression. */
  match: string;
  limit: number;
  kinds?: readonly string[] | undefined;
  excludeTests?: boolean | undefined;
  /** bm25() weights of name, qualified, signature, doc, body. */
  weights: readonly [number, number, number, number, number];
}

/** Full-text candidates, best first, with their BM25 score (higher is better). */
export async function searchSymbolText(
  store: Store,
  query: FtsQuery,
): Promise<{ id: number; score: number }[]> {
  const [wn, wq, ws, wd, wb] = query.weights;
  const kinds =
    query.kinds && query.kinds.length > 0
      ? sql`AND s.kind IN (${sql.join([...query.kinds])})`
      : sql``;
  const tests = query.excludeTests ? sql`AND s.is_test = 0` : sql``;
  const result = await sql<{ id: number; score: number }>`
    SELECT s.id AS id, -bm25(code_symbols_fts, ${wn}, ${wq}, ${ws}, ${wd}, ${wb}) AS score
    FROM code_symbols_fts JOIN code_symbols s ON s.id = code_symbols_fts.rowid
    WHERE code_symbols_fts MATCH ${query.match} AND s.repository_id = ${query.repoId} ${kinds} ${tests}
    ORDER BY bm25(code_symbols_fts, ${wn}, ${wq}, ${ws}, ${wd}, ${wb})
    LIMIT ${query.limit}`.execute(store.db);
  return result.rows;
}

/** Every symbol of a repository with its rank and signature, and the reference edges: for the repo map. */
export async function readSymbolGraph(
  store: Store,
  repoId: number,
): Promise<{
  symbols: {
    id: number;
    file: string;
    signature: string;
    startLine: number;
    rank: number;
    isTest: boolean;
  }[];
  edges: [number, number][];
}> {
  const symbols = await store.db
    .selectFrom('code_symbols')
    .select(['id', 'path', 'signature', 'start_line', 'rank', 'is_test'])
    .where('repository_id', '=', repoId)
    .orderBy('id')
    .execute();
  const edges = await store.db
    .selectFrom('code_edges')
    .select(['source_id', 'target_id'])
    .where('repository_id', '=', repoId)
    .execute();
  return {
    symbols: symbols.map((s) => ({
      id: s.id,
      file: s.path,
      signature: s.signature,
      startLine: s.start_line,
      rank: s.rank,
      isTest: s.is_test === 1,
    })),
    edges: edges.map((e) => [e.source_id, e.target_id]),
  };
}

/** Test files that import `module` (directly or through a re-exporting barrel), sorted. */
export async function testsOfModule(
  store: Store,
  repoId: number,
  module: string,
): Promise<string[]> {
  const rows = await store.db
    .selectFrom('code_test_links')
    .select('test_path')
    .where('repository_id', '=', repoId)
    .where('module_path', '=', module)
    .orderBy('test_path')
    .execute();
  return rows.map((r) => r.test_path);
}
