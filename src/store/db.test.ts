import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { STORE_APPLICATION_ID, defaultStorePath, openStore } from './db.js';
import { migrations } from './migrations/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beast-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function migrationNames(file: string): Promise<string[]> {
  const store = await openStore(file);
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(store.db);
    return rows.map((row) => row.name);
  } finally {
    await store.close();
  }
}

describe('openStore', () => {
  it('creates missing parent folders and sets the connection pragmas', async () => {
    const file = join(dir, 'a', 'b', 'beast.db');
    const store = await openStore(file);
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(
          store.db,
        );
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(10_000);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1); // NORMAL
      expect(store.file).toBe(file);
    } finally {
      await store.close();
    }
  });

  it('applies every migration once and is idempotent on reopen', async () => {
    const file = join(dir, 'beast.db');
    const expected = Object.keys(migrations).sort();
    expect(expected[0]).toBe('001-initial');
    expect(await migrationNames(file)).toEqual(expected);
    expect(await migrationNames(file)).toEqual(expected);

    const store = await openStore(file);
    try {
      const tables = await store.db.introspection.getTables();
      expect(tables.map((table) => table.name).sort()).toEqual([
        'chat_messages',
        'chat_sessions',
        'code_edges',
        'code_files',
        'code_index_state',
        'code_symbols',
        'code_symbols_fts',
        'code_symbols_fts_config',
        'code_symbols_fts_content',
        'code_symbols_fts_data',
        'code_symbols_fts_docsize',
        'code_symbols_fts_idx',
        'code_test_links',
        'embeddings',
        'file_cache',
        'file_results',
        'findings',
        'hotspots',
        'improve_runs',
        'jobs',
        'knowledge_facts',
        'knowledge_files',
        'knowledge_fts',
        'knowledge_fts_config',
        'knowledge_fts_content',
        'knowledge_fts_data',
        'knowledge_fts_docsize',
        'knowledge_fts_idx',
        'knowledge_state',
        'model_calls',
        'proposals',
        'repositories',
        'risk_models',
        'scans',
        'test_gen_runs',
      ]);
    } finally {
      await store.close();
    }
  });

  it('keeps data across reopen', async () => {
    const file = join(dir, 'beast.db');
    const first = await openStore(file);
    await first.db
      .insertInto('repositories')
      .values({ root: '/r', name: 'r', created_at: new Date().toISOString() })
      .execute();
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await openStore(file);
    try {
      const rows = await second.db.selectFrom('repositories').select('root').execute();
      expect(rows).toEqual([{ root: '/r' }]);
    } finally {
      await second.close();
    }
  });

  it('supports an in-memory store', async () => {
    const store = await openStore(':memory:');
    const rows = await store.db.selectFrom('scans').selectAll().execute();
    expect(rows).toEqual([]);
    await store.close();
  });

  const failures: [string, (dir: string) => Promise<string>, RegExp][] = [
    [
      'the parent path is a file',
      async (d) => {
        await writeFile(join(d, 'plain-file'), 'x');
        return join(d, 'plain-file', 'beast.db');
      },
      /ENOTDIR|EEXIST/,
    ],
    [
      'the file is not a database',
      async (d) => {
        const file = join(d, 'notes.db');
        await writeFile(file, 'this is not a database\n'.repeat(200));
        return file;
      },
      /not a database/,
    ],
    ['the path is a folder', async (d) => d, /unable to open|directory/i],
  ];

  it.each(failures)('throws InputError naming the file when %s', async (_, setup, reason) => {
    const file = await setup(dir);
    const error: unknown = await openStore(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const { message, code, cause } = error as InputError;
    expect(code).toBe('input');
    expect(message).toContain(file);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
    expect(cause).toBeDefined();
  });

  it('refuses a database migrated by a newer version', async () => {
    const file = join(dir, 'beast.db');
    const store = await openStore(file);
    await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', ${new Date().toISOString()})`.execute(
      store.db,
    );
    await store.close();

    await expect(openStore(file)).rejects.toThrow(InputError);
    await expect(openStore(file)).rejects.toThrow(/999-from-the-future/);
  });
});

describe('openStore and what is not a store', () => {
  const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

  it('creates the file, its -wal and -shm owner-only in new owner-only folders, marked as ours', async () => {
    const file = join(dir, 'home', 'data', 'beast.db');
    const store = await openStore(file);
    try {
      await store.db
        .insertInto('repositories')
        .values({ root: '/r', name: 'r', created_at: new Date().toISOString() })
        .execute();
      expect(await readdir(join(dir, 'home', 'data'))).toEqual([
        'beast.db',
        'beast.db-shm',
        'beast.db-wal',
      ]);
      for (const f of ['beast.db', 'beast.db-shm', 'beast.db-wal'])
        expect(await mode(join(dir, 'home', 'data', f))).toBe(0o600);
      expect(await mode(join(dir, 'home'))).toBe(0o700);
      expect(await mode(join(dir, 'home', 'data'))).toBe(0o700);
    } finally {
      await store.close();
    }
    expect((await readFile(file)).readInt32BE(68)).toBe(STORE_APPLICATION_ID);
  });

  it('adopts a store of ours from before the application_id mark', async () => {
    const file = join(dir, 'beast.db');
    await (await openStore(file)).close();
    const raw = new BetterSqlite3(file);
    raw.pragma('application_id = 0');
    raw.close();
    expect((await readFile(file)).readInt32BE(68)).toBe(0);
    await (await openStore(file)).close();
    expect((await readFile(file)).readInt32BE(68)).toBe(STORE_APPLICATION_ID);
  });

  const foreign: [string, (file: string) => void, RegExp][] = [
    [
      "another program's tables (rollback journal)",
      (file) => {
        const db = new BetterSqlite3(file);
        db.exec('create table users (id integer primary key, name text)');
        db.close();
      },
      /not a BEAST MODE store \(it holds other tables: users\)/,
    ],
    [
      "another program's tables (WAL, closed cleanly)",
      (file) => {
        const db = new BetterSqlite3(file);
        db.pragma('journal_mode = WAL');
        db.exec('create table notes (body text); create table tags (name text)');
        db.close();
      },
      /not a BEAST MODE store \(it holds other tables: notes, tags\)/,
    ],
    [
      "another program's application_id",
      (file) => {
        const db = new BetterSqlite3(file);
        db.pragma('application_id = 1234');
        db.close();
      },
      /not a BEAST MODE store \(application_id 0x4d2 is another program's\)/,
    ],
  ];

  it.each(foreign)(
    'refuses a database with %s and leaves it byte-identical',
    async (_, make, reason) => {
      const file = join(dir, 'app.sqlite');
      make(file);
      const before = await readFile(file);
      const listing = await readdir(dir);
      const error: unknown = await openStore(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toContain(`cannot open store ${file}: `);
      expect(await readFile(file)).toEqual(before);
      expect(await readdir(dir)).toEqual(listing);
    },
  );
});

describe('defaultStorePath', () => {
  it('uses BEAST_HOME when set', () => {
    expect(defaultStorePath({ BEAST_HOME: '/srv/beast' })).toBe('/srv/beast/beast.db');
  });

  it('falls back to the platform data folder', () => {
    for (const env of [{}, { BEAST_HOME: '' }]) {
      const path = defaultStorePath(env);
      expect(path).toMatch(/beast-mode[/\\]beast\.db$/);
      expect(path).not.toContain('nodejs');
    }
  });
});
