import { describe, expect, it } from 'vitest';
import { computeKeys, executedText } from './coverage-keys.js';

describe('computeKeys', () => {
  it('keys statements by line and branch arms by line and order', () => {
    const text = [
      'function f(a, b) {',
      '  if (a) {',
      '    return b ? 1 : 2;',
      '  }',
      '  return a ?? b;',
      '}',
    ].join('\n');
    const table = computeKeys('m.js', text);
    expect(table.probes.map((p) => p.key).sort()).toEqual(
      ['b:2:0', 'b:2:1', 'b:3:0', 'b:3:1', 'b:5:0', 's:2', 's:3', 's:5'].sort(),
    );
    // The implicit else is reached when the `if` ran more often than its `then`.
    const implicit = table.probes.find((p) => p.key === 'b:2:1')!;
    expect(implicit.minus).toBe(text.indexOf('{\n    return'));
    expect(table.lines.get('b:3:1')).toBe(3);
  });

  it('maps the transpiled text of TypeScript back to the original lines', () => {
    const source = [
      'interface A {',
      '  x: number;',
      '}',
      '',
      'export function f(a: A): number {',
      '  return a.x;',
      '}',
    ].join('\n');
    const executed = executedText('m.ts', source);
    expect(executed.text).not.toContain('interface');
    const table = computeKeys('m.ts', executed.text, executed.originalLine);
    expect(table.probes.map((p) => p.key)).toEqual(['s:6']);
  });
});
