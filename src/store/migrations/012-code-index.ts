import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  const repository = (col: ColumnDefinitionBuilder) =>
    col.notNull().references('repositories.id').onDelete('cascade');
  // The codebase index: one row per indexed file of a repository, by path, with its git blob id
  // (or sha256 outside git): an unchanged hash is not parsed again. `skip_reason` keeps files that
  // could not be parsed, so they are not read again until they change.
  await db.schema
    .createTable('code_files')
    .addColumn('repository_id', 'integer', repository)
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('is_test', 'integer', (col) => col.notNull())
    .addColumn('lines', 'integer', (col) => col.notNull())
    .addColumn('imports', 'text', (col) => col.notNull())
    .addColumn('exports', 'text', (col) => col.notNull())
    .addColumn('export_aliases', 'text', (col) => col.notNull())
    .addColumn('skip_reason', 'text')
    .addPrimaryKeyConstraint('code_files_pk', ['repository_id', 'path'])
    .execute();

  await db.schema
    .createTable('code_symbols')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('repository_id', 'integer', repository)
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('qualified_name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('exported', 'integer', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('doc', 'text', (col) => col.notNull())
    .addColumn('start_line', 'integer', (col) => col.notNull())
    .addColumn('end_line', 'integer', (col) => col.notNull())
    .addColumn('is_test', 'integer', (col) => col.notNull())
    .addColumn('rank', 'double precision', (col) => col.notNull().defaultTo(0))
    .addColumn('refs', 'text', (col) => col.notNull())
    .addColumn('code', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('code_symbols_file')
    .on('code_symbols')
    .columns(['repository_id', 'path'])
    .execute();

  // Full-text search over pre-split tokens (see analysis/codebase/tokenize.ts); rowid = symbol id.
  // Porter stems the parts, so "returns" finds "return".
  await sql`CREATE VIRTUAL TABLE code_symbols_fts USING fts5(
    name, qualified, signature, doc, body,
    tokenize = 'porter unicode61'
  )`.execute(db);

  await db.schema
    .createTable('code_edges')
    .addColumn('repository_id', 'integer', repository)
    .addColumn('source_id', 'integer', (col) =>
      col.notNull().references('code_symbols.id').onDelete('cascade'),
    )
    .addColumn('target_id', 'integer', (col) =>
      col.notNull().references('code_symbols.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('code_edges_pk', ['source_id', 'target_id'])
    .execute();
  await db.schema.createIndex('code_edges_target').on('code_edges').column('target_id').execute();

  // Which test files import which modules (directly, or through a barrel that re-exports them).
  await db.schema
    .createTable('code_test_links')
    .addColumn('repository_id', 'integer', repository)
    .addColumn('test_path', 'text', (col) => col.notNull())
    .addColumn('module_path', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('code_test_links_pk', ['repository_id', 'module_path', 'test_path'])
    .execute();

  await db.schema
    .createTable('code_index_state')
    .addColumn('repository_id', 'integer', (col) =>
      col.primaryKey().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('commit', 'text')
    // The extractor's version: an index written by another one is rebuilt, not trusted.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('indexed_at', 'text', (col) => col.notNull())
    .addColumn('files', 'integer', (col) => col.notNull())
    .addColumn('symbols', 'integer', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['code_index_state', 'code_test_links', 'code_edges', 'code_symbols_fts'])
    await db.schema.dropTable(table).execute();
  await db.schema.dropTable('code_symbols').execute();
  await db.schema.dropTable('code_files').execute();
}
