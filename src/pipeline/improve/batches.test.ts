import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFailed, validateInBatches, type Verdict } from './batches.js';

interface Change {
  id: number;
  file: string;
  bad: boolean;
}

function changes(count: number, bad: readonly number[], filesPer = 1): Change[] {
  return Array.from({ length: count }, (_, id) => ({
    id,
    file: `f${Math.floor(id / filesPer)}.ts`,
    bad: bad.includes(id),
  }));
}

/** A gate that fails when the trial holds a bad change, optionally naming the bad files. */
async function run(items: Change[], batchSize: number, attribute: boolean) {
  const accepted: number[] = [];
  const rejected: number[] = [];
  const result = await validateInBatches(items, {
    batchSize,
    filesOf: (c) => [c.file],
    validate: (trial): Promise<Verdict> => {
      const bad = trial.filter((c) => c.bad);
      if (bad.length === 0) return Promise.resolve({ ok: true });
      return Promise.resolve({
        ok: false,
        gate: 'tests',
        suspects: attribute ? new Set(bad.map((c) => c.file)) : undefined,
        failures: attribute ? bad.map((c) => new Set([c.file])) : undefined,
      });
    },
    accept: (set) => {
      accepted.push(...set.map((c) => c.id));
      return Promise.resolve();
    },
    reject: (c) => {
      rejected.push(c.id);
    },
  });
  return { ...result, accepted: accepted.sort((a, b) => a - b), rejected };
}

describe('validateInBatches', () => {
  it('isolates one bad change among 16 by bisection', async () => {
    const result = await run(changes(16, [11]), 16, false);
    expect(result.rejected).toEqual([11]);
    expect(result.accepted).toHaveLength(15);
    // The failed batch, one passing half per level of a 16-leaf tree (the other half is then known
    // to fail), and the untouched half next to the culprit's group of four.
    expect(result.validations).toBe(1 + 4 + 1);
  });

  it('needs far fewer validations when failures name their files', async () => {
    const items = changes(40, [3, 17, 25, 38], 4);
    const plain = await run(items, 40, false);
    const attributed = await run(items, 40, true);
    expect(attributed.rejected).toEqual(plain.rejected);
    // The batch, its innocents, two rounds of parallel bisection of four clusters of four, and
    // the halves set aside on the way.
    expect(attributed.validations).toBe(5);
    expect(plain.validations).toBeGreaterThan(attributed.validations);
  });

  it('validates one by one with a batch size of 1', async () => {
    const result = await run(changes(5, [2]), 1, false);
    expect(result.validations).toBe(5);
    expect(result.rejected).toEqual([2]);
  });

  it('accepts exactly the good changes and rejects exactly the bad ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.nat(29), { maxLength: 6 }),
        fc.integer({ min: 1, max: 32 }),
        fc.boolean(),
        async (count, badIds, batchSize, attribute) => {
          const items = changes(count, badIds, 3);
          const result = await run(items, batchSize, attribute);
          const bad = items.filter((c) => c.bad).map((c) => c.id);
          expect(result.rejected.sort((a, b) => a - b)).toEqual(bad);
          expect(result.accepted).toEqual(items.filter((c) => !c.bad).map((c) => c.id));
        },
      ),
    );
  });
});

describe('splitFailed', () => {
  it('separates the changes touching suspect files', () => {
    const items = changes(4, [], 1);
    const [innocent, guilty] = splitFailed(
      items,
      { ok: false, suspects: new Set(['f2.ts']) },
      (c) => [c.file],
    );
    expect(guilty.map((c) => c.id)).toEqual([2]);
    expect(innocent.map((c) => c.id)).toEqual([0, 1, 3]);
  });

  it('halves when the suspects do not narrow anything', () => {
    const items = changes(4, [], 1);
    const [a, b] = splitFailed(items, { ok: false, suspects: new Set(['x.ts']) }, (c) => [c.file]);
    expect([a.length, b.length]).toEqual([2, 2]);
  });
});
