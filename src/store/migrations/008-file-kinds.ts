import type { Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // Test, bench and fixture files are scored apart from the source: each file row says which it is.
  // Rows recorded before kinds existed were all scored as source, which the default says.
  await db.schema
    .alterTable('file_results')
    .addColumn('kind', 'text', (col) => col.notNull().defaultTo('source'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('file_results').dropColumn('kind').execute();
}
