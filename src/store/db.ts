import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
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
import { BeastError, InputError, describeError, isNativeModuleError } from '../core/index.js';
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

/**
 * `PRAGMA application_id` of every store (ASCII "BEAS"): marks a file as ours, in its header, so a
 * database of another program given by mistake is refused before it is changed.
 */
export const STORE_APPLICATION_ID = 0x42454153;

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating it and its parent folders if needed) the database at `file` and applies pending
 * migrations. Several processes may open and write the same file at once. `':memory:'` gives a
 * private in-memory store.
 *
 * The store holds code and model calls, so a new file is readable by its owner only (0600; SQLite
 * gives its -wal and -shm files the same mode) and new folders to it are 0700. An existing file
 * that is not a store of ours (another program's database, not a database at all) is refused
 * unchanged.
 *
 * @throws InputError naming the file when it cannot be created, opened or migrated.
 */
export async function openStore(file: string, options: StoreOptions = {}): Promise<Store> {
  let sqlite: BetterSqlite3.Database | undefined;
  let vectors: true | string = 'sqlite-vec not loaded';
  try {
    if (file !== ':memory:' && file !== '') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      checkOurs(file);
      createOwnerOnly(file);
    }
    sqlite = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await enableWal(sqlite);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    vectors =
      options.vectorExtension === false
        ? 'sqlite-vec not loaded (turned off)'
        : await loadVectorExtension(sqlite);
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
  try {
    if (sqlite.pragma('application_id', { simple: true }) !== STORE_APPLICATION_ID)
      sqlite.pragma(`application_id = ${STORE_APPLICATION_ID}`);
  } catch (markError) {
    await db.destroy();
    throw openError(file, markError);
  }
  vectorSupport.set(db, vectors);
  return { file, db, close: () => db.destroy() };
}

export interface StoreOptions {
  /** Load sqlite-vec for vector search (default true); off, vectors are compared in JavaScript. */
  vectorExtension?: boolean;
}

/** Whether each open database has sqlite-vec, or why not. */
const vectorSupport = new WeakMap<object, true | string>();

/**
 * sqlite-vec (its distance functions) in this connection, or why it could not be loaded: the
 * package or its platform binary missing, or a SQLite that refuses extensions. Never fatal.
 */
async function loadVectorExtension(sqlite: BetterSqlite3.Database): Promise<true | string> {
  try {
    const { load } = await import('sqlite-vec');
    load(sqlite);
    return true;
  } catch (error) {
    return `sqlite-vec could not be loaded (${describeError(error)})`;
  }
}

/** `true` when the store's database has sqlite-vec's functions, else why it has not. */
export function vectorExtensionOf(store: Store): true | string {
  return vectorSupport.get(store.db) ?? 'sqlite-vec not loaded';
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

const SQLITE_MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;
const IN_MEMORY_PROBE_BYTES = 256 * 1024 * 1024;

/** A new store file, created empty with owner-only permissions before SQLite opens it. */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    // Present already (or created by a process opening it at the same moment): keep it as it is.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Throws unless `file` is missing, empty, or a database of ours: marked with our application_id,
 * or from before the mark, with our first migration recorded. Looks without changing anything:
 * the header is read as bytes, and the tables through a read-only connection, except for a WAL
 * database with no -wal file, where even a read-only connection would create -wal and -shm files;
 * that one is read into memory and inspected there.
 */
function checkOurs(file: string): void {
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size === 0) return;
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const notOurs = (why: string): InputError =>
    new InputError(`${why}; left unchanged (give a new file or a store beast created)`);
  if (read < HEADER_BYTES || header.toString('latin1', 0, 16) !== SQLITE_MAGIC)
    throw notOurs('not a database (no SQLite header)');
  const applicationId = header.readInt32BE(68);
  if (applicationId === STORE_APPLICATION_ID) return;
  if (applicationId !== 0)
    throw notOurs(
      `not a BEAST MODE store (application_id 0x${(applicationId >>> 0).toString(16)} is another program's)`,
    );
  // Past a size where a copy in memory costs more than two stray side files would.
  const inMemory =
    header[18] === 2 && !existsSync(`${file}-wal`) && info.size <= IN_MEMORY_PROBE_BYTES;
  const probe = inMemory
    ? new BetterSqlite3(inMemoryCopy(file))
    : new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const tables = probe
      .prepare<[], { name: string }>(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
      )
      .all()
      .map((row) => row.name);
    if (tables.length === 0) return;
    const migrated =
      tables.includes('kysely_migration') &&
      probe.prepare(`select 1 from kysely_migration where name = '001-initial'`).get() !==
        undefined;
    if (migrated) return;
    const listed = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    throw notOurs(`not a BEAST MODE store (it holds other tables: ${listed})`);
  } finally {
    probe.close();
  }
}

/** The database's bytes, marked as a rollback-journal database, which is all SQLite opens in memory. */
function inMemoryCopy(file: string): Buffer {
  const bytes = readFileSync(file);
  bytes[18] = 1;
  bytes[19] = 1;
  return bytes;
}

function openError(file: string, cause: unknown): BeastError {
  const message = `cannot open store ${file}: ${describeError(cause)}`;
  // better-sqlite3 built for another Node is our installation's fault, not the user's input.
  return isNativeModuleError(cause)
    ? new BeastError('native-module', message, { cause })
    : new InputError(message, { cause });
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
