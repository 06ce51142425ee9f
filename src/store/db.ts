import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import envPaths from 'env-paths';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { DatabaseConnection, Dialect } from 'kysely';
import { InputError, describeError } from '../core/index.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * An open store: the typed query builder over one database file. Share one Store per file within a
 * process: SQLite waits for locks by blocking the thread, so two Stores on the same file in one
 * process can stall each other until busy_timeout expires.
 */
export interface Store {
  /** The database file, as given to `openStore`. */
  readonly file: string;
  readonly db: Kysely<Database>;
  /** Closes the database; later calls do nothing. */
  close(): Promise<void>;
}

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating it and its parent folders if needed) the database at `file` and applies pending
 * migrations. Several processes may open and write the same file at once. `':memory:'` gives a
 * private in-memory store.
 *
 * @throws InputError naming the file when it cannot be created, opened or migrated.
 */
export async function openStore(file: string): Promise<Store> {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await enableWal(sqlite);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite?.close();
    throw openError(file, error);
  }

  const db = new Kysely<Database>({ dialect: createDialect(sqlite) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw openError(file, error);
  }
  return { file, db, close: () => db.destroy() };
}

/**
 * Where the store lives unless configured: `$BEAST_HOME/beast.db`, else the platform's data folder
 * (`~/.local/share/beast-mode/beast.db` on Linux). env-paths reads XDG variables from the process.
 */
export function defaultStorePath(env: Readonly<Record<string, string | undefined>>): string {
  const home = env['BEAST_HOME'];
  if (home !== undefined && home !== '') return join(home, 'beast.db');
  return join(envPaths('beast-mode', { suffix: '' }).data, 'beast.db');
}

/**
 * Switches the file to WAL. The switch needs the file to itself, and SQLite reports SQLITE_BUSY at
 * once, without waiting on busy_timeout, when another process holds it (as when several processes
 * open a new file together); so wait and retry here, for as long as busy_timeout would.
 */
async function enableWal(sqlite: BetterSqlite3.Database): Promise<void> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      await sleep(delay);
    }
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof BetterSqlite3.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

function openError(file: string, cause: unknown): InputError {
  return new InputError(`cannot open store ${file}: ${describeError(cause)}`, { cause });
}

/**
 * Kysely's SQLite dialect with two changes for a file shared between processes:
 *
 * - Transactions start with BEGIN IMMEDIATE. A deferred BEGIN that reads and then writes fails at
 *   once with SQLITE_BUSY when another process committed in between (busy_timeout does not apply
 *   to that upgrade); taking the write lock up front makes writers queue on busy_timeout instead.
 * - The adapter declares transactional DDL (which SQLite has). Kysely's SQLite migration lock is a
 *   no-op that assumes one connection per file, so without this two processes would both see a
 *   migration pending and both run it. With it, the migrator checks and applies pending migrations
 *   inside one immediate transaction: the second process waits, then finds nothing to do.
 */
function createDialect(database: BetterSqlite3.Database): Dialect {
  return {
    createDriver: () => new ImmediateSqliteDriver({ database }),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
