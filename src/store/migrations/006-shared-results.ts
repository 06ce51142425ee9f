import type { Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // A rescan that finds nothing changed records the same file and finding rows as an earlier scan:
  // it points at that scan's rows instead of copying them. Deleting a scan whose rows others share
  // is refused (no action), so no scan silently loses its rows.
  await db.schema.alterTable('scans').addColumn('result_hash', 'text').execute();
  await db.schema
    .alterTable('scans')
    .addColumn('rows_of', 'integer', (col) => col.references('scans.id'))
    .execute();
  await db.schema
    .createIndex('scans_repository_result')
    .on('scans')
    .columns(['repository_id', 'result_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('scans_repository_result').execute();
  await db.schema.alterTable('scans').dropColumn('rows_of').execute();
  await db.schema.alterTable('scans').dropColumn('result_hash').execute();
}
