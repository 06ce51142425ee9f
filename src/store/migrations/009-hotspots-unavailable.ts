import type { Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // A scan of a shallow clone computes no hotspots: the reason is kept so that `beast status`,
  // the API and the dashboard say so instead of showing an empty list as "no hotspots".
  await db.schema.alterTable('scans').addColumn('hotspots_unavailable', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scans').dropColumn('hotspots_unavailable').execute();
}
