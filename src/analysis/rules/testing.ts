import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/index.js';
import { LineIndex } from '../ast.js';
import { applyFixes, collectFixes, fixSource, type FindingFix } from '../fix.js';
import { computeMetrics } from '../metrics/index.js';
import { langOf, parseSource } from '../parse.js';
import { resolveRuleOptions } from '../rule-config.js';
import { runFileRules } from './engine.js';
import { fileRules } from './index.js';
import type { ActiveRule, FileRule, RuleFix } from './types.js';

/** Test harness for file rules, in the manner of typescript-eslint's RuleTester. */

export interface RuleTestOptions {
  /** File name, which decides the language; defaults to `test.ts`. */
  file?: string;
  /** The rule's options, validated by its schema, defaults filled in. */
  options?: Record<string, unknown>;
}

/** Parses `code`, computes its metrics and runs one rule over it. Throws if the code does not parse. */
export function runRule(rule: FileRule, code: string, test: RuleTestOptions = {}): Finding[] {
  return runRules(
    [{ rule, severity: rule.meta.severity, options: resolveRuleOptions(rule, test.options) }],
    code,
    test.file ?? 'test.ts',
  );
}

/** Runs every file rule, opt-in ones included, with its default options. */
export function runAllRules(code: string, file = 'test.ts'): Finding[] {
  return runRules(
    fileRules.map((rule) => ({
      rule,
      severity: rule.meta.severity,
      options: resolveRuleOptions(rule),
    })),
    code,
    file,
  );
}

function runRules(rules: readonly ActiveRule<FileRule>[], code: string, file: string): Finding[] {
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
  const fixes = new Map<Finding, RuleFix>();
  const findings = runFileRules(rules, {
    file,
    source: code,
    lang: langOf(file),
    program: parsed.program,
    lines,
    comments: parsed.comments,
    fileMetrics: { ...metrics.file, duplicatedLines: 0, fanIn: 0, fanOut: 0 },
    functions: metrics.functions,
    fixes,
  });
  // The label is what `beast rules` shows and what builtin:codemods trusts: a fix must be declared.
  for (const finding of fixes.keys()) {
    if (finding.fixability !== 'safe-fix')
      throw new Error(
        `${finding.ruleId} reports a fix but its fixability is '${finding.fixability}'; only 'safe-fix' rules have fixes`,
      );
  }
  return findings;
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

/**
 * Code with at least one fixable finding, and the code after fixing every finding of the rule,
 * pass after pass until nothing changes; options last when needed. Pairs rather than objects: rows
 * of one shape in every rule's table would read as duplicated code to our own scan.
 */
export type FixCase = readonly [code: string, output: string, options?: RuleTestOptions];

export interface FixTests {
  fixed: readonly FixCase[];
  /** Code the rule reports, but offers no fix for; empty only when every finding is fixable. */
  unfixed: readonly ValidCase[];
}

/**
 * `ruleId: message` of each finding, numbers left out, for comparing findings across edits that
 * move them (`already imported on line 3`) or shrink them (`has 90 lines`).
 */
function findingKeys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}: ${f.message.replace(/\d+/g, '#')}`);
}

/** The items of `after` that `before` does not account for, counting repeats. */
function added(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((key) => {
    const at = left.indexOf(key);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

function expectParses(file: string, code: string): void {
  const error = parseSource(file, code).error;
  expect(error, `fixed code does not parse:\n${code}`).toBeUndefined();
}

/**
 * Invariants of one fix, applied on its own: the output parses, the rule reports that finding no
 * more, and no rule reports anything new.
 */
function checkFix(
  rule: FileRule,
  [code, , test = {}]: FixCase,
  fix: FindingFix,
  before: readonly Finding[],
): void {
  const file = test.file ?? 'test.ts';
  const output = applyFixes(code, [fix]).output;
  expectParses(file, output);
  const count = (findings: readonly Finding[]): number =>
    findings.filter((f) => f.message === fix.finding.message).length;
  expect(count(runRule(rule, output, test)), `still reported:\n${output}`).toBe(
    count(runRule(rule, code, test)) - 1,
  );
  const after = runAllRules(output, file);
  expect(added(findingKeys(before), findingKeys(after)), `new findings in:\n${output}`).toEqual([]);
}

/**
 * Declares the tests of one rule's fixes from a table of fixed and unfixed code, in the manner of
 * ESLint's RuleTester `output`. Besides the expected output, every case checks invariants: each
 * fix alone leaves parsing code, removes its finding and adds no finding of any rule; fixing the
 * output again changes nothing.
 */
export function describeFixes(rule: FileRule, tests: FixTests): void {
  describe(`${rule.meta.id} fixes`, () => {
    it('has at least one fixed case, and says it has fixes', () => {
      expect(tests.fixed.length, 'fixed cases').toBeGreaterThan(0);
      expect(rule.meta.fixability).toBe('safe-fix');
    });

    for (const fixCase of tests.fixed) {
      const [code, expected, test = {}] = fixCase;
      it(`fixes: ${title(code)}`, () => {
        const file = test.file ?? 'test.ts';
        const input = { file, source: code, ruleId: rule.meta.id, options: test.options };
        const fixes = collectFixes(input);
        const fixable = fixes.filter((f) => f.edits.length > 0);
        expect(fixable.length, 'fixable findings').toBeGreaterThan(0);
        for (const fix of fixable)
          expect(fix.title, 'a one-line title').toMatch(/^[A-Z][^\n]*[^.\n]$/);
        const { output } = fixSource(input);
        expect(output).toBe(expected);
        const before = runAllRules(code, file);
        for (const fix of fixable) checkFix(rule, fixCase, fix, before);
        expectParses(file, output);
        const again = collectFixes({ ...input, source: output }).filter((f) => f.edits.length > 0);
        expect(
          again.map((f) => f.finding.message),
          'fixable again',
        ).toEqual([]);
        const after = runAllRules(output, file);
        expect(added(findingKeys(before), findingKeys(after)), 'new findings').toEqual([]);
      });
    }

    for (const item of tests.unfixed) {
      const test = typeof item === 'string' ? { code: item } : item;
      it(`does not fix: ${title(test.code)}`, () => {
        const fixes = collectFixes({
          file: test.file ?? 'test.ts',
          source: test.code,
          ruleId: rule.meta.id,
          options: test.options,
        });
        expect(fixes.length, 'findings').toBeGreaterThan(0);
        const fixed = fixes.filter((f) => f.edits.length > 0);
        expect(fixed.map((f) => `${f.finding.message} ${JSON.stringify(f.edits)}`)).toEqual([]);
      });
    }
  });
}
