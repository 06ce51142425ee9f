import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations as allMigrations } from '../src/store/migrations/index.js';
import { getScan, listRepositories, listScans, openStore } from '../src/store/index.js';
import { runReleasedTogether, type ChildResult } from './helpers/processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRITER = join(ROOT, 'test', 'helpers', 'store-writer.ts');
const WRITERS = 4;
const SCANS_PER_WRITER = 20;
const ROOTS = ['/repos/alpha', '/repos/beta'];

/** Starts the writers, releases them together once all are loaded, and waits for them to exit. */
function runWriters(file: string): Promise<ChildResult[]> {
  return runReleasedTogether(
    WRITER,
    Array.from({ length: WRITERS }, (_, worker) => [
      file,
      String(worker),
      String(SCANS_PER_WRITER),
    ]),
  );
}

describe('store shared by concurrent processes', () => {
  let dir: string;
  let file: string;
  let results: ChildResult[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beast-store-concurrency-'));
    // A fresh file, so the writers also race to create and migrate it.
    file = join(dir, 'nested', 'beast.db');
    results = await runWriters(file);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lets every writer finish without SQLITE_BUSY', () => {
    for (const result of results) {
      expect(result.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
      expect(result, result.stderr).toMatchObject({ code: 0 });
    }
  });

  it('keeps all scans, each complete, and an intact database', async () => {
    const reported = results.flatMap((result) => {
      const line = result.stdout.split('\n').find((l) => l.startsWith('{'));
      return line === undefined ? [] : (JSON.parse(line) as { ids: number[] }).ids;
    });
    expect(new Set(reported).size).toBe(WRITERS * SCANS_PER_WRITER);

    const store = await openStore(file);
    try {
      const scans = await store.db.selectFrom('scans').select(['id', 'commit']).execute();
      expect(scans).toHaveLength(WRITERS * SCANS_PER_WRITER);
      expect(scans.map((scan) => scan.id).sort((a, b) => a - b)).toEqual(
        [...reported].sort((a, b) => a - b),
      );
      expect(new Set(scans.map((scan) => scan.commit)).size).toBe(WRITERS * SCANS_PER_WRITER);

      // Scans with identical results share rows: count each scan's findings as the store reads them.
      const perScan = await Promise.all(
        scans.map(async (scan) => (await getScan(store, scan.id))?.findings.length),
      );
      expect(perScan.every((n) => n === 50)).toBe(true);

      const repositories = await listRepositories(store);
      expect(repositories.map((repo) => [repo.root, repo.scans])).toEqual(
        ROOTS.map((root) => [root, (WRITERS * SCANS_PER_WRITER) / ROOTS.length]),
      );
      expect(await listScans(store, ROOTS[0] ?? '', 1000)).toHaveLength(
        (WRITERS * SCANS_PER_WRITER) / ROOTS.length,
      );

      const { rows: migrations } = await sql<{
        name: string;
      }>`select name from kysely_migration`.execute(store.db);
      expect(migrations.map((row) => row.name)).toEqual(Object.keys(allMigrations).sort());

      const { rows: integrity } = await sql<{
        integrity_check: string;
      }>`pragma integrity_check`.execute(store.db);
      expect(integrity).toEqual([{ integrity_check: 'ok' }]);
      const { rows: keys } = await sql`pragma foreign_key_check`.execute(store.db);
      expect(keys).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
