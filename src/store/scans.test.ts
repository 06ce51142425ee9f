import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { InputError } from '../core/index.js';
import { createScanReport } from '../../test/helpers/store-report.js';
import type { Store } from './db.js';
import { openStore } from './db.js';
import {
  getScan,
  latestScan,
  listRepositories,
  listScans,
  recordScan,
  scoreTrend,
} from './scans.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beast-store-'));
  store = await openStore(join(dir, 'beast.db'));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const ROOT = '/work/repos/demo';

function at(day: number): string {
  return new Date(Date.UTC(2025, 0, day, 12)).toISOString();
}

describe('recordScan and latestScan', () => {
  it('reads back what was recorded', async () => {
    const report = createScanReport({ root: ROOT, files: 5, findingsPerFile: 3, hotspots: 2 });
    const id = await recordScan(store, report);
    const stored = await latestScan(store, ROOT);

    expect(stored?.scan).toEqual({
      id,
      root: ROOT,
      commit: report.repo.commit,
      branch: report.repo.branch,
      dirty: true,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      since: undefined,
      score: report.score,
      files: 5,
      findings: 15,
      debtMinutes: report.summary.debtMinutes,
      toolVersion: '0.1.0',
      gatePassed: false,
    });
    expect(stored?.findings).toEqual(report.findings);
    expect(stored?.hotspots).toEqual(report.hotspots);
    expect(stored?.files).toEqual(
      report.files.map(({ functions: _, imports: _imports, score, ...file }) => ({
        ...file,
        score: score.score,
        grade: score.grade,
      })),
    );
    expect(stored?.files.filter((file) => file.parseError !== undefined)).toHaveLength(1);
    expect(await getScan(store, id)).toEqual(stored);
  });

  it('keeps the kind of each file, and reads a file recorded without one as source', async () => {
    const report = createScanReport({ root: ROOT, files: 3, findingsPerFile: 1, hotspots: 0 });
    report.files[1]!.kind = 'test';
    report.files[2]!.kind = 'fixture';
    delete report.files[0]!.kind;
    await recordScan(store, report);
    const stored = await latestScan(store, ROOT);
    expect(stored?.files.map((f) => f.kind)).toEqual(['source', 'test', 'fixture']);
  });

  it('keeps absent optional values absent', async () => {
    const report = createScanReport({ commit: undefined, files: 0, hotspots: 0 });
    report.repo.branch = undefined;
    report.since = 'origin/main';
    report.gate.passed = true;
    const id = await recordScan(store, report);
    const stored = await getScan(store, id);
    expect(stored?.scan).toMatchObject({
      commit: undefined,
      branch: undefined,
      since: 'origin/main',
      gatePassed: true,
    });
    expect(stored).toMatchObject({ files: [], findings: [], hotspots: [] });
    expect(stored?.scan.hotspotsUnavailable).toBeUndefined();
  });

  it('keeps why hotspots were not computed, so an empty list is not read as "none"', async () => {
    const report = createScanReport({ root: ROOT, hotspots: 0 });
    report.hotspotsUnavailable = 'shallow clone (git fetch --unshallow to get history)';
    const stored = await getScan(store, await recordScan(store, report));
    expect(stored?.hotspots).toEqual([]);
    expect(stored?.scan.hotspotsUnavailable).toBe(report.hotspotsUnavailable);
  });

  it('leaves new-code (--since) scans out of the latest scan and the trend', async () => {
    const full = createScanReport({ root: '/repo/since' });
    const fullId = await recordScan(store, full);
    const partial = createScanReport({ root: '/repo/since' });
    partial.since = 'main';
    partial.startedAt = new Date(Date.parse(full.startedAt) + 60_000).toISOString();
    await recordScan(store, partial);
    expect((await latestScan(store, '/repo/since'))?.scan.id).toBe(fullId);
    expect((await scoreTrend(store, '/repo/since', 10)).map((p) => p.scanId)).toEqual([fullId]);
  });

  it('shares the rows of an identical earlier result instead of copying them', async () => {
    const first = createScanReport({ root: ROOT, files: 4, findingsPerFile: 2, hotspots: 1 });
    const firstId = await recordScan(store, first);
    const again = createScanReport({ root: ROOT, files: 4, findingsPerFile: 2, hotspots: 1 });
    again.startedAt = at(20);
    const againId = await recordScan(store, again);
    const changed = createScanReport({ root: ROOT, files: 4, findingsPerFile: 2, hotspots: 1 });
    changed.findings[0]!.message = 'another message';
    const changedId = await recordScan(store, changed);
    const elsewhereId = await recordScan(store, createScanReport({ root: '/other', files: 4 }));

    const rowsPerScan = await store.db
      .selectFrom('findings')
      .select(({ fn }) => ['scan_id', fn.countAll<number>().as('n')])
      .groupBy('scan_id')
      .orderBy('scan_id')
      .execute();
    expect(rowsPerScan).toEqual([
      { scan_id: firstId, n: 8 },
      { scan_id: changedId, n: 8 },
      { scan_id: elsewhereId, n: 8 },
    ]);
    const stored = await getScan(store, againId);
    expect(stored?.scan).toMatchObject({ id: againId, startedAt: at(20), findings: 8 });
    expect(stored?.findings).toEqual(again.findings);
    expect(stored?.files).toEqual((await getScan(store, firstId))?.files);
    expect(stored?.hotspots).toEqual(again.hotspots);
    expect((await getScan(store, changedId))?.findings).toEqual(changed.findings);
    expect((await latestScan(store, ROOT))?.scan.id).toBe(againId);
    // The rows' owner cannot be deleted from under the scans that share them.
    await expect(store.db.deleteFrom('scans').where('id', '=', firstId).execute()).rejects.toThrow(
      /FOREIGN KEY/,
    );
  });

  it('returns undefined for unknown roots and scans', async () => {
    expect(await latestScan(store, '/nowhere')).toBeUndefined();
    expect(await getScan(store, 42)).toBeUndefined();
    expect(await listScans(store, '/nowhere', 10)).toEqual([]);
    expect(await scoreTrend(store, '/nowhere', 10)).toEqual([]);
  });

  it('records nothing when any row fails', async () => {
    const report = createScanReport({ root: ROOT, files: 2 });
    // A null in a NOT NULL column fails the findings insert after the scan row was written.
    (report.findings[1] as unknown as Record<string, unknown>)['message'] = null;
    await expect(recordScan(store, report)).rejects.toThrow(/NOT NULL/);
    expect(await store.db.selectFrom('scans').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('file_results').selectAll().execute()).toEqual([]);
  });

  it('rejects an unparseable startedAt with InputError', async () => {
    const report = createScanReport({ startedAt: 'yesterday-ish' });
    await expect(recordScan(store, report)).rejects.toThrow(InputError);
  });

  it('stores startedAt as UTC so that text order is time order', async () => {
    await recordScan(
      store,
      createScanReport({ root: ROOT, startedAt: '2025-03-01T09:00:00+02:00' }),
    );
    expect((await listScans(store, ROOT, 1))[0]?.startedAt).toBe('2025-03-01T07:00:00.000Z');
  });

  it('records a 5,000-file, 50,000-finding scan quickly', async () => {
    const report = createScanReport({ root: ROOT, files: 5000, findingsPerFile: 10, hotspots: 50 });
    const started = performance.now();
    const id = await recordScan(store, report);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5000);

    const stored = await getScan(store, id);
    expect(stored?.files).toHaveLength(5000);
    expect(stored?.findings).toHaveLength(50_000);
    expect(stored?.findings.at(-1)).toEqual(report.findings.at(-1));
    expect(stored?.hotspots).toHaveLength(50);
  });
});

describe('history', () => {
  async function record(day: number, score: number, root = ROOT): Promise<number> {
    return recordScan(
      store,
      createScanReport({ root, startedAt: at(day), score, commit: `c${day}` }),
    );
  }

  it('lists scans newest first, up to the limit, per repository', async () => {
    // Recorded out of time order on purpose.
    const third = await record(3, 70);
    const first = await record(1, 50);
    const second = await record(2, 60);
    await record(9, 99, '/work/repos/other');

    const all = await listScans(store, ROOT, 10);
    expect(all.map((scan) => scan.scanId)).toEqual([third, second, first]);
    expect(all[0]).toEqual({
      scanId: third,
      startedAt: at(3),
      commit: 'c3',
      score: 70,
      grade: 'C',
      findings: 6,
      files: 3,
    });
    expect((await listScans(store, ROOT, 2)).map((scan) => scan.scanId)).toEqual([third, second]);
    expect((await latestScan(store, ROOT))?.scan.id).toBe(third);
  });

  it('breaks ties on startedAt by recording order', async () => {
    const a = await record(5, 10);
    const b = await record(5, 20);
    expect((await listScans(store, ROOT, 5)).map((scan) => scan.scanId)).toEqual([b, a]);
  });

  it('gives the trend of the newest scans, oldest first', async () => {
    for (const [day, score] of [
      [4, 80],
      [1, 50],
      [3, 70],
      [2, 60],
    ] as const) {
      await record(day, score);
    }
    const trend = await scoreTrend(store, ROOT, 3);
    expect(trend.map((point) => [point.startedAt, point.score, point.commit])).toEqual([
      [at(2), 60, 'c2'],
      [at(3), 70, 'c3'],
      [at(4), 80, 'c4'],
    ]);
    expect(trend[2]).toEqual({
      scanId: expect.any(Number),
      startedAt: at(4),
      commit: 'c4',
      score: 80,
      grade: 'B',
    });
  });

  it('lists repositories with their scan counts', async () => {
    expect(await listRepositories(store)).toEqual([]);
    await record(1, 50);
    await record(2, 60);
    await record(3, 70, '/work/repos/other');
    const repos = await listRepositories(store);
    expect(
      repos.map(({ root, name, scans, lastScanAt }) => ({ root, name, scans, lastScanAt })),
    ).toEqual([
      { root: '/work/repos/demo', name: 'demo', scans: 2, lastScanAt: at(2) },
      { root: '/work/repos/other', name: 'other', scans: 1, lastScanAt: at(3) },
    ]);
    expect(repos[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('deletes a scan’s rows with it (foreign keys are on)', async () => {
    const id = await record(1, 50);
    await store.db.deleteFrom('scans').where('id', '=', id).execute();
    expect(await store.db.selectFrom('findings').selectAll().execute()).toEqual([]);
    await expect(
      store.db
        .insertInto('findings')
        .values({ ...findingColumns(createScanReport().findings[0]), scan_id: 12345 })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});

function findingColumns(finding: Finding | undefined) {
  if (finding === undefined) throw new Error('fixture has no findings');
  return {
    rule_id: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    file: finding.file,
    line: 1,
    column: 1,
    end_line: 1,
    end_column: 2,
    message: finding.message,
    effort_minutes: 1,
    fixability: finding.fixability,
  };
}
