import { describe, expect, it } from 'vitest';
import { InputError, type TextEdit } from '../core/index.js';
import { LineIndex } from './ast.js';
import { applyFixes, collectFixes, collectRuleFixes, fixSource } from './fix.js';
import { computeMetrics } from './metrics/index.js';
import { parseSource } from './parse.js';
import { runFileRules } from './rules/engine.js';
import type { FileRule } from './rules/types.js';

/** The edits of a test rule's fix; the rule titles them. */
type Edits = () => TextEdit[] | TextEdit | undefined;

/** A rule that reports every `debugger` statement with the given fix. */
function ruleWithFix(fix: (node: { start: number; end: number }) => Edits): FileRule {
  return {
    kind: 'file',
    meta: {
      id: 'test-fix',
      category: 'correctness',
      severity: 'minor',
      effortMinutes: 1,
      fixability: 'safe-fix',
      description: 'A rule for tests.',
      docs: 'Reports debugger statements with a fix that the test chooses, to exercise the checks.',
    },
    create: (context) => ({
      DebuggerStatement: (node) =>
        context.report({
          node,
          fix: () => {
            const edits = fix(node)();
            return edits && { title: 'Test fix', edits };
          },
        }),
    }),
  };
}

function fixesOf(fix: (node: { start: number; end: number }) => Edits, source: string) {
  return collectRuleFixes(ruleWithFix(fix), { file: 'a.ts', source });
}

describe('collectFixes', () => {
  it('returns every finding of the rule, with the edits of those it can fix', () => {
    const source = 'if (a) debugger;\ndebugger;\n';
    const fixes = collectFixes({ file: 'a.ts', source, ruleId: 'no-debugger' });
    expect(fixes.map((f) => [f.finding.location.line, f.edits, f.title])).toEqual([
      [1, [], ''],
      [2, [{ start: 17, end: 27, text: '' }], "Remove a 'debugger' statement"],
    ]);
    expect(fixes[1]!.finding).toMatchObject({ ruleId: 'no-debugger', file: 'a.ts' });
  });

  it('applies rule options', () => {
    const source = 'function f() {\n  if (a) {\n    b();\n  }\n}\n';
    const input = { file: 'a.ts', source, ruleId: 'prefer-early-return' };
    expect(collectFixes(input)).toEqual([]);
    const [fix] = collectFixes({ ...input, options: { minStatements: 1 } });
    expect(applyFixes(source, [fix!]).output).toBe(
      'function f() {\n  if (!a) return;\n  b();\n}\n',
    );
  });

  it('fixes only the findings `only` accepts', () => {
    const source = 'debugger;\ndebugger;\n';
    const fixes = collectFixes({
      file: 'a.ts',
      source,
      ruleId: 'no-debugger',
      only: (f) => f.location.line === 2,
    });
    expect(fixes.map((f) => f.finding.location.line)).toEqual([2]);
  });

  it('has nothing to fix in a file that does not parse', () => {
    expect(
      collectFixes({ file: 'a.ts', source: 'debugger; let = ;', ruleId: 'no-debugger' }),
    ).toEqual([]);
  });

  it('rejects an unknown rule, naming the known ones', () => {
    expect(() => collectFixes({ file: 'a.ts', source: '', ruleId: 'no-such-rule' })).toThrow(
      InputError,
    );
    expect(() => collectFixes({ file: 'a.ts', source: '', ruleId: 'no-such-rule' })).toThrow(
      /no-debugger/,
    );
  });

  it('sorts the edits of a fix and accepts a single edit or none', () => {
    const [many] = fixesOf(
      (node) => () => [
        { start: node.end, end: node.end, text: ' /* b */' },
        { start: node.start, end: node.start, text: '/* a */ ' },
      ],
      'debugger;',
    );
    expect(many!.edits.map((e) => e.start)).toEqual([0, 9]);
    const [none] = fixesOf(() => () => undefined, 'debugger;');
    expect(none!.edits).toEqual([]);
  });

  it('drops a fix that would lose a comment, even partly', () => {
    const source = 'debugger; // why\n/* keep */ f();';
    const whole =
      (node: { start: number }): Edits =>
      () => ({
        start: node.start,
        end: source.length,
        text: '',
      });
    expect(fixesOf(whole, source)[0]!.edits).toEqual([]);
    const kept =
      (node: { start: number }): Edits =>
      () => ({
        start: node.start,
        end: source.length,
        text: '// why\n/* keep */ f();',
      });
    expect(fixesOf(kept, source)[0]!.edits).toHaveLength(1);
    const inside = (): Edits => () => ({ start: 13, end: 13, text: 'x' });
    expect(fixesOf(inside, source)[0]!.edits).toEqual([]);
  });

  it('drops a fix whose result does not parse, or whose edits are malformed', () => {
    const broken =
      (node: { start: number; end: number }): Edits =>
      () => ({
        ...node,
        text: 'let = ;',
      });
    expect(fixesOf(broken, 'debugger;')[0]!.edits).toEqual([]);
    const outside = (): Edits => () => ({ start: 5, end: 99, text: '' });
    expect(fixesOf(outside, 'debugger;')[0]!.edits).toEqual([]);
    const overlapping = (): Edits => () => [
      { start: 0, end: 5, text: '' },
      { start: 3, end: 8, text: '' },
    ];
    expect(fixesOf(overlapping, 'debugger;')[0]!.edits).toEqual([]);
  });

  it('leaves out edits that change nothing', () => {
    const same =
      (node: { start: number; end: number }): Edits =>
      () => ({
        ...node,
        text: 'debugger;',
      });
    expect(fixesOf(same, 'debugger;')[0]!.edits).toEqual([]);
  });
});

describe('applyFixes and fixSource', () => {
  it('applies fixes whole, leaving a fix that overlaps an earlier one for the next pass', () => {
    const source = 'debugger;';
    const edit = (text: string): TextEdit => ({ start: 0, end: 9, text });
    const fixes = [
      { finding: {} as never, edits: [edit('a();')] },
      { finding: {} as never, edits: [edit('b();')] },
      { finding: {} as never, edits: [] },
    ];
    expect(applyFixes(source, fixes)).toEqual({ output: 'a();', applied: 1 });
  });

  it('fixes pass after pass until nothing changes', () => {
    const source = 'if (a) {\n} else {\n  if (b) {\n  } else {\n    if (c) {\n    }\n  }\n}\n';
    const result = fixSource({ file: 'a.ts', source, ruleId: 'no-lonely-if' });
    expect(result.output).toBe('if (a) {\n} else if (b) {\n} else if (c) {\n}\n');
    expect(result).toMatchObject({ applied: 2, passes: 2 });
    expect(fixSource({ file: 'a.ts', source: result.output, ruleId: 'no-lonely-if' })).toEqual({
      output: result.output,
      applied: 0,
      passes: 0,
    });
  });
});

describe('fixes in scans', () => {
  it('are never computed, and findings carry nothing of them', () => {
    const source = 'debugger;';
    const parsed = parseSource('a.ts', source);
    const lines = new LineIndex(source);
    const metrics = computeMetrics({ program: parsed.program, source, lines, comments: [] });
    const rule = ruleWithFix(() => () => {
      throw new Error('a scan computed a fix');
    });
    const findings = runFileRules([{ rule, severity: 'minor', options: {} }], {
      file: 'a.ts',
      source,
      lang: 'ts',
      program: parsed.program,
      lines,
      comments: parsed.comments,
      fileMetrics: { ...metrics.file, duplicatedLines: 0, fanIn: 0, fanOut: 0 },
      functions: metrics.functions,
    });
    expect(findings).toHaveLength(1);
    expect(Object.keys(findings[0]!).sort()).toEqual([
      'category',
      'effortMinutes',
      'file',
      'fixability',
      'location',
      'message',
      'ruleId',
      'severity',
    ]);
  });
});
