import type { Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // A scan compared with a baseline file marks each finding `new` or `unchanged`: kept so that
  // the API and the dashboard can tell new findings from accepted ones. Null: no baseline applied.
  await db.schema.alterTable('findings').addColumn('baseline_state', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('findings').dropColumn('baseline_state').execute();
}
