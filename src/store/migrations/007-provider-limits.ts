import { sql, type Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // A provider is untrusted input: when its reported token usage is missing or impossible, the
  // call is charged its reservation and the ledger says why, so `beast models` can show it.
  await db.schema.alterTable('model_calls').addColumn('usage_anomaly', 'text').execute();
  // The cache keeps each value's size, so holding it under a total is one cheap sum.
  await db.schema
    .alterTable('file_cache')
    .addColumn('size', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update file_cache set size = length(value)`.execute(db);
  // Summing sizes from an index reads no values: a put stays cheap however large the cache is.
  await db.schema.createIndex('file_cache_size').on('file_cache').column('size').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('file_cache_size').execute();
  await db.schema.alterTable('file_cache').dropColumn('size').execute();
  await db.schema.alterTable('model_calls').dropColumn('usage_anomaly').execute();
}
