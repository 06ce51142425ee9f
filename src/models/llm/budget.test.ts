import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer, type Reply } from '../../../test/helpers/llm-server.js';
import { createLlmClient } from '../providers/client.js';
import {
  BudgetExceededError,
  combineBudgets,
  createBudget,
  maxCostUsd,
  type Budget,
} from './budget.js';
import { createCooldowns } from './cooldown.js';
import { usageOf } from './cost.js';
import { createLlmRouter, type CallEvent } from './router.js';
import type { Deployment } from './types.js';

const request = { system: 'Fix the code. '.repeat(20), prompt: 'Here is the code. '.repeat(20) };
const cheap = { inputPerMillion: 1, outputPerMillion: 2 };
const dear = { inputPerMillion: 100, outputPerMillion: 200 };

describe('createBudget', () => {
  it('reserves the worst case, then charges the real cost', () => {
    const budget = createBudget(1);
    const a = budget.reserve(0.6, 'x:a');
    expect(typeof a).toBe('object');
    expect(budget.reserve(0.5, 'x:b')).toMatch(/more than the \$0.4000 left/);
    if (typeof a === 'object') a.settle(0.1);
    expect(budget.spentUsd()).toBeCloseTo(0.1);
    const b = budget.reserve(0.5, 'x:b');
    if (typeof b === 'object') b.settle(undefined);
    expect(budget.spentUsd()).toBeCloseTo(0.6);
  });

  it('refuses a call whose price is unknown', () => {
    expect(createBudget(100).reserve(undefined, 'custom:free')).toMatch(/price unknown/);
  });
});

describe('combineBudgets', () => {
  it('charges every budget that covers the deployment and releases all when one refuses', () => {
    const run = createBudget(1);
    const openai = createBudget(0.3);
    const budget = combineBudgets([
      { budget: run, covers: () => true },
      { budget: openai, covers: (d) => d.startsWith('openai:') },
    ]);
    const a = budget.reserve(0.2, 'openai:gpt');
    if (typeof a === 'object') a.settle(0.2);
    expect(run.spentUsd()).toBeCloseTo(0.2);
    expect(openai.spentUsd()).toBeCloseTo(0.2);
    // The provider's budget refuses; the run's reservation is given back.
    expect(budget.reserve(0.2, 'openai:gpt')).toMatch(/left of the \$0.3 budget/);
    const b = budget.reserve(0.8, 'custom:local');
    expect(typeof b).toBe('object');
    if (typeof b === 'object') b.settle(0.5);
    expect(run.spentUsd()).toBeCloseTo(0.7);
    expect(openai.spentUsd()).toBeCloseTo(0.2);
  });
});

describe('a router with a budget', () => {
  let servers: LlmServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startLlmServer('openai'), startLlmServer('anthropic')]);
  });
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  const deployments = (): Deployment[] => [
    {
      id: 'custom:dear',
      protocol: 'openai',
      model: 'big',
      baseUrl: servers[0]?.baseUrl,
      apiKeyEnv: 'K',
      price: dear,
      maxOutputTokens: 100,
    },
    {
      id: 'custom:cheap',
      protocol: 'anthropic',
      model: 'small',
      baseUrl: servers[1]?.baseUrl,
      apiKeyEnv: 'K',
      price: cheap,
      maxOutputTokens: 100,
    },
  ];
  const routerFor = (limitUsd: number, budget: Budget = createBudget(limitUsd)) => {
    const clients = deployments().map((d) => createLlmClient(d, { env: { K: 'key-123456' } }));
    const calls: CallEvent[] = [];
    const router = createLlmRouter(clients, {
      budget,
      cooldowns: createCooldowns({ now: () => 0 }),
      sleep: async () => undefined,
      random: () => 0,
      onCall: (call) => calls.push(call),
    });
    return { budget, router, calls };
  };

  it('skips a deployment it cannot afford and stops cleanly when none fits', async () => {
    for (const s of servers) s.reset();
    const [dearOne, cheapOne] = deployments() as [Deployment, Deployment];
    const limit = (maxCostUsd(dearOne, request) ?? 0) / 2;
    const { router, budget } = routerFor(limit);
    await expect(router.complete(request)).resolves.toMatchObject({ deployment: 'custom:cheap' });
    expect(servers[0]?.requests).toHaveLength(0);
    expect(budget.spentUsd()).toBeCloseTo(
      usageOf({ inputTokens: 100, outputTokens: 50 }, cheap).costUsd ?? NaN,
    );

    const tight = routerFor((maxCostUsd(cheapOne, request) ?? 0) / 2);
    await expect(tight.router.complete(request)).rejects.toThrow(BudgetExceededError);
    await expect(tight.router.complete(request)).rejects.toThrow(/budget spent/);
  });

  it('charges a call its reservation when the usage it reports is impossible', async () => {
    for (const s of servers) s.reset();
    const [dearOne] = deployments() as [Deployment, Deployment];
    servers[0]?.enqueue(
      { kind: 'answer', text: 'ok', inputTokens: -5_000_000_000, outputTokens: 50 },
      { kind: 'answer', text: 'ok', inputTokens: 100, outputTokens: 1e12 },
    );
    const reserved = maxCostUsd(dearOne, request) ?? NaN;
    const { router, budget, calls } = routerFor(reserved * 10);
    const first = await router.complete(request);
    await router.complete(request);
    expect(budget.spentUsd()).toBeCloseTo(2 * reserved, 12);
    expect(usageOf(first, dear).costUsd).toBeCloseTo(reserved, 12);
    expect(calls.map((c) => c.costUsd)).toEqual([reserved, reserved]);
    expect(calls[0]?.usageAnomaly).toMatch(/input -5000000000 of at most/);
    expect(calls[1]?.usageAnomaly).toMatch(/output 1000000000000 of at most 100\b/);
  });

  it('charges an unusable 200 body its reservation, but nothing for a call never sent', async () => {
    for (const s of servers) s.reset();
    const [dearOne] = deployments() as [Deployment, Deployment];
    servers[0]?.enqueue({ kind: 'malformed-json' });
    const reserved = maxCostUsd(dearOne, request) ?? NaN;
    const { router, calls } = routerFor(reserved * 10);
    await router.complete(request);
    expect(calls[0]).toMatchObject({ outcome: 'malformed', costUsd: reserved });
    expect(calls[0]?.usageAnomaly).toMatch(/charged the reservation/);

    const keyless = createLlmClient(dearOne, { env: {} });
    const keylessCalls: CallEvent[] = [];
    const bare = createLlmRouter([keyless], {
      budget: createBudget(1),
      onCall: (call) => keylessCalls.push(call),
    });
    await expect(bare.complete(request)).rejects.toThrow(/missing key/);
    expect(keylessCalls).toMatchObject([{ outcome: 'missing-key', costUsd: 0 }]);
  });

  const reply: fc.Arbitrary<Reply> = fc.oneof(
    fc.record({
      kind: fc.constant('answer' as const),
      text: fc.constant('ok'),
      inputTokens: fc.integer({ min: 1, max: 400 }),
      outputTokens: fc.integer({ min: 1, max: 100 }),
    }),
    // A lying provider: usage that is negative, absurd or beyond the request's own limits.
    fc.record({
      kind: fc.constant('answer' as const),
      text: fc.constant('ok'),
      inputTokens: fc.oneof(fc.integer({ min: -1e12, max: -1 }), fc.constant(1e15)),
      outputTokens: fc.oneof(fc.integer({ min: -1e6, max: 1e9 })),
    }),
    fc.constantFrom<Reply>(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 401 },
      { kind: 'malformed-json' },
    ),
  );

  it('never spends more than the budget, and spends exactly what each call is charged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reply, { maxLength: 12 }),
        fc.array(reply, { maxLength: 12 }),
        fc.integer({ min: 0, max: 100_000 }).map((micro) => micro / 1_000_000),
        async (first, second, limit) => {
          servers.forEach((s) => s.reset());
          servers[0]?.enqueue(...first);
          servers[1]?.enqueue(...second);
          const { router, budget, calls } = routerFor(limit);
          const prices = new Map(deployments().map((d) => [d.id, d.price]));
          let answered = 0;
          for (let i = 0; i < 6; i++) {
            const answer = await router.complete(request).catch((e: unknown) => e as Error);
            if (answer instanceof BudgetExceededError) break;
            if (answer instanceof Error) continue;
            answered += usageOf(answer, prices.get(answer.deployment)).costUsd ?? NaN;
          }
          expect(budget.spentUsd()).toBeLessThanOrEqual(limit);
          // Answers cost their usage; an unusable 200 body costs its reservation; errors nothing.
          const reservations = calls
            .filter((c) => c.outcome === 'malformed')
            .reduce((sum, c) => sum + (maxCostUsd(c.deployment, request) ?? NaN), 0);
          expect(budget.spentUsd()).toBeCloseTo(answered + reservations, 12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps a run budget and a provider budget together, and the call ledger matches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reply, { maxLength: 12 }),
        fc.array(reply, { maxLength: 12 }),
        fc.integer({ min: 0, max: 100_000 }).map((micro) => micro / 1_000_000),
        fc.integer({ min: 0, max: 50_000 }).map((micro) => micro / 1_000_000),
        async (first, second, runLimit, dearLimit) => {
          servers.forEach((s) => s.reset());
          servers[0]?.enqueue(...first);
          servers[1]?.enqueue(...second);
          const run = createBudget(runLimit);
          const dear = createBudget(dearLimit);
          const combined = combineBudgets([
            { budget: run, covers: () => true },
            { budget: dear, covers: (d) => d === 'custom:dear' },
          ]);
          const { router, calls } = routerFor(runLimit, combined);
          for (let i = 0; i < 6; i++) {
            const answer = await router.complete(request).catch((e: unknown) => e as Error);
            if (answer instanceof BudgetExceededError) break;
          }
          expect(run.spentUsd()).toBeLessThanOrEqual(runLimit);
          expect(dear.spentUsd()).toBeLessThanOrEqual(dearLimit);
          const ledger = calls.reduce((sum, c) => sum + (c.costUsd ?? NaN), 0);
          expect(run.spentUsd()).toBeCloseTo(ledger, 12);
          const dearCalls = calls.filter((c) => c.deployment.id === 'custom:dear');
          expect(dear.spentUsd()).toBeCloseTo(
            dearCalls.reduce((sum, c) => sum + (c.costUsd ?? NaN), 0),
            12,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
