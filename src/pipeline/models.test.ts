import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelsConfig } from '../core/index.js';
import {
  COOLING_FAILURES,
  coolsDown,
  DeploymentError,
  failureKind,
  type Deployment,
} from '../models/index.js';
import { openStore, recordModelCalls, type Store } from '../store/index.js';
import { modelIds, providerOf, providerThrottle, setupModels } from './models.js';

const deployment = (id: string): Deployment => ({ id, protocol: 'openai', model: 'm' });

let store: Store;
beforeEach(async () => {
  store = await openStore(path.join(await mkdtemp(path.join(tmpdir(), 'beast-models-')), 'db'));
});
afterEach(() => store.close());

const config: ModelsConfig = {
  custom: {
    local: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', apiKeyEnv: 'LOCAL_KEY' },
    open: {
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'n',
      price: { inputPerMillion: 1, outputPerMillion: 1 },
    },
  },
};

/** Whether the next run starts with custom:open cooling down after a call that ended in `outcome`. */
async function coolingAfter(outcome: string): Promise<boolean> {
  await recordModelCalls(store, [
    {
      at: new Date(),
      model: 'custom:open',
      deployment: 'custom:open',
      provider: 'custom:open',
      outcome,
      costUsd: 0,
      latencyMs: 1,
    },
  ]);
  const setup = await setupModels({
    config: { ...config, cooldownSeconds: 86_400 },
    env: {},
    store,
  });
  try {
    return setup.cooldowns.isCooling('custom:open');
  } finally {
    await setup.close();
  }
}

describe('model setup', () => {
  it('names providers and picks the ids: --model, then models.use, then built-ins and custom', () => {
    expect(providerOf('openai:gpt-4o')).toBe('openai');
    expect(providerOf('custom:local')).toBe('custom:local');
    expect(modelIds(config)).toEqual([
      'builtin:codemods',
      'builtin:ts-fixes',
      'custom:local',
      'custom:open',
    ]);
    expect(modelIds({ ...config, use: ['custom:open'] })).toEqual(['custom:open']);
    expect(modelIds(config, ['builtin:codemods'])).toEqual(['builtin:codemods']);
  });

  it('gives test tasks builtin:testgen first, then the LLMs the config would use', () => {
    expect(modelIds(config, undefined, 'test')).toEqual([
      'builtin:testgen',
      'custom:local',
      'custom:open',
    ]);
    expect(modelIds({ ...config, use: ['builtin:codemods', 'custom:open'] }, [], 'test')).toEqual([
      'builtin:testgen',
      'custom:open',
    ]);
    expect(modelIds(config, ['custom:open'], 'test')).toEqual(['custom:open']);
  });

  it('leaves out a default model without its key, but refuses one asked for by name', async () => {
    const setup = await setupModels({ config, env: {}, store });
    expect(setup.models.map((m) => m.id)).toEqual([
      'builtin:codemods',
      'builtin:ts-fixes',
      'custom:open',
    ]);
    expect(setup.warnings).toEqual([
      'custom:local left out: no API key (custom:local (LOCAL_KEY))',
    ]);
    await setup.close();
    await expect(
      setupModels({ config, env: {}, store, override: ['custom:local'] }),
    ).rejects.toThrow('custom:local has no API key: set custom:local (LOCAL_KEY)');
  });

  it('keeps the daily limits in the shared ledger, or in memory when there is no store', async () => {
    const limits = { ...config, budget: { perDayUsd: 1, perRunUsd: 2 } };
    const shared = await setupModels({ config: limits, env: {}, store });
    // With a store the run's own budget is local; the daily one is checked in the ledger.
    expect(typeof shared.budget?.reserve(1.5, 'custom:open')).toBe('object');
    await shared.close();
    const alone = await setupModels({ config: limits, env: {} });
    expect(alone.budget?.reserve(1.5, 'custom:open')).toMatch(/left of the \$1 budget/);
    await alone.close();
  });

  it('keeps a deployment that failed recently cooling down in the next run', async () => {
    expect(await coolingAfter('server')).toBe(true);
  });
});

describe('cooldowns carried over from the ledger', () => {
  it('count exactly the failures that cool a deployment in the router', () => {
    const cases: [number | undefined, boolean][] = [
      [400, false],
      [401, false],
      [403, false],
      [404, false],
      [408, true],
      [409, true],
      [429, true],
      [500, true],
      [503, true],
      [undefined, true],
      [undefined, false],
    ];
    for (const [status, retryable] of cases) {
      const error = new DeploymentError('custom:x', 'failed', {
        retryable: status === undefined ? retryable : retryable || status >= 408,
        ...(status !== undefined ? { status } : {}),
      });
      expect(COOLING_FAILURES.has(failureKind(error)), `${status} ${retryable}`).toBe(
        coolsDown(error),
      );
    }
  });

  it('ignore a recent failure that says nothing about the deployment', async () => {
    expect(await coolingAfter('malformed')).toBe(false);
  });
});

describe('providerThrottle', () => {
  it('holds a provider to its concurrency limit and leaves others alone', async () => {
    const throttle = providerThrottle({ rateLimits: { 'custom:slow': { maxConcurrency: 1 } } });
    expect(throttle).toBeDefined();
    let inFlight = 0;
    let most = 0;
    const call = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return 'ok';
    };
    await Promise.all([1, 2, 3].map(() => throttle!(deployment('custom:slow'), call, undefined)));
    expect(most).toBe(1);
    most = 0;
    await Promise.all([1, 2, 3].map(() => throttle!(deployment('custom:fast'), call, undefined)));
    expect(most).toBe(3);
    expect(providerThrottle({})).toBeUndefined();
  });
});
