import type { Store } from './db.js';
import { ensureRepository, toScanDigest, type ScanDigest } from './scans.js';

/** A repository registered for the HTTP API. */
export interface RegisteredRepository {
  id: number;
  name: string;
  root: string;
  registeredAt: string;
}

/**
 * Registers the folder at `root` (already resolved to its real path), creating its row on first
 * sight; `created` is false when it was registered before.
 */
export async function registerRepository(
  store: Store,
  root: string,
): Promise<{ repo: RegisteredRepository; created: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    const id = await ensureRepository(trx, root);
    const before = await trx
      .selectFrom('repositories')
      .select('registered_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (before.registered_at === null)
      await trx
        .updateTable('repositories')
        .set({ registered_at: new Date().toISOString() })
        .where('id', '=', id)
        .execute();
    const row = await trx
      .selectFrom('repositories')
      .select(['id', 'name', 'root', 'registered_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      repo: { id: row.id, name: row.name, root: row.root, registeredAt: row.registered_at ?? '' },
      created: before.registered_at === null,
    };
  });
}

function registered(store: Store) {
  return store.db
    .selectFrom('repositories')
    .select(['id', 'name', 'root', 'registered_at'])
    .where('registered_at', 'is not', null);
}

function toRegistered(row: {
  id: number;
  name: string;
  root: string;
  registered_at: string | null;
}): RegisteredRepository {
  return { id: row.id, name: row.name, root: row.root, registeredAt: row.registered_at ?? '' };
}

/** Registered repositories, in order of registration. */
export async function listRegisteredRepositories(store: Store): Promise<RegisteredRepository[]> {
  const rows = await registered(store).orderBy('id').execute();
  return rows.map(toRegistered);
}

/** The registered repository with this id or real path; undefined when there is none. */
export async function findRegisteredRepository(
  store: Store,
  ref: { id: number } | { root: string },
): Promise<RegisteredRepository | undefined> {
  const query = registered(store);
  const row = await (
    'id' in ref ? query.where('id', '=', ref.id) : query.where('root', '=', ref.root)
  ).executeTakeFirst();
  return row ? toRegistered(row) : undefined;
}

/** The newest full scan (not a `--since` one) of each of the given repositories, by id. */
export async function latestScanDigests(
  store: Store,
  repositoryIds: readonly number[],
): Promise<Map<number, ScanDigest>> {
  if (repositoryIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('scans')
    .select(['id', 'repository_id', 'started_at', 'commit', 'score', 'grade', 'files', 'findings'])
    .where('repository_id', 'in', [...repositoryIds])
    .where('since', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const digests = new Map<number, ScanDigest>();
  for (const r of rows) {
    if (!digests.has(r.repository_id)) digests.set(r.repository_id, toScanDigest(r));
  }
  return digests;
}

/** How many full scans (not `--since` ones) of the repository at `root` are stored. */
export async function countScans(store: Store, root: string): Promise<number> {
  const row = await store.db
    .selectFrom('scans')
    .innerJoin('repositories', 'repositories.id', 'scans.repository_id')
    .select(({ fn }) => fn.countAll<number | string>().as('n'))
    .where('repositories.root', '=', root)
    .where('scans.since', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * What the quality report of the repository at `root` is computed from, in one query: its newest
 * full scan, how many full scans it has, and its newest defect-risk model. Equal versions mean an
 * equal report, so a server can cache it.
 */
export async function qualityInputsVersion(store: Store, root: string): Promise<string> {
  const row = await store.db
    .selectFrom('repositories as r')
    .select((eb) => [
      eb
        .selectFrom('scans')
        .select('scans.id')
        .whereRef('scans.repository_id', '=', 'r.id')
        .where('scans.since', 'is', null)
        .orderBy('scans.started_at', 'desc')
        .orderBy('scans.id', 'desc')
        .limit(1)
        .as('scan'),
      eb
        .selectFrom('scans')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('scans.repository_id', '=', 'r.id')
        .where('scans.since', 'is', null)
        .as('scans'),
      eb
        .selectFrom('risk_models')
        .select((m) => m.fn.max('risk_models.id').as('id'))
        .whereRef('risk_models.repository_id', '=', 'r.id')
        .as('model'),
    ])
    .where('r.root', '=', root)
    .executeTakeFirst();
  return row ? `${row.scan ?? '-'}:${row.scans ?? 0}:${row.model ?? '-'}` : '';
}
