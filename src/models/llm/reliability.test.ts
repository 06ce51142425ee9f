import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/index.js';
import { createCooldowns } from './cooldown.js';
import { DeploymentError, parseRetryAfter } from './errors.js';
import { DEFAULT_RETRY_POLICY, retryDelay, withRetries } from './retry.js';

const retryable = (retryAfterMs?: number) =>
  new DeploymentError('x:y', 'busy', { retryable: true, status: 429, retryAfterMs });
const fatal = new DeploymentError('x:y', 'bad key', { retryable: false, status: 401 });
const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelay', () => {
  it('backs off exponentially with full jitter under a cap', () => {
    const top = () => 0.999999;
    expect([0, 1, 2].map((n) => retryDelay(retryable(), n, policy, top))).toEqual([99, 199, 399]);
    expect(retryDelay(retryable(), 0, policy, () => 0)).toBe(0);
    expect(retryDelay(retryable(), 2, { ...policy, maxDelayMs: 150 }, top)).toBe(149);
  });

  it('waits at least the Retry-After, and moves on when it is longer than the cap', () => {
    expect(retryDelay(retryable(800), 0, policy, () => 0.5)).toBe(800);
    expect(retryDelay(retryable(5000), 0, policy, () => 0.5)).toBeUndefined();
  });

  it('does not retry non-retryable errors, foreign errors or past the limit', () => {
    expect(retryDelay(fatal, 0, policy)).toBeUndefined();
    expect(retryDelay(new Error('bug'), 0, policy)).toBeUndefined();
    expect(retryDelay(retryable(), 3, policy)).toBeUndefined();
    expect(retryDelay(new ProviderError('generic', true), 0, policy, () => 0)).toBe(0);
  });
});

describe('withRetries', () => {
  it('retries retryable failures and returns the first success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw retryable(calls * 10);
        return 'done';
      },
      { policy, random: () => 0, sleep: async (ms) => void waits.push(ms) },
    );
    expect({ result, calls, waits }).toEqual({ result: 'done', calls: 3, waits: [10, 20] });
  });

  it('rethrows a non-retryable failure at once', async () => {
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        throw fatal;
      },
      { sleep: async () => undefined },
    );
    await expect(run).rejects.toBe(fatal);
    expect(calls).toBe(1);
  });

  it('gives up after maxRetries', async () => {
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        throw retryable();
      },
      { sleep: async () => undefined },
    );
    await expect(run).rejects.toBeInstanceOf(DeploymentError);
    expect(calls).toBe(DEFAULT_RETRY_POLICY.maxRetries + 1);
  });
});

describe('createCooldowns', () => {
  it('cools a failing deployment down, then lets it back in after the cooldown', () => {
    let now = 1000;
    const cooldowns = createCooldowns({ cooldownMs: 500, now: () => now });
    cooldowns.recordFailure('a', retryable());
    expect(cooldowns.state('a')).toEqual({ status: 'cooling', failures: 1, until: 1500 });
    now = 1499;
    expect(cooldowns.isCooling('a')).toBe(true);
    now = 1500;
    expect(cooldowns.isCooling('a')).toBe(false);
    cooldowns.recordSuccess('a');
    expect(cooldowns.state('a')).toEqual({ status: 'ready', failures: 0 });
  });

  it('honours a Retry-After longer than the cooldown and a failure threshold', () => {
    const now = 0;
    const cooldowns = createCooldowns({ cooldownMs: 100, failuresToCool: 2, now: () => now });
    cooldowns.recordFailure('a', retryable(5000));
    expect(cooldowns.isCooling('a')).toBe(false);
    cooldowns.recordFailure('a', retryable(5000));
    expect(cooldowns.state('a').until).toBe(5000);
  });

  it('does not cool down for a bad request, which says nothing about the deployment', () => {
    const cooldowns = createCooldowns({ now: () => 0 });
    cooldowns.recordFailure(
      'a',
      new DeploymentError('a', 'bad', { retryable: false, status: 400 }),
    );
    expect(cooldowns.isCooling('a')).toBe(false);
    cooldowns.recordFailure('a', fatal);
    expect(cooldowns.isCooling('a')).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '250', 'retry-after': '3' }, 250],
    [{ 'retry-after': 'Thu, 01 Jan 1970 00:00:10 GMT' }, 9000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('%j -> %s', (headers, ms) => {
    expect(parseRetryAfter(headers, 1000)).toBe(ms);
  });
});
