import { describe, expect, it } from 'vitest';
import { buildImportGraph, findCycles, resolveImport } from './imports.js';

describe('imports', () => {
  const files = new Set(['src/a.ts', 'src/b.tsx', 'src/lib/index.ts', 'src/c.js']);
  it.each([
    ['src/x.ts', './a', 'src/a.ts'],
    ['src/x.ts', './a.js', 'src/a.ts'],
    ['src/x.ts', './b.js', 'src/b.tsx'],
    ['src/x.ts', './lib', 'src/lib/index.ts'],
    ['src/lib/index.ts', '../c.js', 'src/c.js'],
    ['src/x.ts', 'react', undefined],
    ['src/x.ts', './missing', undefined],
  ])('resolves %s imports %s', (from, spec, expected) => {
    expect(resolveImport(from, spec, files)).toBe(expected);
  });

  it('counts fan-in and fan-out and finds cycles of value imports only', () => {
    const graph = buildImportGraph([
      {
        path: 'a.ts',
        imports: [
          { specifier: './b', typeOnly: false },
          { specifier: 'zod', typeOnly: false },
        ],
      },
      { path: 'b.ts', imports: [{ specifier: './c', typeOnly: false }] },
      { path: 'c.ts', imports: [{ specifier: './a', typeOnly: false }] },
      {
        path: 'd.ts',
        imports: [
          { specifier: './a', typeOnly: true },
          { specifier: './e', typeOnly: false },
        ],
      },
      { path: 'e.ts', imports: [{ specifier: './d', typeOnly: false }] },
    ]);
    expect(graph.fanOut.get('a.ts')).toBe(2);
    expect(graph.fanIn.get('a.ts')).toBe(2);
    expect(findCycles(graph.valueEdges)).toEqual([
      ['a.ts', 'b.ts', 'c.ts'],
      ['d.ts', 'e.ts'],
    ]);
  });
});
