import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './db.js';
import {
  deploymentStats,
  recordModelCalls,
  reserveSpend,
  settleSpend,
  spendOnDay,
  type ModelCallRecord,
} from './model-calls.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(join(await mkdtemp(join(tmpdir(), 'beast-calls-')), 'beast.db'));
});
afterEach(() => store.close());

function call(over: Partial<ModelCallRecord>): ModelCallRecord {
  return {
    at: new Date('2026-11-24T10:00:00Z'),
    model: 'custom:a',
    deployment: 'custom:a',
    provider: 'custom:a',
    outcome: 'ok',
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.01,
    latencyMs: 200,
    ...over,
  };
}

describe('the model-call ledger', () => {
  it('sums spend per UTC day and provider, and counts calls of unknown price apart', async () => {
    await recordModelCalls(store, [
      call({}),
      call({ costUsd: 0.02, provider: 'openai', deployment: 'openai:gpt' }),
      call({ at: new Date('2026-11-23T23:59:59Z') }),
      call({ costUsd: undefined, deployment: 'custom:b', provider: 'custom:b' }),
      call({ outcome: 'server', costUsd: 0, deployment: 'custom:b', provider: 'custom:b' }),
    ]);
    const spend = await spendOnDay(store, '2026-11-24');
    expect(spend.totalUsd).toBeCloseTo(0.03, 10);
    expect(spend.byProvider.get('openai')).toBeCloseTo(0.02, 10);
    expect(spend.byProvider.get('custom:a')).toBeCloseTo(0.01, 10);
    expect(spend.unpriced).toBe(1);
    expect((await spendOnDay(store, '2026-11-23')).totalUsd).toBeCloseTo(0.01, 10);
  });

  it('never lets a negative cost make room under a daily budget, and counts usage anomalies', async () => {
    await recordModelCalls(store, [
      call({ costUsd: -33_000_000 }),
      call({ costUsd: 0.04, usageAnomaly: 'impossible token usage reported' }),
    ]);
    expect((await spendOnDay(store, '2026-11-24')).totalUsd).toBeCloseTo(0.04, 10);
    const refused = await reserveSpend(store, { ...call({}), maxUsd: 0.02 }, { perDayUsd: 0.05 });
    expect(refused).toMatch(/\$0.0400 of the \$0.05 daily budget/);
    const [stats] = await deploymentStats(store);
    expect(stats?.usageAnomalies).toBe(1);
  });

  it('scrubs keys from the errors it records', async () => {
    await recordModelCalls(store, [
      call({ outcome: 'auth', error: 'HTTP 401: invalid key sk-proj-abcdefghijklmnopqrstuvwxyz' }),
    ]);
    const rows = await store.db.selectFrom('model_calls').select('error').execute();
    expect(rows[0]?.error).toBe('HTTP 401: invalid key [REDACTED:openai-key]');
  });

  it('reports per deployment the calls, failures, spend, latency and the failure streak', async () => {
    await recordModelCalls(store, [
      call({ latencyMs: 100 }),
      call({ outcome: 'server', costUsd: 0, latencyMs: 300, at: new Date('2026-11-24T10:01:00Z') }),
      call({
        outcome: 'timeout',
        costUsd: 0,
        latencyMs: 500,
        at: new Date('2026-11-24T10:02:00Z'),
      }),
    ]);
    const [stats] = await deploymentStats(store);
    expect(stats).toMatchObject({
      deployment: 'custom:a',
      calls: 3,
      failures: 2,
      unpriced: 0,
      meanLatencyMs: 300,
      recentFailures: [
        { at: '2026-11-24T10:02:00.000Z', outcome: 'timeout' },
        { at: '2026-11-24T10:01:00.000Z', outcome: 'server' },
      ],
    });
    expect(stats?.costUsd).toBeCloseTo(0.01, 10);
  });

  it('reserves under the daily and provider limits, counting reservations, and settles them', async () => {
    const at = new Date('2026-11-24T10:00:00Z');
    await recordModelCalls(store, [call({ costUsd: 0.4, provider: 'openai' })]);
    const base = { at, model: 'custom:a', deployment: 'custom:a', provider: 'custom:a' };
    const first = await reserveSpend(store, { ...base, maxUsd: 0.5 }, { perDayUsd: 1 });
    expect(typeof first).toBe('number');
    // 0.4 spent and 0.5 reserved: another 0.2 does not fit the day.
    expect(await reserveSpend(store, { ...base, maxUsd: 0.2 }, { perDayUsd: 1 })).toMatch(
      /\$0\.9000 of the \$1 daily budget is spent or reserved/,
    );
    // Nor a call of unknown price, which no limit can vouch for.
    expect(await reserveSpend(store, { ...base, maxUsd: undefined }, { perDayUsd: 1 })).toMatch(
      /price unknown/,
    );
    await settleSpend(store, first as number, { outcome: 'ok', costUsd: 0.1, latencyMs: 50 });
    expect((await spendOnDay(store, '2026-11-24')).totalUsd).toBeCloseTo(0.5, 10);
    // The provider's own limit counts only its calls.
    const openai = { ...base, deployment: 'openai:gpt', provider: 'openai' };
    expect(
      await reserveSpend(store, { ...openai, maxUsd: 0.2 }, { perProviderPerDayUsd: 0.5 }),
    ).toMatch(/openai's \$0.5 daily budget/);
    expect(
      typeof (await reserveSpend(store, { ...base, maxUsd: 0.2 }, { perProviderPerDayUsd: 0.5 })),
    ).toBe('number');
    // The recorded call and the settled one are measured; the reservation still in flight is not.
    const stats = await deploymentStats(store);
    expect(stats.find((s) => s.deployment === 'custom:a')?.calls).toBe(2);
  });
});
