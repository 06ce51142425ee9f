import type { Comment } from 'oxc-parser';
import { InputError, type Finding, type Lang, applyEdits, type TextEdit } from '../core/index.js';
import { LineIndex } from './ast.js';
import { computeMetrics } from './metrics/index.js';
import { langOf, parseSource } from './parse.js';
import { resolveRuleOptions } from './rule-config.js';
import { runFileRules } from './rules/engine.js';
import { fileRules } from './rules/index.js';
import type { FileRule, RuleFix } from './rules/types.js';

/** One file and the rule whose findings to fix. */
export interface FixInput {
  /** Repository-relative path; its extension decides the language. */
  file: string;
  source: string;
  ruleId: string;
  /** Rule options from config, validated and defaulted as in a scan (a ConfigError if wrong). */
  options?: Readonly<Record<string, unknown>>;
  /**
   * Only the findings it accepts are fixed and returned: checking a fix re-parses the file, which
   * is worth sparing when one finding of many is wanted.
   */
  only?: (finding: Finding) => boolean;
}

/** A finding and the edits that fix it; `edits` is empty when the rule offers no safe fix. */
export interface FindingFix {
  finding: Finding;
  /** Sorted, non-overlapping, offsets into the source the fixes were collected from. */
  edits: TextEdit[];
  /** What the edits do, in one line, as the rule titles its fix; empty when there are none. */
  title: string;
}

const fileRuleById: ReadonlyMap<string, FileRule> = new Map(fileRules.map((r) => [r.meta.id, r]));

/**
 * Runs one file rule over a source with fixes enabled: every finding it reports, with the edits
 * that fix it. A fix is only returned when it is well-formed, keeps every comment and leaves code
 * that parses. A source that does not parse has no fixes. Throws `InputError` for an unknown rule.
 */
export function collectFixes(input: FixInput): FindingFix[] {
  const rule = fileRuleById.get(input.ruleId);
  if (!rule) {
    throw new InputError(
      `'${input.ruleId}' is not a file rule; expected one of: ${[...fileRuleById.keys()].join(', ')}`,
    );
  }
  return collectRuleFixes(rule, input);
}

/** `collectFixes` for a rule given as such, registered or not. */
export function collectRuleFixes(rule: FileRule, input: Omit<FixInput, 'ruleId'>): FindingFix[] {
  const lang = langOf(input.file);
  const parsed = parseSource(input.file, input.source, lang);
  if (parsed.error !== undefined) return [];
  const { source } = input;
  const lines = new LineIndex(source);
  const metrics = computeMetrics({
    program: parsed.program,
    source,
    lines,
    comments: parsed.comments,
  });
  const fixes = new Map<Finding, RuleFix>();
  const findings = runFileRules(
    [
      {
        rule,
        severity: rule.meta.severity,
        options: resolveRuleOptions(rule, input.options),
      },
    ],
    {
      file: input.file,
      source,
      lang,
      program: parsed.program,
      lines,
      comments: parsed.comments,
      fileMetrics: { ...metrics.file, duplicatedLines: 0, fanIn: 0, fanOut: 0 },
      functions: metrics.functions,
      fixes,
    },
  );
  const target = { file: input.file, source, lang, comments: parsed.comments };
  const wanted = input.only ? findings.filter(input.only) : findings;
  return wanted.map((finding) => {
    const fix = fixes.get(finding)?.();
    const edits = checkedEdits(target, fix?.edits);
    return { finding, edits, title: fix && edits.length > 0 ? fix.title : '' };
  });
}

interface FixTarget {
  file: string;
  source: string;
  lang: Lang;
  comments: readonly Comment[];
}

/** The fix's edits, sorted, or none when they are malformed, drop a comment or break the syntax. */
function checkedEdits(target: FixTarget, result: TextEdit[] | TextEdit | undefined): TextEdit[] {
  if (result === undefined) return [];
  const { source } = target;
  const edits = (Array.isArray(result) ? result : [result])
    .filter((e) => source.slice(e.start, e.end) !== e.text)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (edits.length === 0 || !wellFormed(source, edits)) return [];
  if (!edits.every((edit) => keepsComments(source, target.comments, edit))) return [];
  const output = applyEdits(source, edits);
  return parseSource(target.file, output, target.lang).error === undefined ? edits : [];
}

function wellFormed(source: string, sorted: readonly TextEdit[]): boolean {
  let previous: TextEdit | undefined;
  for (const edit of sorted) {
    if (edit.start < 0 || edit.end < edit.start || edit.end > source.length) return false;
    if (previous && overlaps(previous, edit)) return false;
    previous = edit;
  }
  return true;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

/** Whether every comment an edit touches lies wholly inside it and reappears in its new text. */
function keepsComments(source: string, comments: readonly Comment[], edit: TextEdit): boolean {
  const removed: string[] = [];
  for (const comment of comments) {
    if (comment.end <= edit.start || comment.start >= edit.end) continue;
    if (comment.start < edit.start || comment.end > edit.end) return false;
    removed.push(source.slice(comment.start, comment.end));
  }
  return removed.every(
    (text) => removed.filter((t) => t === text).length <= occurrences(edit.text, text),
  );
}

/**
 * Applies the fixes to the source they were collected from, each whole or not at all: a fix whose
 * edits overlap an earlier one's is left for another pass. Returns the new text and how many
 * fixes it took.
 */
export function applyFixes(
  source: string,
  fixes: readonly Pick<FindingFix, 'edits'>[],
): { output: string; applied: number } {
  const chosen: TextEdit[] = [];
  let applied = 0;
  for (const { edits } of fixes) {
    if (edits.length === 0) continue;
    if (edits.some((e) => chosen.some((c) => overlaps(c, e)))) continue;
    chosen.push(...edits);
    applied++;
  }
  chosen.sort((a, b) => a.start - b.start);
  return { output: applyEdits(source, chosen), applied };
}

/**
 * Fixes every finding of one rule in a source, pass after pass until nothing changes (at most
 * `maxPasses`): a fix can make room for another, as ESLint's `--fix` does.
 */
export function fixSource(
  input: FixInput,
  maxPasses = 10,
): { output: string; applied: number; passes: number } {
  let source = input.source;
  let applied = 0;
  let passes = 0;
  while (passes < maxPasses) {
    const pass = applyFixes(source, collectFixes({ ...input, source }));
    if (pass.applied === 0) break;
    source = pass.output;
    applied += pass.applied;
    passes++;
  }
  return { output: source, applied, passes };
}
