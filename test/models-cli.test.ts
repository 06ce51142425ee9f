import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../src/pipeline/index.js';
import { openStore, recordModelCalls } from '../src/store/index.js';
import { beast, makeRepo } from './helpers/repo.js';

describe('beast models', () => {
  it('shows each model with its state and measured stats', async () => {
    const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({
      baseUrl: `http://127.0.0.1:9/${name}/v1`,
      model: `${name}-model`,
      ...extra,
    });
    const repo = await makeRepo({
      'beast.config.json': JSON.stringify({
        models: {
          use: ['builtin:codemods', 'custom:keyless', 'custom:flaky', 'custom:spent'],
          custom: {
            keyless: endpoint('keyless', { apiKeyEnv: 'KEYLESS_KEY' }),
            flaky: endpoint('flaky', { price: { inputPerMillion: 1, outputPerMillion: 2 } }),
            spent: endpoint('spent', { price: { inputPerMillion: 1, outputPerMillion: 2 } }),
          },
          budget: { perProviderPerDayUsd: { 'custom:spent': 0.05 } },
          // A day, so the failure recorded below is still cooling however slow this machine is.
          cooldownSeconds: 86_400,
        },
      }),
    });
    const home = await mkdtemp(path.join(tmpdir(), 'beast-models-'));
    const db = path.join(home, 'beast.db');
    const store = await openStore(db);
    const now = new Date();
    await recordModelCalls(store, [
      {
        at: now,
        model: 'custom:flaky',
        deployment: 'custom:flaky',
        provider: 'custom:flaky',
        outcome: 'ok',
        inputTokens: 1000,
        outputTokens: 100,
        costUsd: 0.0012,
        latencyMs: 800,
      },
      {
        at: now,
        model: 'custom:flaky',
        deployment: 'custom:flaky',
        provider: 'custom:flaky',
        outcome: 'server',
        costUsd: 0,
        latencyMs: 200,
      },
      {
        at: now,
        model: 'custom:spent',
        deployment: 'custom:spent',
        provider: 'custom:spent',
        outcome: 'ok',
        costUsd: 0.06,
        latencyMs: 1000,
      },
    ]);
    await store.close();

    const result = beast(['models', repo, '--json', '--db', db]);
    expect(result.stderr).toBe('');
    const statuses = JSON.parse(result.stdout) as ModelStatus[];
    const byId = new Map(statuses.map((s) => [s.id, s]));
    expect(statuses.map((s) => [s.id, s.state])).toEqual([
      ['builtin:codemods', 'ready'],
      ['custom:keyless', 'missing key'],
      ['custom:flaky', 'cooling down'],
      ['custom:spent', 'over budget'],
    ]);
    expect(byId.get('custom:keyless')?.detail).toBe('set custom:keyless (KEYLESS_KEY)');
    expect(byId.get('custom:flaky')?.deployments[0]).toMatchObject({
      calls: 2,
      failures: 1,
      costUsd: 0.0012,
      meanLatencyMs: 500,
    });
    expect(byId.get('custom:spent')?.detail).toBe('daily budget of custom:spent spent');

    const table = beast(['models', repo, '--db', db]).stdout;
    expect(table).toMatch(/custom:flaky\s+cooling down/);
    expect(table).toContain('custom:flaky: $1/$2 per M tokens, 2 calls, 1 failed');
  });
});
