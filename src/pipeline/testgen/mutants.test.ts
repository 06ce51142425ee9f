import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../fixes/gate/testing.js';
import { applyMutant, chooseMutants, findMutants, withMutant } from './mutants.js';

function mutated(source: string): string[] {
  return findMutants(source, 'a.ts').map((m) => applyMutant(source, m));
}

describe('findMutants', () => {
  it.each([
    ['a === b;', ['a !== b;']],
    ['a !== b;', ['a === b;']],
    ['a < b;', ['a <= b;']],
    ['a >= b;', ['a > b;']],
    ['a + b;', ['a - b;']],
    ['a && b;', ['a || b;']],
    ['x = true;', ['x = false;']],
    ['x = !y;', ['x = y;']],
    ['function f() { return a; }', ['function f() { return undefined; }']],
    ['function f() { return undefined; }', []],
    ['x = 41;', ['x = 42;']],
    ['type T = 1 | true;', []],
    ["import { a } from './a.js';", []],
    ['const o = { 1: 2 };', ['const o = { 1: 3 };']],
    ['a * b;', []],
  ])('%s', (source, expected) => {
    expect(mutated(source)).toEqual(expected);
  });

  it('says where and what', () => {
    const [mutant] = findMutants('const x = 1;\nif (a === b) {}\n', 'a.js').slice(1);
    expect(mutant?.description).toBe('line 2: === → !==');
  });
});

describe('chooseMutants', () => {
  const source = Array.from({ length: 30 }, (_, i) => `x${i} = a < ${i};`).join('\n');
  const all = findMutants(source, 'a.js');

  it('keeps mutants of the given lines only', () => {
    expect(chooseMutants(all, new Set([2])).map((m) => m.line)).toEqual([2, 2]);
  });

  it('chooses at most the maximum, the same every time, spread over the file', () => {
    const chosen = chooseMutants(all, undefined, 12);
    expect(chosen).toHaveLength(12);
    expect(chooseMutants(all, undefined, 12)).toEqual(chosen);
    expect(chosen[0]?.line).toBe(1);
    expect(chosen.at(-1)?.line).toBeGreaterThan(25);
  });
});

describe('withMutant', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.remove();
    fixture = undefined;
  });

  it('writes the mutant while it runs and the original bytes back, also on an error', async () => {
    // A byte-order mark and CRLF line ends: restored byte for byte.
    const original = '\uFEFFexport const f = (a, b) => a === b;\r\n';
    fixture = await createFixture({ 'src/f.js': original }, { nodeModules: false });
    const file = path.join(fixture.root, 'src/f.js');
    const before = await readFile(file);
    const [mutant] = findMutants(original, 'src/f.js');
    if (mutant === undefined) throw new Error('no mutant');
    const seen = await withMutant(fixture.root, 'src/f.js', mutant, () => readFile(file, 'utf8'));
    expect(seen).toContain('a !== b');
    expect((await readFile(file)).equals(before)).toBe(true);
    await expect(
      withMutant(fixture.root, 'src/f.js', mutant, () => Promise.reject(new Error('run failed'))),
    ).rejects.toThrow('run failed');
    expect((await readFile(file)).equals(before)).toBe(true);
  });
});
