import { statSync } from 'node:fs';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, ValidationError, writeFileAtomic } from '../core/index.js';
import { failureOf } from './main.js';

/** The error a real SQLite database raises when it cannot grow: SQLITE_FULL. */
async function sqliteFull(): Promise<unknown> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-full-'));
  const db = new BetterSqlite3(path.join(dir, 'small.db'));
  try {
    db.exec('create table t (x text)');
    db.pragma('max_page_count = 3');
    const insert = db.prepare('insert into t values (?)');
    for (;;) insert.run('x'.repeat(2000));
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}

const hasDevFull = ((): boolean => {
  try {
    return statSync('/dev/full').isCharacterDevice();
  } catch {
    return false;
  }
})();

describe('failureOf', () => {
  it('makes a full database exit 3 with one line, not an internal error', async () => {
    const error = await sqliteFull();
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
    expect(failureOf(error)).toEqual({
      code: 3,
      line: 'beast: out of disk space: database or disk is full',
    });
    // As the store wraps it when opening: still the disk, not the input.
    expect(failureOf(new InputError('cannot open store x.db: full', { cause: error }))).toEqual({
      code: 3,
      line: 'beast: out of disk space: cannot open store x.db: full',
    });
  });

  it.skipIf(!hasDevFull)('makes a write to a full disk exit 3 with one line', async () => {
    // Through a link of our own, so that a regression replaces the link, never the device.
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'beast-full-')), 'report.json');
    await symlink('/dev/full', file);
    const error: unknown = await writeFileAtomic(file, 'report\n').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failureOf(error)).toEqual({
      code: 3,
      line: `beast: out of disk space: cannot write ${file}: ENOSPC`,
    });
  });

  it('keeps input and config errors at exit 2 and anything else at exit 3', () => {
    expect(failureOf(new InputError('no such folder: x'))).toEqual({
      code: 2,
      line: 'beast: no such folder: x',
    });
    expect(failureOf(new ConfigError('bad\nsecond line'))).toEqual({
      code: 2,
      line: 'beast: bad',
    });
    expect(failureOf(new ValidationError('odd'))).toEqual({
      code: 3,
      line: 'beast: internal error: validation: odd',
    });
    expect(failureOf(new TypeError('x is undefined'))).toEqual({
      code: 3,
      line: 'beast: internal error: x is undefined',
    });
  });

  it('gives a native module that does not load exit 3 with its cause, not a usage error', () => {
    const cause = Object.assign(
      new Error(
        '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header',
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(failureOf(new Error('loading the store', { cause }))).toEqual({
      code: 3,
      line: 'beast: loading the store: better-sqlite3 does not load: /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header: run `npm rebuild better-sqlite3`',
    });
  });
});
