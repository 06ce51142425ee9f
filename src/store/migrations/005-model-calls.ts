import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // The cost ledger: one row per provider call, so daily and per-provider budgets hold across runs
  // and processes, and `beast models` reports measured latency and spend.
  await db.schema
    .createTable('model_calls')
    .addColumn('id', 'integer', id)
    .addColumn('created_at', 'text', (col) => col.notNull())
    /** UTC day, `YYYY-MM-DD`: what per-day budgets sum over. */
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('deployment', 'text', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('task', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('run_id', 'text')
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cost_usd', 'double precision')
    .addColumn('latency_ms', 'double precision', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('model_calls_day_provider')
    .on('model_calls')
    .columns(['day', 'provider'])
    .execute();
  await db.schema
    .createIndex('model_calls_deployment')
    .on('model_calls')
    .columns(['deployment', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('model_calls').execute();
}
