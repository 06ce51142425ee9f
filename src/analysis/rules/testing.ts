import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/index.js';
import { LineIndex } from '../ast.js';
import { computeMetrics } from '../metrics/index.js';
import { langOf, parseSource } from '../parse.js';
import { runFileRules } from './engine.js';
import type { FileRule } from './types.js';

/** Test harness for file rules, in the manner of typescript-eslint's RuleTester. */

export interface RuleTestOptions {
  /** File name, which decides the language; defaults to `test.ts`. */
  file?: string;
  /** Options merged over the rule's `defaultOptions`. */
  options?: Record<string, unknown>;
}

/** Parses `code`, computes its metrics and runs one rule over it. Throws if the code does not parse. */
export function runRule(rule: FileRule, code: string, test: RuleTestOptions = {}): Finding[] {
  const file = test.file ?? 'test.ts';
  const parsed = parseSource(file, code);
  if (parsed.error !== undefined) {
    throw new Error(`test code does not parse (${parsed.error}):\n${code}`);
  }
  const lines = new LineIndex(code);
  const metrics = computeMetrics({
    program: parsed.program,
    source: code,
    lines,
    comments: parsed.comments,
  });
  return runFileRules(
    [
      {
        rule,
        severity: rule.meta.severity,
        options: { ...rule.defaultOptions, ...test.options },
      },
    ],
    {
      file,
      source: code,
      lang: langOf(file),
      program: parsed.program,
      lines,
      comments: parsed.comments,
      fileMetrics: { ...metrics.file, duplicatedLines: 0, fanIn: 0, fanOut: 0 },
      functions: metrics.functions,
    },
  );
}

export type ValidCase = string | ({ code: string } & RuleTestOptions);

export interface ExpectedFinding {
  line?: number;
  column?: number;
  endLine?: number;
  /** Exact message, or a pattern it must match. */
  message?: string | RegExp;
}

export interface InvalidCase extends RuleTestOptions {
  code: string;
  /** How many findings, or what each finding must look like, in source order. */
  errors: number | ExpectedFinding[];
}

export interface RuleTests {
  valid: readonly ValidCase[];
  invalid: readonly InvalidCase[];
}

function title(code: string): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column,
  );
}

/**
 * Declares the tests of one rule from tables of valid and invalid code. A rule must have at least one
 * case of each kind: a rule that is never seen to fire, or never seen to stay quiet, is untested.
 */
export function describeRule(rule: FileRule, tests: RuleTests): void {
  describe(rule.meta.id, () => {
    it('has at least one valid and one invalid case', () => {
      expect(tests.valid.length, 'valid cases').toBeGreaterThan(0);
      expect(tests.invalid.length, 'invalid cases').toBeGreaterThan(0);
    });

    for (const item of tests.valid) {
      const test = typeof item === 'string' ? { code: item } : item;
      it(`valid: ${title(test.code)}`, () => {
        const findings = runRule(rule, test.code, test);
        expect(findings.map((f) => `${f.location.line}:${f.location.column} ${f.message}`)).toEqual(
          [],
        );
      });
    }

    for (const test of tests.invalid) {
      it(`invalid: ${title(test.code)}`, () => {
        const findings = sorted(runRule(rule, test.code, test));
        for (const finding of findings) {
          expect(finding.ruleId).toBe(rule.meta.id);
          expect(finding.category).toBe(rule.meta.category);
        }
        if (typeof test.errors === 'number') {
          expect(findings, findings.map((f) => f.message).join('\n')).toHaveLength(test.errors);
          return;
        }
        expect(findings, findings.map((f) => f.message).join('\n')).toHaveLength(
          test.errors.length,
        );
        test.errors.forEach((expected, i) => {
          const finding = findings[i]!;
          if (expected.line !== undefined) expect(finding.location.line).toBe(expected.line);
          if (expected.column !== undefined) expect(finding.location.column).toBe(expected.column);
          if (expected.endLine !== undefined)
            expect(finding.location.endLine).toBe(expected.endLine);
          if (typeof expected.message === 'string') expect(finding.message).toBe(expected.message);
          else if (expected.message) expect(finding.message).toMatch(expected.message);
        });
      });
    }
  });
}
