import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import { exploreModule } from './explore.js';
import type { Exploration, ObservedCall } from './types.js';

/** Real child processes on a fixture repository's modules. */
let fixture: Fixture;

beforeAll(async () => {
  fixture = await createFixture({
    'package.json': { name: 'fixture', type: 'module' },
    'src/speed.js': [
      'export function speed(mode, n) {',
      "  if (mode === 'fast') {",
      "    return 'F';",
      '  }',
      '  if (n > 100) {',
      "    return 'big';",
      '  }',
      "  return 'slow';",
      '}',
      '',
    ].join('\n'),
    'src/counter.js': [
      'export class Counter {',
      '  constructor(start) {',
      '    this.n = typeof start === "number" ? start : 0;',
      '  }',
      '  inc() {',
      '    this.n += 1;',
      '    return this.n;',
      '  }',
      '  level() {',
      '    if (this.n >= 2) {',
      "      return 'many';",
      '    }',
      "    return 'few';",
      '  }',
      '}',
      '',
    ].join('\n'),
    'src/async.js': [
      'export async function fetchName(id) {',
      '  if (id === 42) {',
      "    return 'answer';",
      '  }',
      "  throw new RangeError('unknown id ' + id);",
      '}',
      '',
    ].join('\n'),
    'src/broken.js': "export const x = 1;\nthrow new Error('cannot start here');\n",
    'src/hang.js': [
      'export function spin(x) {',
      "  if (x === 'loop') {",
      '    for (;;) {}',
      '  }',
      '  return x;',
      '}',
      'export function double(n) {',
      '  if (n > 3) {',
      '    return n * 2;',
      '  }',
      '  return n;',
      '}',
      '',
    ].join('\n'),
    'src/quit.js': [
      'export function quit(code) {',
      '  if (code === 7) {',
      '    process.exit(2);',
      '  }',
      '  return code;',
      '}',
      '',
    ].join('\n'),
    'src/clock.js': [
      'export function stamp() {',
      '  return Date.now() + Math.random();',
      '}',
      'export function pure(a) {',
      '  return a === 1 ? 2 : 3;',
      '}',
      '',
    ].join('\n'),
    'lib/package.json': { type: 'commonjs' },
    'lib/pad.js': [
      "'use strict';",
      'function pad(s, n) {',
      "  if (typeof s !== 'string') {",
      "    throw new TypeError('s must be a string');",
      '  }',
      "  return s.length < n ? ' '.repeat(n - s.length) + s : s;",
      '}',
      'module.exports = { pad };',
      '',
    ].join('\n'),
    'ts/shape.ts': [
      "import { twice } from './util.js';",
      '',
      'interface Options {',
      '  verbose: boolean;',
      "  unit: 'cm' | 'in';",
      '}',
      '',
      'export function area(width: number, height: number, options?: Options): string {',
      '  const a: number = twice(width * height) / 2;',
      "  if (options?.unit === 'in') {",
      '    return `${a} in`;',
      '  }',
      '  return `${a} cm`;',
      '}',
      '',
    ].join('\n'),
    'ts/util.ts': 'export const twice = (n: number): number => n * 2;\n',
  });
});

afterAll(async () => {
  await fixture.remove();
});

function explore(file: string, extra: { callTimeoutMs?: number } = {}): Promise<Exploration> {
  return exploreModule({
    root: fixture.root,
    file,
    timeoutMs: 60_000,
    maxCalls: 600,
    seed: 7,
    ...extra,
  });
}

function callsOf(exploration: Exploration, exportName: string): ObservedCall[] {
  return exploration.calls.filter((c) => c.call.exportName === exportName);
}

function returns(call: ObservedCall): string | undefined {
  return call.outcome.kind === 'return' ? call.outcome.value : undefined;
}

describe('exploreModule', () => {
  it('reaches both arms of branches that need literals from the code (ESM)', async () => {
    const result = await explore('src/speed.js');
    const values = callsOf(result, 'speed').map(returns);
    expect(values).toEqual(expect.arrayContaining(['"F"', '"big"', '"slow"']));
    // Every key of the file: both arms of both ifs and each return.
    expect(result.coveredKeys).toBe(result.totalKeys);
    expect(result.totalKeys).toBeGreaterThanOrEqual(8);
    const keys = new Set(result.calls.flatMap((c) => c.keys));
    expect([...keys].filter((k) => k.startsWith('b:2:'))).toHaveLength(2);
    expect([...keys].filter((k) => k.startsWith('b:5:'))).toHaveLength(2);
    expect(result.file).toBe('src/speed.js');
    expect(result.tried).toBeGreaterThanOrEqual(result.calls.length);
    expect(result.calls.every((c) => c.deterministic)).toBe(true);
  });

  it('calls method sequences on instances of an exported class', async () => {
    const result = await explore('src/counter.js');
    const levels = callsOf(result, 'Counter').filter((c) => c.call.member === 'level');
    expect(levels.map(returns)).toEqual(expect.arrayContaining(['"many"', '"few"']));
    const many = levels.find((c) => returns(c) === '"many"')!;
    // `many` needs a start of 2 or more, or inc() calls before.
    expect(many.call.kind).toBe('method');
    expect(many.call.constructorArgs).toBeDefined();
    expect(result.coveredKeys).toBe(result.totalKeys);
  });

  it('awaits promises: a resolving and a rejecting call', async () => {
    const result = await explore('src/async.js');
    const outcomes = callsOf(result, 'fetchName').map((c) => c.outcome);
    expect(outcomes).toContainEqual({
      kind: 'return',
      value: '"answer"',
      typeOf: 'string',
      async: true,
    });
    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: 'throw', name: 'RangeError', async: true }),
    );
  });

  it('loads CommonJS modules with require', async () => {
    const result = await explore('lib/pad.js');
    const outcomes = callsOf(result, 'pad').map((c) => c.outcome);
    expect(outcomes).toContainEqual({
      kind: 'throw',
      name: 'TypeError',
      message: 's must be a string',
      async: false,
    });
    expect(outcomes.some((o) => o.kind === 'return' && o.typeOf === 'string')).toBe(true);
    expect(result.coveredKeys).toBe(result.totalKeys);
  });

  it('runs TypeScript, resolving .js specifiers to .ts files, keyed by the original lines', async () => {
    const result = await explore('ts/shape.ts');
    const values = callsOf(result, 'area').map(returns);
    expect(values.some((v) => v?.endsWith(' in"'))).toBe(true);
    expect(values.some((v) => v?.endsWith(' cm"'))).toBe(true);
    const keys = new Set(result.calls.flatMap((c) => c.keys));
    // Line 10 holds the `if` (the interface above is gone from the executed text).
    expect(keys.has('b:10:0')).toBe(true);
    expect(keys.has('b:10:1')).toBe(true);
    expect(keys.has('s:11')).toBe(true);
  });

  it('skips every export of a module that throws at load, with the reason', async () => {
    const result = await explore('src/broken.js');
    expect(result.calls).toEqual([]);
    expect(result.skipped).toEqual([
      { exportName: 'x', reason: 'module did not load: Error: cannot start here' },
    ]);
  });

  it('goes on after a call that never ends', async () => {
    const result = await explore('src/hang.js', { callTimeoutMs: 300 });
    // spin('loop') was killed; spin's other arm and double's both arms were still reached.
    expect(callsOf(result, 'spin').length).toBeGreaterThan(0);
    expect(callsOf(result, 'spin').some((c) => c.call.args[0] === "'loop'")).toBe(false);
    const doubled = callsOf(result, 'double').map(returns);
    expect(doubled.length).toBe(2);
    // Only the loop's arm and its statement (b:2:0, s:3) stay unreached.
    expect(result.coveredKeys).toBe(result.totalKeys - 2);
    const keys = new Set(result.calls.flatMap((c) => c.keys));
    expect(keys.has('b:2:0') || keys.has('s:3')).toBe(false);
    expect(keys.has('b:2:1') && keys.has('b:8:0') && keys.has('b:8:1')).toBe(true);
  });

  it('survives process.exit in a call and keeps no such call', async () => {
    const result = await explore('src/quit.js');
    expect(callsOf(result, 'quit').length).toBeGreaterThan(0);
    expect(result.calls.some((c) => c.call.args[0] === '7')).toBe(false);
    expect(result.tried).toBeGreaterThan(10);
  });

  it('marks calls that depend on the clock or randomness as not deterministic', async () => {
    const result = await explore('src/clock.js');
    const stamps = callsOf(result, 'stamp');
    expect(stamps.length).toBeGreaterThan(0);
    expect(stamps.every((c) => !c.deterministic)).toBe(true);
    const pure = callsOf(result, 'pure');
    expect(pure.length).toBe(2);
    expect(pure.every((c) => c.deterministic)).toBe(true);
  });

  it('rejects bad input with a clear error', async () => {
    await expect(
      exploreModule({ root: fixture.root, file: 'src/none.js', timeoutMs: 1000 }),
    ).rejects.toThrow('exploreModule: no such file src/none.js');
    await expect(
      exploreModule({ root: fixture.root, file: '../x.js', timeoutMs: 1000 }),
    ).rejects.toThrow('is outside');
  });
});
