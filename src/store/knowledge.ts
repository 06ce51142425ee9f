import { sql } from 'kysely';
import type { Store } from './db.js';

/** A citation as stored: lines of one file, 1-based and inclusive. */
export interface StoredCitation {
  file: string;
  startLine: number;
  endLine: number;
}

/** A fact as `beast knowledge` keeps it. */
export interface KnowledgeFact {
  id: number;
  origin: string;
  /** The module it is about; '' for the repository. */
  module: string;
  kind: string;
  key: string;
  text: string;
  citations: StoredCitation[];
  commit: string;
  source: 'code' | 'readme' | 'llm';
  status: 'fresh' | 'stale';
  hash: string;
}

export type NewKnowledgeFact = Omit<KnowledgeFact, 'id'>;

/** A file facts were read from, by blob id. */
export interface KnowledgeFile {
  path: string;
  blob: string;
  role: 'module' | 'test' | 'readme' | 'package';
  /** What other extractions need of it (a module's exports, a test's imports). */
  data: unknown;
}

/** What one `beast knowledge` run changes, written in one transaction. */
export interface KnowledgeChange {
  commit: string;
  /** Files read this run (new or changed blobs), replacing their rows. */
  files: KnowledgeFile[];
  /** Files no longer in the tree. */
  removedFiles: string[];
  insert: NewKnowledgeFact[];
  /** Facts kept with new lines, commit, status or text. */
  update: KnowledgeFact[];
  delete: number[];
}

type FactRow = {
  id: number;
  origin: string;
  module: string;
  kind: string;
  key: string;
  text: string;
  citations: string;
  commit: string;
  source: string;
  status: string;
  hash: string;
};

function toFact(row: FactRow): KnowledgeFact {
  return {
    id: row.id,
    origin: row.origin,
    module: row.module,
    kind: row.kind,
    key: row.key,
    text: row.text,
    citations: JSON.parse(row.citations) as StoredCitation[],
    commit: row.commit,
    source: row.source as KnowledgeFact['source'],
    status: row.status as KnowledgeFact['status'],
    hash: row.hash,
  };
}

const FACT_COLUMNS = [
  'id',
  'origin',
  'module',
  'kind',
  'key',
  'text',
  'citations',
  'commit',
  'source',
  'status',
  'hash',
] as const;

/** Everything stored of a repository's knowledge: its files by path, its facts, the last commit. */
export async function loadKnowledge(
  store: Store,
  repoId: number,
): Promise<{
  commit: string | undefined;
  files: Map<string, KnowledgeFile>;
  facts: KnowledgeFact[];
}> {
  const state = await store.db
    .selectFrom('knowledge_state')
    .select('commit')
    .where('repository_id', '=', repoId)
    .executeTakeFirst();
  const fileRows = await store.db
    .selectFrom('knowledge_files')
    .selectAll()
    .where('repository_id', '=', repoId)
    .execute();
  const files = new Map(
    fileRows.map((r) => [
      r.path,
      {
        path: r.path,
        blob: r.blob,
        role: r.role as KnowledgeFile['role'],
        data: JSON.parse(r.data) as unknown,
      },
    ]),
  );
  const facts = await store.db
    .selectFrom('knowledge_facts')
    .select(FACT_COLUMNS)
    .where('repository_id', '=', repoId)
    .orderBy('id')
    .execute();
  return { commit: state?.commit, files, facts: facts.map(toFact) };
}

/** Applies one run's change, the full-text index with it, in one transaction. */
export async function saveKnowledge(
  store: Store,
  repoId: number,
  change: KnowledgeChange,
): Promise<void> {
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    for (const ids of chunks(change.delete, 500)) {
      await trx.deleteFrom('knowledge_facts').where('id', 'in', ids).execute();
      await sql`delete from knowledge_fts where rowid in (${sql.join(ids)})`.execute(trx);
    }
    for (const fact of change.update) {
      await trx
        .updateTable('knowledge_facts')
        .set({
          text: fact.text,
          citations: JSON.stringify(fact.citations),
          commit: fact.commit,
          status: fact.status,
          hash: fact.hash,
          updated_at: now,
        })
        .where('id', '=', fact.id)
        .execute();
      await sql`update knowledge_fts set text = ${fact.text} where rowid = ${fact.id}`.execute(trx);
    }
    for (const fact of change.insert) {
      const { id } = await trx
        .insertInto('knowledge_facts')
        .values({
          repository_id: repoId,
          origin: fact.origin,
          module: fact.module,
          kind: fact.kind,
          key: fact.key,
          text: fact.text,
          citations: JSON.stringify(fact.citations),
          commit: fact.commit,
          source: fact.source,
          status: fact.status,
          hash: fact.hash,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`insert into knowledge_fts (rowid, text, module) values (${id}, ${fact.text}, ${fact.module})`.execute(
        trx,
      );
    }
    for (const paths of chunks(change.removedFiles, 500))
      await trx
        .deleteFrom('knowledge_files')
        .where('repository_id', '=', repoId)
        .where('path', 'in', paths)
        .execute();
    for (const file of change.files)
      await trx
        .insertInto('knowledge_files')
        .values({
          repository_id: repoId,
          path: file.path,
          blob: file.blob,
          role: file.role,
          data: JSON.stringify(file.data ?? null),
        })
        .onConflict((oc) =>
          oc.columns(['repository_id', 'path']).doUpdateSet({
            blob: file.blob,
            role: file.role,
            data: JSON.stringify(file.data ?? null),
          }),
        )
        .execute();
    // Every fresh fact holds at this commit: those of unchanged files were not read again, since
    // the same blob holds the same lines.
    await trx
      .updateTable('knowledge_facts')
      .set({ commit: change.commit })
      .where('repository_id', '=', repoId)
      .where('status', '=', 'fresh')
      .execute();
    await trx
      .insertInto('knowledge_state')
      .values({ repository_id: repoId, commit: change.commit, updated_at: now })
      .onConflict((oc) =>
        oc.column('repository_id').doUpdateSet({ commit: change.commit, updated_at: now }),
      )
      .execute();
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Pure: a user's query as an FTS5 expression: each word a quoted prefix term, all required. Words
 * are split like identifiers (`loadConfig` also finds "load config"), so no FTS5 syntax leaks in.
 */
export function ftsQuery(query: string): string | undefined {
  const words = query
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}_]+/u)
    .map((w) => w.replace(/_/g, ' ').trim())
    .flatMap((w) => w.split(' '))
    .filter((w) => w !== '');
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ');
}

export interface KnowledgeQuery {
  /** Full-text query over the facts' text and module; all words must match (as prefixes). */
  query?: string;
  /** Only this module's facts ('' for the repository's own). */
  module?: string;
  limit?: number;
}

/** A repository's facts: matching a query (best first, by BM25), or all of a module, or all. */
export async function searchKnowledge(
  store: Store,
  repoId: number,
  options: KnowledgeQuery = {},
): Promise<KnowledgeFact[]> {
  const limit = Math.min(Math.max(options.limit ?? 10_000, 1), 10_000);
  let query = store.db
    .selectFrom('knowledge_facts')
    .select(FACT_COLUMNS.map((c) => `knowledge_facts.${c}` as const))
    .where('knowledge_facts.repository_id', '=', repoId);
  if (options.module !== undefined)
    query = query.where('knowledge_facts.module', '=', options.module);
  const match = options.query === undefined ? undefined : ftsQuery(options.query);
  if (options.query !== undefined && match === undefined) return [];
  if (match !== undefined) {
    const rows = await query
      .innerJoin(
        sql<{
          rowid: number;
          rank: number;
        }>`(select rowid, rank from knowledge_fts where knowledge_fts match ${match})`.as('m'),
        'm.rowid',
        'knowledge_facts.id',
      )
      .orderBy('m.rank')
      .limit(limit)
      .execute();
    return rows.map(toFact);
  }
  const rows = await query
    .orderBy('knowledge_facts.module')
    .orderBy('knowledge_facts.kind')
    .orderBy('knowledge_facts.id')
    .limit(limit)
    .execute();
  return rows.map(toFact);
}
