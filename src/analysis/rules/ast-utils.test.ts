import { describe, expect, it } from 'vitest';
import type { AstNode } from '../ast.js';
import { parseSource } from '../parse.js';
import { field, nodes, parenthesesAround, structureKey, terminates } from './ast-utils.js';

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
    const deep = Array.from({ length: 20_000 }, (_, i) => `x${i}`).join(' + ');
    expect(structureKey(expression(deep)).length).toBeGreaterThan(20_000);
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
