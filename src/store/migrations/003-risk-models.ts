import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risk_models')
    .addColumn('id', 'integer', id)
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('commit', 'text')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('labelling', 'text', (col) => col.notNull())
    .addColumn('trained_from', 'text')
    .addColumn('trained_to', 'text')
    .addColumn('features', 'text', (col) => col.notNull())
    .addColumn('metrics', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .execute();
  // latestRiskModel: one repository and model name, newest version first.
  await db.schema
    .createIndex('risk_models_repository_name_version')
    .on('risk_models')
    .columns(['repository_id', 'name', 'version'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('risk_models').execute();
}
