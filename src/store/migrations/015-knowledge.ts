import { sql, type Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // `beast knowledge`: facts about a repository's modules, each citing lines at a commit, with a
  // hash of the cited text so that a later run can tell which still hold.
  await db.schema
    .createTable('knowledge_facts')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    /** The file whose text the fact was read from (a module, a test, the README, package.json). */
    .addColumn('origin', 'text', (col) => col.notNull())
    /** The module it is about; '' for the repository. */
    .addColumn('module', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('citations', 'text', (col) => col.notNull())
    .addColumn('commit', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_facts_module')
    .on('knowledge_facts')
    .columns(['repository_id', 'module'])
    .execute();
  await db.schema
    .createIndex('knowledge_facts_origin')
    .on('knowledge_facts')
    .columns(['repository_id', 'origin'])
    .execute();
  // The files the facts were read from, by blob id: an unchanged blob is not read again.
  await db.schema
    .createTable('knowledge_files')
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('blob', 'text', (col) => col.notNull())
    /** `module`, `test`, `readme` or `package`. */
    .addColumn('role', 'text', (col) => col.notNull())
    /** JSON: what other extractions need of the file (a module's exports, a test's imports). */
    .addColumn('data', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('knowledge_files_pk', ['repository_id', 'path'])
    .execute();
  await db.schema
    .createTable('knowledge_state')
    .addColumn('repository_id', 'integer', (col) =>
      col.primaryKey().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('commit', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // Full-text search over the facts (SQLite FTS5; rowid = knowledge_facts.id, kept in step by
  // the store's functions).
  await sql`create virtual table knowledge_fts using fts5(text, module, tokenize = 'unicode61')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table knowledge_fts`.execute(db);
  await db.schema.dropTable('knowledge_state').execute();
  await db.schema.dropTable('knowledge_files').execute();
  await db.schema.dropTable('knowledge_facts').execute();
}
