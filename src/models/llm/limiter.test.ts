import { expect, it } from 'vitest';
import { createLimiter } from './limiter.js';

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
