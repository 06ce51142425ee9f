import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('improve_runs')
    .addColumn('id', 'integer', id)
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('duration_ms', 'double precision', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('branch', 'text')
    .addColumn('base_commit', 'text', (col) => col.notNull())
    .addColumn('head_commit', 'text')
    .addColumn('score_before', 'double precision', (col) => col.notNull())
    .addColumn('score_after', 'double precision', (col) => col.notNull())
    .addColumn('accepted', 'integer', (col) => col.notNull())
    .addColumn('rejected', 'integer', (col) => col.notNull())
    .addColumn('validations', 'integer', (col) => col.notNull())
    .addColumn('report', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('improve_runs_repository_started')
    .on('improve_runs')
    .columns(['repository_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'integer', id)
    .addColumn('run_id', 'integer', (col) =>
      col.notNull().references('improve_runs.id').onDelete('cascade'),
    )
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('task', 'text', (col) => col.notNull())
    .addColumn('rule_id', 'text', (col) => col.notNull())
    .addColumn('file', 'text', (col) => col.notNull())
    .addColumn('line', 'integer', (col) => col.notNull())
    .addColumn('column', 'integer', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('gate', 'text')
    .addColumn('reason', 'text')
    .addColumn('commit_sha', 'text')
    .addColumn('cost_usd', 'double precision')
    .addColumn('duration_ms', 'double precision', (col) => col.notNull())
    .addColumn('evidence', 'text', (col) => col.notNull())
    .execute();
  // "Do not propose again what failed on the same unchanged code" looks proposals up by these.
  await db.schema
    .createIndex('proposals_lookup')
    .on('proposals')
    .columns(['repository_id', 'file', 'content_hash'])
    .execute();
  await db.schema.createIndex('proposals_run').on('proposals').column('run_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('proposals').execute();
  await db.schema.dropTable('improve_runs').execute();
}
