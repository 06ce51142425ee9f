import { sql } from 'kysely';
import { chunk, chunkRows } from './batch.js';
import { vectorExtensionOf, type Store } from './db.js';

/*
 * Vectors of embedded texts, keyed by (embedding model, sha256 of the text), as little-endian
 * float32 blobs: the layout sqlite-vec reads, so nearest neighbours are one SQL query.
 */

/** One text's vector. */
export interface StoredEmbedding {
  hash: string;
  vector: Float32Array;
}

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function fromBlob(blob: Uint8Array): Float32Array {
  // A copy: the blob's bytes need not sit at an offset Float32Array can view.
  const bytes = Uint8Array.from(blob);
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
}

/** Which of `hashes` already have a vector of `model`. */
export async function embeddedHashes(
  store: Store,
  model: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk([...new Set(hashes)], 1)) {
    const rows = await store.db
      .selectFrom('embeddings')
      .select('hash')
      .where('model', '=', model)
      .where('hash', 'in', part)
      .execute();
    for (const row of rows) found.add(row.hash);
  }
  return found;
}

/** Keeps vectors of `model`; a vector already stored for a hash is replaced. */
export async function putEmbeddings(
  store: Store,
  model: string,
  embeddings: readonly StoredEmbedding[],
  now: Date = new Date(),
): Promise<void> {
  const rows = embeddings.map((e) => ({
    model,
    hash: e.hash,
    dimensions: e.vector.length,
    vector: toBlob(e.vector),
    created_at: now.toISOString(),
  }));
  if (rows.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (const part of chunkRows(rows)) {
      await trx
        .insertInto('embeddings')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['model', 'hash']).doUpdateSet((eb) => ({
            dimensions: eb.ref('excluded.dimensions'),
            vector: eb.ref('excluded.vector'),
            created_at: eb.ref('excluded.created_at'),
          })),
        )
        .execute();
    }
  });
}

/** The stored vector of one text, if any. */
export async function getEmbedding(
  store: Store,
  model: string,
  hash: string,
): Promise<Float32Array | undefined> {
  const row = await store.db
    .selectFrom('embeddings')
    .select('vector')
    .where('model', '=', model)
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row ? fromBlob(row.vector) : undefined;
}

export interface NearestQuery {
  model: string;
  vector: Float32Array;
  /** Only texts with these hashes are candidates (the symbols of the current index). */
  among: readonly string[];
  limit: number;
}

/** Hashes nearest `vector` first, with their cosine distance, and how they were compared. */
export interface Nearest {
  hits: { hash: string; distance: number }[];
  /** `sqlite-vec`, or why the comparison ran in JavaScript instead. */
  engine: 'sqlite-vec' | { javascript: string };
}

/**
 * The `limit` stored vectors of `model` nearest the query vector by cosine distance, among the
 * given hashes; vectors of another length are not comparable and left out. Uses sqlite-vec's
 * `vec_distance_cosine` where the extension loaded, and the same arithmetic in JavaScript where
 * it did not.
 */
export async function nearestEmbeddings(store: Store, query: NearestQuery): Promise<Nearest> {
  const among = [...new Set(query.among)];
  if (among.length === 0 || query.limit <= 0) {
    return { hits: [], engine: engineOf(store) };
  }
  const extension = vectorExtensionOf(store);
  if (extension !== true) {
    return { hits: await nearestInJs(store, query, among), engine: { javascript: extension } };
  }
  const { rows } = await sql<{ hash: string; distance: number }>`
    select hash, vec_distance_cosine(vector, ${toBlob(query.vector)}) as distance
    from embeddings
    where model = ${query.model}
      and dimensions = ${query.vector.length}
      and hash in (select value from json_each(${JSON.stringify(among)}))
    order by distance, hash
    limit ${query.limit}`.execute(store.db);
  return { hits: rows, engine: 'sqlite-vec' };
}

function engineOf(store: Store): Nearest['engine'] {
  const extension = vectorExtensionOf(store);
  return extension === true ? 'sqlite-vec' : { javascript: extension };
}

/** Cosine distance as sqlite-vec defines it: 1 - cos; a zero vector is as far as can be. */
function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

async function nearestInJs(
  store: Store,
  query: NearestQuery,
  among: readonly string[],
): Promise<Nearest['hits']> {
  const hits: Nearest['hits'] = [];
  for (const part of chunk(among, 1)) {
    const rows = await store.db
      .selectFrom('embeddings')
      .select(['hash', 'vector'])
      .where('model', '=', query.model)
      .where('dimensions', '=', query.vector.length)
      .where('hash', 'in', part)
      .execute();
    for (const row of rows) {
      hits.push({ hash: row.hash, distance: cosineDistance(query.vector, fromBlob(row.vector)) });
    }
  }
  hits.sort((a, b) => a.distance - b.distance || (a.hash < b.hash ? -1 : 1));
  return hits.slice(0, query.limit);
}
