import { describe, expect, it } from 'vitest';
import { buildReferenceGraph, pageRank } from './graph.js';

describe('buildReferenceGraph', () => {
  it('resolves names through imports, barrels and aliases, and links tests to modules', () => {
    const files = [
      { path: 'src/a.ts', isTest: false, imports: [], exportAliases: [] },
      {
        path: 'src/index.ts',
        isTest: false,
        imports: [
          { specifier: './a.js', names: [{ imported: 'a', local: 'aa' }], typeOnly: false },
        ],
        exportAliases: [],
      },
      {
        path: 'src/b.ts',
        isTest: false,
        imports: [
          { specifier: './index.js', names: [{ imported: 'aa', local: 'x' }], typeOnly: false },
        ],
        exportAliases: [],
      },
      {
        path: 'test/b.test.ts',
        isTest: true,
        imports: [
          {
            specifier: '../src/index.js',
            names: [{ imported: 'aa', local: 'aa' }],
            typeOnly: false,
          },
        ],
        exportAliases: [],
      },
    ];
    const symbols = [
      { id: 1, path: 'src/a.ts', name: 'a', qualifiedName: 'a', references: [] },
      { id: 2, path: 'src/b.ts', name: 'b', qualifiedName: 'b', references: ['x', 'c'] },
      { id: 3, path: 'src/b.ts', name: 'c', qualifiedName: 'c', references: ['unknown'] },
    ];
    const graph = buildReferenceGraph(files, symbols);
    expect(graph.edges).toEqual([
      [2, 1],
      [2, 3],
    ]);
    expect(graph.testLinks).toEqual([
      ['test/b.test.ts', 'src/a.ts'],
      ['test/b.test.ts', 'src/index.ts'],
    ]);
    expect(graph.ranks.get(1)!).toBeGreaterThan(graph.ranks.get(2)!);
  });
});

describe('pageRank', () => {
  it('sums to 1 and follows the personalisation', () => {
    const edges = [
      [1, 2],
      [3, 2],
    ] as const;
    const plain = pageRank([1, 2, 3], edges);
    expect([...plain.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const toward3 = pageRank([1, 2, 3], edges, new Map([[3, 1]]));
    expect(toward3.get(3)!).toBeGreaterThan(toward3.get(1)!);
  });
});
