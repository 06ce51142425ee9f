import type { Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

export async function up(db: Kysely<unknown>): Promise<void> {
  // Vectors of embedded texts (codebase symbols, queries), keyed by the embedding model and the
  // text's sha256: an unchanged text is never embedded twice, and another model starts afresh.
  // `vector` is little-endian float32, the layout sqlite-vec's distance functions read.
  await db.schema
    .createTable('embeddings')
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('dimensions', 'integer', (col) => col.notNull())
    .addColumn('vector', 'blob', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('embeddings_pk', ['model', 'hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('embeddings').execute();
}
