import { describe, expect, it } from 'vitest';
import { createLimiter, createRateLimiter } from './limiter.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it('runs at most max tasks at once, the rest in order', async () => {
  const limit = createLimiter(2);
  const gates = [deferred(), deferred(), deferred()];
  const started: number[] = [];
  const runs = gates.map((gate, i) =>
    limit(async () => {
      started.push(i);
      await gate.promise;
      return i;
    }),
  );
  await Promise.resolve();
  expect(started).toEqual([0, 1]);
  gates[1]?.resolve();
  await runs[1];
  await Promise.resolve();
  expect(started).toEqual([0, 1, 2]);
  gates[0]?.resolve();
  gates[2]?.resolve();
  await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
});

it('lets a waiting task leave on abort without taking a slot', async () => {
  const limit = createLimiter(1);
  const gate = deferred();
  const first = limit(() => gate.promise);
  const controller = new AbortController();
  const second = limit(async () => 'never', controller.signal);
  controller.abort(new Error('cancelled'));
  await expect(second).rejects.toThrow('cancelled');
  gate.resolve();
  await first;
  await expect(limit(async () => 'free')).resolves.toBe('free');
});

describe('createRateLimiter', () => {
  it('spaces call starts by 60 s / requests per minute, in arrival order', async () => {
    let clock = 1_000;
    const waits: number[] = [];
    const limit = createRateLimiter(120, {
      now: () => clock,
      sleep: (ms) => {
        waits.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    await limit();
    await limit();
    await limit();
    expect(waits).toEqual([500, 500]);
    clock += 2_000;
    await limit();
    expect(waits).toEqual([500, 500]);
  });

  it('rejects at once when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(createRateLimiter(1)(controller.signal)).rejects.toThrow('stop');
  });
});
