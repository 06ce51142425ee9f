import { describe, expect, it } from 'vitest';
import type { FileCoverage } from '../../fixes/index.js';
import { raisesCoverage } from './gate.js';

function coverage(
  uncoveredLines: number[],
  uncoveredBranches: FileCoverage['uncoveredBranches'],
  counts: { lines: number; branches: number } = { lines: 10, branches: 4 },
): FileCoverage {
  const of = (covered: number) => ({ covered, total: 20 });
  return {
    file: 'src/a.js',
    statements: of(counts.lines),
    branches: of(counts.branches),
    functions: of(1),
    lines: of(counts.lines),
    uncoveredLines,
    uncoveredFunctions: [],
    uncoveredBranches,
  };
}

const ARM = { line: 7, type: 'if', arm: 0 };

describe('raisesCoverage', () => {
  it.each([
    ['a line the suite left uncovered now runs', coverage([2, 3], []), coverage([3], []), true],
    ['a branch arm now taken', coverage([], [ARM]), coverage([], []), true],
    ['the same lines and arms', coverage([2], [ARM]), coverage([2], [ARM]), false],
    [
      // V8 block coverage counts another branch without covering anything new.
      'a higher count alone',
      coverage([2], [ARM], { lines: 10, branches: 4 }),
      coverage([2], [ARM], { lines: 10, branches: 5 }),
      false,
    ],
  ])('%s', (_, before, after, expected) => {
    expect(raisesCoverage(before, after)).toBe(expected);
  });

  it('counts any coverage of a target the suite never loaded', () => {
    expect(raisesCoverage(undefined, coverage([], [], { lines: 1, branches: 0 }))).toBe(true);
    expect(raisesCoverage(undefined, coverage([1], [], { lines: 0, branches: 0 }))).toBe(false);
  });
});
