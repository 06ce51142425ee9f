import { describe, expect, it } from 'vitest';
import type { AstNode } from '../ast.js';
import { parseSource } from '../parse.js';
import {
  field,
  nodes,
  parenthesesAround,
  sameStructure,
  structureKey,
  StructureSet,
  terminates,
} from './ast-utils.js';

function statements(code: string): AstNode[] {
  return nodes(parseSource('test.ts', code).program, 'body');
}

function expression(code: string): AstNode {
  return field(statements(code)[0], 'expression')!;
}

describe('structureKey', () => {
  it('ignores whitespace, comments and parentheses, but not names, operators or literals', () => {
    expect(structureKey(expression('a.b( 1 ,/* c */ x)'))).toBe(
      structureKey(expression('(a.b)(1, (x))')),
    );
    expect(structureKey(expression('a + b'))).not.toBe(structureKey(expression('a - b')));
    expect(structureKey(expression('f(1)'))).not.toBe(structureKey(expression('f(2)')));
    expect(structureKey(expression('`a${x}`'))).not.toBe(structureKey(expression('`b${x}`')));
    expect(structureKey(expression('a.b'))).not.toBe(structureKey(expression('a[b]')));
  });

  it('handles very deep expressions without overflowing the stack', () => {
    // Deep enough to overflow a recursive walk, shallow enough for parseSource's depth guard.
    const deep = Array.from({ length: 15_000 }, (_, i) => `x${i}`).join(' + ');
    expect(structureKey(expression(deep)).length).toBeGreaterThan(15_000);
  });
});

const PAIRS: [string, string][] = [
  ['a.b( 1 ,/* c */ x)', '(a.b)(1, (x))'],
  ['a + b', 'a - b'],
  ['f(1)', 'f(2)'],
  ['f(1)', "f('1')"],
  ['`a${x}`', '`b${x}`'],
  ['`a${x}`', '`a${ x }`'],
  ['a.b', 'a[b]'],
  ['a?.b', 'a.b'],
  ['[a, , b]', '[a, b]'],
  ['f(a, b)', 'f(a)'],
  ['x === "a" && y', 'x === "a" && y'],
  ['x === "a" && y', 'x === "a" && z'],
];

describe('sameStructure', () => {
  it.each(PAIRS)('agrees with structureKey on %s and %s', (a, b) => {
    const left = expression(a);
    const right = expression(b);
    expect(sameStructure(left, right)).toBe(structureKey(left) === structureKey(right));
  });

  it('handles very deep expressions without overflowing the stack', () => {
    const deep = Array.from({ length: 15_000 }, (_, i) => `x${i}`).join(' + ');
    expect(sameStructure(expression(deep), expression(deep))).toBe(true);
    expect(sameStructure(expression(deep), expression(`${deep} + y`))).toBe(false);
  });
});

describe('StructureSet', () => {
  it('tells which nodes repeat an earlier structure, also past the pairwise limit', () => {
    const set = new StructureSet();
    const added = (code: string): boolean => set.add(expression(code));
    for (let i = 0; i < 40; i++) expect(added(`a.b${i}`)).toBe(false);
    expect(added('a.b3')).toBe(true);
    expect(added('(a).b39')).toBe(true);
    expect(added('a[b3]')).toBe(false);
    expect(added('a[b3]')).toBe(true);
  });
});

describe('parenthesesAround', () => {
  it('counts the pairs that directly wrap a node', () => {
    const source = 'if (((a = b))) {}';
    const test = field(statements(source)[0], 'test')!;
    expect(parenthesesAround(source, test)).toBe(3);
    const call = 'f(a = b);';
    const argument = nodes(expression(call), 'arguments')[0]!;
    expect(parenthesesAround(call, argument)).toBe(1);
  });
});

describe('terminates', () => {
  const cases: [string, boolean][] = [
    ['return;', true],
    ['throw e;', true],
    ['{ a(); return; }', true],
    ['if (a) return; else throw e;', true],
    ['if (a) return;', false],
    ['try { return; } catch { g(); }', false],
    ['try { return; } catch { return; }', true],
    ['try { g(); } finally { return; }', true],
    ['for (;;) { return; }', false],
    ['switch (a) { default: return; }', false],
  ];
  it.each(cases)('%s -> %s', (code, expected) => {
    const wrapped = `function f() { ${code} }`;
    const body = nodes(field(statements(wrapped)[0], 'body'), 'body');
    expect(terminates(body[0])).toBe(expected);
  });
});
