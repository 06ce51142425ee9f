import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './db.js';
import {
  getTestGenRun,
  latestTestGenRun,
  listTestGenRuns,
  recordTestGenRun,
  type TestGenRunRecord,
} from './test-gen.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

const totals = (covered: number, total: number) => ({
  statements: { covered, total },
  branches: { covered: 1, total: 4 },
  functions: { covered: 1, total: 2 },
  lines: { covered, total },
});

const KEY = 'sk-' + 'a'.repeat(40);

function run(over: Partial<TestGenRunRecord> = {}): TestGenRunRecord {
  return {
    root: '/r',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234.4,
    status: 'delivered',
    reason: undefined,
    branch: 'beast/tests-x',
    baseCommit: 'abc',
    headCommit: 'def',
    runner: 'vitest',
    coverageBefore: totals(4, 10),
    coverageAfter: totals(8, 10),
    funnel: { generated: 3, built: 3, passed: 2, stable: 2, useful: 1, kept: 1 },
    filesKept: 1,
    report: {
      status: 'delivered',
      verdicts: [{ file: 'src/a.test.ts', content: `const key = '${KEY}';`, kept: true }],
      warnings: [`saw ${KEY}`],
    },
    ...over,
  };
}

describe('test generation runs', () => {
  it('records runs and lists them newest first, without reports', async () => {
    expect(await latestTestGenRun(store, '/r')).toBeUndefined();
    const first = await recordTestGenRun(store, run());
    const second = await recordTestGenRun(
      store,
      run({ startedAt: '2026-01-02T00:00:00.000Z', coverageAfter: totals(9, 10) }),
    );
    const list = await listTestGenRuns(store, '/r');
    expect(list.map((r) => r.id)).toEqual([second, first]);
    expect(list[0]).toMatchObject({
      status: 'delivered',
      branch: 'beast/tests-x',
      durationMs: 1234,
      coverageBefore: totals(4, 10),
      coverageAfter: totals(9, 10),
      funnel: { generated: 3, kept: 1 },
      filesKept: 1,
    });
    expect(list[0]).not.toHaveProperty('report');
    expect(await listTestGenRuns(store, '/other')).toEqual([]);
  });

  it('latest skips runs that measured nothing', async () => {
    const measured = await recordTestGenRun(store, run());
    await recordTestGenRun(
      store,
      run({
        startedAt: '2026-01-03T00:00:00.000Z',
        status: 'not-run',
        reason: 'no test runner we can write for',
        branch: undefined,
        headCommit: undefined,
      }),
    );
    expect((await latestTestGenRun(store, '/r'))?.id).toBe(measured);
    expect((await listTestGenRuns(store, '/r'))[0]).toMatchObject({
      status: 'not-run',
      reason: 'no test runner we can write for',
      branch: undefined,
    });
  });

  it('stores the report without file contents or keys', async () => {
    const id = await recordTestGenRun(store, run());
    const detail = await getTestGenRun(store, id);
    expect(detail?.report).toMatchObject({ verdicts: [{ file: 'src/a.test.ts', kept: true }] });
    const raw = await store.db
      .selectFrom('test_gen_runs')
      .select('report')
      .executeTakeFirstOrThrow();
    expect(raw.report).not.toContain('content');
    expect(raw.report).not.toContain(KEY);
    expect(await getTestGenRun(store, id + 1)).toBeUndefined();
  });
});
