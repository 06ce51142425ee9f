import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // `beast tests` runs: one row per run, so `beast status`, the API and the dashboard can show a
  // repository's coverage before and after the tests it generated, and the funnel that kept them.
  await db.schema
    .createTable('test_gen_runs')
    .addColumn('id', 'integer', id)
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('branch', 'text')
    .addColumn('base_commit', 'text', (col) => col.notNull())
    .addColumn('head_commit', 'text')
    .addColumn('runner', 'text', (col) => col.notNull())
    .addColumn('coverage_before', 'text', (col) => col.notNull())
    .addColumn('coverage_after', 'text', (col) => col.notNull())
    .addColumn('funnel', 'text', (col) => col.notNull())
    .addColumn('files_kept', 'integer', (col) => col.notNull())
    .addColumn('report', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('test_gen_runs_repository')
    .on('test_gen_runs')
    .columns(['repository_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('test_gen_runs').execute();
}
