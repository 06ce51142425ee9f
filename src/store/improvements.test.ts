import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordQueries } from '../../test/helpers/query-log.js';
import { openStore, type Store } from './db.js';
import {
  acceptanceStats,
  listImproveRuns,
  listProposalOutcomes,
  listProposals,
  proposalKey,
  recordImproveRun,
  rejectedProposalKeys,
  type ImproveRunRecord,
  type ProposalRecord,
} from './improvements.js';

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

function proposal(overrides: Partial<ProposalRecord>): ProposalRecord {
  return {
    model: 'builtin:codemods',
    task: 'fix',
    ruleId: 'prefer-const',
    file: 'src/a.ts',
    line: 1,
    column: 1,
    contentHash: 'h1',
    title: 'Use const',
    status: 'accepted',
    gate: undefined,
    reason: undefined,
    commit: 'abc',
    costUsd: undefined,
    durationMs: 12,
    evidence: { checks: [{ name: 'tests', ok: true }] },
    ...overrides,
  };
}

function run(root: string, proposals: ProposalRecord[], startedAt: string): ImproveRunRecord {
  return {
    root,
    startedAt,
    durationMs: 100,
    status: 'delivered',
    branch: 'beast/improve-x',
    baseCommit: 'base',
    headCommit: 'head',
    scoreBefore: 50,
    scoreAfter: 55,
    validations: 3,
    report: { ok: true },
    proposals,
  };
}

/** A run of '/r' with an accepted and a rejected proposal; returns its id. */
function recordSampleRun(): Promise<number> {
  return recordImproveRun(
    store,
    run(
      '/r',
      [proposal({}), proposal({ status: 'rejected', gate: 'tests', reason: '1 new failure' })],
      '2026-01-01T00:00:00.000Z',
    ),
  );
}

describe('improvement records', () => {
  it('stores runs, proposals and their evidence', async () => {
    const id = await recordSampleRun();
    const [summary] = await listImproveRuns(store, '/r');
    expect(summary).toMatchObject({ id, accepted: 1, rejected: 1, scoreAfter: 55 });
    const stored = await listProposals(store, id);
    expect(stored.map((p) => p.status)).toEqual(['accepted', 'rejected']);
    expect(stored[1]).toMatchObject({ gate: 'tests', reason: '1 new failure', costUsd: undefined });
    expect(stored[0]?.evidence).toEqual({ checks: [{ name: 'tests', ok: true }] });
  });

  it('lists runs and their proposal outcomes without reading reports or evidence', async () => {
    const id = await recordSampleRun();
    const full = await listProposals(store, id);
    const recorded = recordQueries(store);
    expect(await listImproveRuns(recorded.store, '/r')).toEqual([
      {
        id,
        startedAt: '2026-01-01T00:00:00.000Z',
        status: 'delivered',
        branch: 'beast/improve-x',
        scoreBefore: 50,
        scoreAfter: 55,
        accepted: 1,
        rejected: 1,
        validations: 3,
      },
    ]);
    expect(await listProposalOutcomes(recorded.store, id)).toEqual(
      full.map(({ evidence: _evidence, ...outcome }) => outcome),
    );
    expect(recorded.queries).toHaveLength(2);
    for (const sql of recorded.queries) expect(sql).not.toMatch(/"report"|"evidence"|\*/);
  });

  it('remembers rejected proposals on unchanged code only', async () => {
    await recordImproveRun(
      store,
      run('/r', [proposal({ status: 'rejected', line: 3 })], '2026-01-01T00:00:00.000Z'),
    );
    await recordImproveRun(store, run('/other', [proposal({ status: 'rejected' })], '2026-01-02'));
    const keys = await rejectedProposalKeys(store, '/r');
    expect(keys.size).toBe(1);
    const key = {
      model: 'builtin:codemods',
      ruleId: 'prefer-const',
      file: 'src/a.ts',
      line: 3,
      column: 1,
    };
    expect(keys.has(proposalKey({ ...key, contentHash: 'h1' }))).toBe(true);
    expect(keys.has(proposalKey({ ...key, contentHash: 'h2' }))).toBe(false);
  });

  it('computes acceptance rates by model, task kind and rule, ignoring withheld proposals', async () => {
    await recordImproveRun(
      store,
      run(
        '/r',
        [
          proposal({ costUsd: 0.002, durationMs: 100 }),
          proposal({ status: 'rejected', costUsd: 0.004, durationMs: 300 }),
          proposal({ status: 'withheld' }),
          proposal({ model: 'builtin:ts-fixes', ruleId: 'unused-import' }),
          proposal({ task: 'refactor', status: 'rejected', durationMs: 50 }),
        ],
        '2026-01-01T00:00:00.000Z',
      ),
    );
    expect(await acceptanceStats(store, '/r')).toEqual([
      {
        model: 'builtin:codemods',
        task: 'fix',
        ruleId: 'prefer-const',
        proposed: 2,
        accepted: 1,
        rate: 0.5,
        meanCostUsd: 0.003,
        meanDurationMs: 200,
      },
      {
        model: 'builtin:codemods',
        task: 'refactor',
        ruleId: 'prefer-const',
        proposed: 1,
        accepted: 0,
        rate: 0,
        meanCostUsd: undefined,
        meanDurationMs: 50,
      },
      {
        model: 'builtin:ts-fixes',
        task: 'fix',
        ruleId: 'unused-import',
        proposed: 1,
        accepted: 1,
        rate: 1,
        meanCostUsd: undefined,
        meanDurationMs: 12,
      },
    ]);
    expect(await acceptanceStats(store, '/nowhere')).toEqual([]);
  });
});

describe('recordImproveRun and secrets', () => {
  it('scrubs keys from titles, reasons, evidence and the report', async () => {
    const key = 'xoxb-123456789012-abcdefghijkl';
    const leaky = proposal({
      title: `Rotate ${key}`,
      status: 'rejected',
      reason: `unusable answer: ${key}`,
      evidence: { answer: `the key is ${key}` },
    });
    await recordImproveRun(store, {
      ...run('/r', [leaky], '2026-11-24T10:00:00Z'),
      report: { key },
    });
    const rows = await store.db.selectFrom('proposals').selectAll().execute();
    const runs = await store.db.selectFrom('improve_runs').select('report').execute();
    const stored = JSON.stringify([rows, runs]);
    expect(stored).not.toContain(key);
    expect(rows[0]?.title).toBe('Rotate [REDACTED:slack-token]');
    expect(JSON.parse(rows[0]?.evidence ?? '{}')).toEqual({
      answer: 'the key is [REDACTED:slack-token]',
    });
  });
});
