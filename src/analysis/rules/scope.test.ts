import { describe, expect, it } from 'vitest';
import { parseSource } from '../parse.js';
import { visitorKeys } from 'oxc-parser';
import { analyzeScopes, type Variable } from './scope.js';
import { SCOPE_VISITORS } from './scope-visitors.js';

function analyze(code: string, file = 'test.ts') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  return { analysis: analyzeScopes(parsed.program, file), program: parsed.program };
}

function variable(code: string, name: string, file?: string): Variable {
  const found = analyze(code, file).analysis.variables.filter((v) => v.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe('analyzeScopes', () => {
  it('counts reads and writes', () => {
    expect(variable('let a = 1; a = 2; f(a);', 'a')).toMatchObject({ reads: 1, writes: 1 });
    expect(variable('let a = 1; a++; a += 2;', 'a')).toMatchObject({ reads: 2, writes: 2 });
    expect(variable('let a; [a] = x; ({ b: a } = y); for (a of z);', 'a')).toMatchObject({
      reads: 0,
      writes: 3,
    });
    expect(variable('const a = {}; a.b = 1; a[c] = 2;', 'a')).toMatchObject({
      reads: 2,
      writes: 0,
    });
  });

  it('resolves through nested scopes and respects shadowing', () => {
    const { analysis } = analyze(
      'const x = 1; function f(x) { return x; } { let x = 2; g(x); } h(x);',
    );
    const xs = analysis.variables.filter((v) => v.name === 'x');
    expect(xs.map((v) => [v.scope.kind, v.definitions[0]!.kind, v.reads])).toEqual([
      ['module', 'const', 1],
      ['function', 'param', 1],
      ['block', 'let', 1],
    ]);
  });

  it('hoists var and function declarations to the function scope', () => {
    const hoisted = variable('function f() { g(v); if (a) { var v = 1; } function g() {} }', 'v');
    expect(hoisted.scope.kind).toBe('function');
    expect(hoisted.reads).toBe(1);
    expect(variable('use(later); function later() {}', 'later').reads).toBe(1);
  });

  it('merges declarations of the same name in one scope', () => {
    const merged = variable(
      'interface A { x: 1 } class A {} function f(): void; function f() {}',
      'A',
    );
    expect(merged.definitions.map((d) => d.kind)).toEqual(['type', 'class']);
  });

  it('marks exported, ambient, decorated and rest-sibling definitions', () => {
    const { analysis } = analyze(
      'export const a = 1; declare const b: number; @dec class C {} const { d, ...e } = o; namespace N { export const f = 1; }',
    );
    const def = (name: string) => analysis.variables.find((v) => v.name === name)!.definitions[0]!;
    expect(def('a').exported).toBe(true);
    expect(def('b').ambient).toBe(true);
    expect(def('C').decorated).toBe(true);
    expect(def('d').restSibling).toBe(true);
    expect(def('e').restSibling).toBe(false);
    expect(def('f').exported).toBe(true);
  });

  it('does not treat keys, labels, members or type parameters of signatures as bindings or references', () => {
    const { analysis } = analyze(
      'type F = (arg: string) => void; interface I { key: string; m(p: number): void } lbl: for (;;) break lbl; o.prop; ({ key: 1 });',
    );
    expect(analysis.variables.map((v) => v.name).sort()).toEqual(['F', 'I']);
    expect([...analysis.unresolved].sort()).toEqual(['o']);
  });

  it('reads JSX component names but not intrinsic tags or attributes', () => {
    const { analysis } = analyze(
      'const a = <Comp.Item x={y} data-z="1"><div /></Comp.Item>;',
      'a.tsx',
    );
    expect(analysis.hasJsx).toBe(true);
    expect([...analysis.unresolved].sort()).toEqual(['Comp', 'y']);
  });

  it('knows when top-level declarations are local to the file', () => {
    expect(analyze('const a = 1;', 'a.js').analysis.topLevelIsLocal).toBe(false);
    expect(analyze('const a = 1;', 'a.ts').analysis.topLevelIsLocal).toBe(false);
    expect(analyze('export const a = 1;', 'a.ts').analysis.topLevelIsLocal).toBe(true);
    expect(analyze("const a = require('a');", 'a.js').analysis.topLevelIsLocal).toBe(true);
    expect(analyze('const a = 1;', 'a.mjs').analysis.topLevelIsLocal).toBe(true);
    expect(analyze('const a = 1;', 'a.cts').analysis.topLevelIsLocal).toBe(true);
  });

  it('flags files that defeat static analysis', () => {
    expect(analyze('eval("x");').analysis.dynamic).toBe(true);
    expect(analyze('with (o) { x; }', 'a.js').analysis.dynamic).toBe(true);
    expect(analyze('o.eval("x");').analysis.dynamic).toBe(false);
  });

  it.each([
    ["declare module 'm' { const a: number; }", 'block const (ambient): 0 reads, 0 writes'],
    ['declare global { var a: number; }', 'module var (ambient): 0 reads, 0 writes'],
    ["import a = require('a'); a.b;", 'module import: 1 reads, 0 writes'],
    ['let a; (a as T) = 1; a! = 2; (<T>a) = 3;', 'module let: 0 reads, 3 writes'],
    ['let a; for (a of y); for (a in z);', 'module let: 0 reads, 2 writes'],
    ['const a = 1; class C { [a] = 1; a = 2; m() { this.a; } }', 'module const: 1 reads, 0 writes'],
    ['type M = { [a in keyof T]: a };', 'type type-param: 1 reads, 0 writes'],
    ['type F<a> = (x: a) => a;', 'type type-param: 2 reads, 0 writes'],
    ['try {} catch (a) { a; }', 'catch catch: 1 reads, 0 writes'],
    ['const c = class a { m() { return a; } };', 'class class-name: 1 reads, 0 writes'],
    ['const f = function a() { return a; };', 'function function-name: 1 reads, 0 writes'],
    ['function f(this: Window, a: number) { return a; }', 'function param: 1 reads, 0 writes'],
    ['{ using a = open(); a; }', 'block using: 1 reads, 0 writes'],
    ['enum a { X } a.X;', 'module enum: 1 reads, 0 writes'],
    ['namespace a { export const x = 1; } a.x;', 'module namespace: 1 reads, 0 writes'],
    ['class P { constructor(private a: number) {} }', 'function param-property: 0 reads, 0 writes'],
    ['let a; [, a = 1] = q; ({ ...a } = r);', 'module let: 0 reads, 2 writes'],
    ['switch (x) { case 1: let a = 1; a; }', 'block let: 1 reads, 0 writes'],
  ])('binds `a` in %s', (code, expected) => {
    const a = variable(code, 'a');
    const definition = a.definitions[0];
    const ambient = definition?.ambient ? ' (ambient)' : '';
    expect(
      `${a.scope.kind} ${definition?.kind}${ambient}: ${a.reads} reads, ${a.writes} writes`,
    ).toBe(expected);
  });

  it('does not take labels, meta properties, keys or qualifiers for names', () => {
    const { analysis } = analyze(
      "a: for (;;) { continue a; } import.meta.url; type T = import('m').b.c; type U = [d: string]; enum E { f } function g(x: unknown): x is string { return true; } import j from 'k' with { type: 'json' };",
    );
    expect(analysis.variables.map((v) => v.name).sort()).toEqual(['E', 'T', 'U', 'g', 'j', 'x']);
    expect([...analysis.unresolved]).toEqual([]);
  });

  it('is computed once per program', () => {
    const { program } = analyze('const a = 1;');
    expect(analyzeScopes(program, 'test.ts')).toBe(analyzeScopes(program, 'test.ts'));
  });
});

describe('SCOPE_VISITORS', () => {
  it('is keyed by node types the parser produces, Identifier aside', () => {
    expect([...SCOPE_VISITORS.keys()].filter((type) => !(type in visitorKeys))).toEqual([]);
    // The builder handles identifiers itself: a visitor for them would never run.
    expect(SCOPE_VISITORS.has('Identifier')).toBe(false);
  });
});
