import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { fingerprintFindings, stableMessage } from './fingerprint.js';
import { runAllRules } from './rules/testing.js';

/** Two functions with findings of several rules, magic numbers and `any`s among them. */
const CODE = `import { a } from './a.js';
import { a as again } from './a.js';

export function parse(input: any): number {
  let total = 0;
  for (let i = 0; i < 10; i++) {
    if (input[i] == null) continue;
    if (input[i] > 3) {
      if (input[i] < 70) {
        if (input[i] !== 12) {
          if (input[i] !== 13) total += input[i] as any;
        }
      }
    }
  }
  return total + a + again;
}

export function render(value: any): string {
  debugger;
  return String(value);
}
`;

/** Each finding's fingerprint, keyed by rule and the code of its line, to compare across edits. */
function printsByCode(code: string): Map<string, string> {
  const lines = code.split('\n');
  const findings = runAllRules(code);
  const prints = fingerprintFindings(findings);
  const out = new Map<string, string>();
  findings.forEach((f, i) => {
    const key = `${f.ruleId} ${lines[f.location.line - 1]!.trim()} ${f.location.column}`;
    expect(out.has(key), key).toBe(false);
    out.set(key, prints[i]!);
  });
  return out;
}

describe('fingerprintFindings', () => {
  it('gives every finding of a file its own fingerprint', () => {
    const findings = runAllRules(CODE);
    expect(findings.length).toBeGreaterThan(8);
    expect(new Set(findings.map((f) => f.ruleId)).size).toBeGreaterThan(4);
    const prints = fingerprintFindings(findings);
    expect(new Set(prints).size).toBe(findings.length);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order findings are given in', () => {
    const findings = runAllRules(CODE);
    const prints = fingerprintFindings(findings);
    const reversed = fingerprintFindings([...findings].reverse());
    expect([...reversed].reverse()).toEqual(prints);
  });

  it('keeps every fingerprint when code is added above', () => {
    const before = printsByCode(CODE);
    const added = CODE.replace(
      'export function parse',
      'export const VERSION = "1";\n\n/** Docs. */\n\n\nexport function parse',
    );
    expect(printsByCode(added)).toEqual(before);
  });

  it('keeps every fingerprint when functions trade places, moving every line', () => {
    const [head, parse, render] = CODE.split(/\n(?=export function)/);
    const moved = [head, render!.trimEnd(), parse].join('\n');
    const after = printsByCode(`${moved}\n`);
    const before = printsByCode(CODE);
    // No finding is new: the same fingerprints, the duplicate import's ("on line 1") among them.
    expect(new Set(after.values())).toEqual(new Set(before.values()));
    // Each keeps its own, but for the three identical "Unexpected any" whose order changed.
    const distinct = [...before].filter(([key]) => !key.startsWith('no-explicit-any'));
    expect(distinct).toHaveLength(9);
    for (const [key, print] of distinct) expect(after.get(key), key).toBe(print);
  });

  it('keeps the findings of other functions when one is renamed', () => {
    const before = printsByCode(CODE);
    const renamed = printsByCode(CODE.replace('function render', 'function show'));
    const changed = [...before].filter(([key, print]) => renamed.get(key) !== print);
    // Only the findings that name the renamed function (its size, its complexity) change.
    for (const [key] of changed) expect(key).toMatch(/function render/);
    expect(before.size).toBe(renamed.size);
    const parseFindings = [...before].filter(([key]) => !key.includes('render'));
    expect(parseFindings.length).toBeGreaterThan(5);
    for (const [key, print] of parseFindings) expect(renamed.get(key)).toBe(print);
  });

  it('tells apart findings of one rule and message by their order, not their line', () => {
    const any = (line: number): Finding => ({
      ruleId: 'no-explicit-any',
      category: 'type-safety',
      severity: 'major',
      message: 'Unexpected any.',
      file: 'a.ts',
      location: { line, column: 3, endLine: line, endColumn: 6 },
      effortMinutes: 5,
      fixability: 'none',
    });
    const [first, second] = fingerprintFindings([any(4), any(9)]);
    expect(first).not.toBe(second);
    expect(fingerprintFindings([any(40), any(90)])).toEqual([first, second]);
    // Another file, rule or message is another finding.
    expect(fingerprintFindings([{ ...any(4), file: 'b.ts' }])).not.toEqual([first]);
    expect(fingerprintFindings([{ ...any(4), ruleId: 'x' }])).not.toEqual([first]);
    expect(fingerprintFindings([{ ...any(4), message: 'Unexpected unknown.' }])).not.toEqual([
      first,
    ]);
  });
});

describe('stableMessage', () => {
  it.each([
    ["'./a.js' is already imported on line 1.", "'./a.js' is already imported on line #."],
    ['Lines 10-24 duplicate b.ts:40-54 (80 tokens).', 'Lines #-# duplicate b.ts:#-# (# tokens).'],
    [
      "Function 'parse' has cognitive complexity 23 (threshold 15).",
      "Function 'parse' has cognitive complexity # (threshold #).",
    ],
    ['Unexpected any.', 'Unexpected any.'],
  ])('%s', (message, stable) => {
    expect(stableMessage(message)).toBe(stable);
  });
});
