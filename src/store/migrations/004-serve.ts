import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Only repositories registered through the API may be scanned or improved through it; the CLI
  // records any folder it scans, so registration is a separate mark, not the row's existence.
  await db.schema.alterTable('repositories').addColumn('registered_at', 'text').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('repository_id', 'integer', (col) =>
      col.references('repositories.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('progress', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('owner', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.alterTable('repositories').dropColumn('registered_at').execute();
}
