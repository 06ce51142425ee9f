import type { Comment } from 'oxc-parser';
import type { Finding, Location, Severity, SuppressedFinding, Suppression } from '../core/index.js';
import type { LineIndex } from './ast.js';
import { otherNames } from './lint-config/names.js';
import { allRuleMetas } from './rules/index.js';
import type { ActiveRule } from './rules/types.js';
import { unusedSuppression } from './rules/unused-suppression.js';

export type DirectiveType = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

/** One `beast-*` or `eslint-*` directive comment, as written. */
export interface Directive {
  namespace: 'beast' | 'eslint';
  type: DirectiveType;
  /** The rules it names (rule ids, or ESLint rule names); empty for every rule. */
  names: string[];
  /** The text after ` -- `, when there is one. */
  reason?: string;
  /** Where the comment is. */
  location: Location;
  /** A `disable` with no code before it: it covers the file from its first line. */
  atTop?: true;
  /** Why the comment has no effect, when it has none (`// beast-disable` in a line comment). */
  ignored?: string;
}

/** What a file's comments say about suppressing its findings; kept with its cached analysis. */
export interface FileSuppressions {
  directives: Directive[];
  /** Lines on which a comment says NOSONAR. */
  nosonar: number[];
}

const KNOWN_IDS: ReadonlySet<string> = new Set(allRuleMetas.map((m) => m.id));
/**
 * Pure: the ESLint rules whose `eslint-disable` comments suppress a rule: the one its
 * `meta.eslint` declares, as declared, and the other names of the same check that
 * `respectLintConfig` follows (typescript-eslint's extension rules, plugins' copies): one table,
 * in lint-config/names.ts.
 */
export function eslintNamesOf(meta: { id: string }): readonly string[] {
  return otherNames(meta.id).eslint;
}

const ESLINT_NAMES: ReadonlyMap<string, readonly string[]> = new Map(
  allRuleMetas.map((meta) => [meta.id, eslintNamesOf(meta)]),
);

// As ESLint: the keyword opens the comment; the reason follows whitespace, two or more dashes and
// whitespace (or the end); names are separated by commas.
const DIRECTIVE = /^(beast|eslint)-(disable-next-line|disable-line|disable|enable)(?=\s|$)/;
const REASON = /\s-{2,}(?:\s|$)/;
const OPENER = /^\s*(?:beast|eslint)-/;

function whyIgnored(comment: Comment, type: DirectiveType, location: Location): string | undefined {
  if (comment.type === 'Line' && (type === 'disable' || type === 'enable'))
    return `A // beast-${type} line comment has no effect: write it as a block comment, /* beast-${type} */.`;
  if (type === 'disable-line' && location.endLine !== location.line)
    return 'A beast-disable-line comment has no effect when it spans lines: keep it on the line it suppresses.';
  return undefined;
}

/**
 * Pure: the directive a comment holds, or undefined. Comments ESLint would ignore (an
 * `eslint-disable` in a line comment, an `eslint-disable-line` over several lines) are ignored;
 * ours are kept with why they do nothing, to be reported. Names are kept as written: which of
 * them are ours is decided when they are applied, so cached analyses do not depend on it.
 */
export function parseDirective(comment: Comment, lines: LineIndex): Directive | undefined {
  // Most comments are not directives: tell without copying their text.
  if (!OPENER.test(comment.value)) return undefined;
  const text = comment.value.trim();
  const separator = REASON.exec(text);
  const head = separator ? text.slice(0, separator.index) : text;
  const match = DIRECTIVE.exec(head);
  if (!match) return undefined;
  const namespace = match[1] as Directive['namespace'];
  const type = match[2] as DirectiveType;
  const names = head
    .slice(match[0].length)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const location = lines.location(comment.start, comment.end);
  const ignored = whyIgnored(comment, type, location);
  // ESLint ignores these; what it would ignore is none of ours to report.
  if (namespace === 'eslint' && ignored !== undefined) return undefined;
  const reason = separator ? text.slice(separator.index + separator[0].length).trim() : '';
  return {
    namespace,
    type,
    names,
    ...(reason !== '' ? { reason } : {}),
    location,
    ...(ignored !== undefined ? { ignored } : {}),
  };
}

/** Lines of a comment that hold NOSONAR, as SonarQube counts them: each line of the comment. */
function nosonarLines(comment: Comment, lines: LineIndex): number[] {
  if (!comment.value.includes('NOSONAR')) return [];
  const first = lines.lineOf(comment.start);
  return comment.value
    .split(/\r\n|\r|\n/)
    .flatMap((part, i) => (part.includes('NOSONAR') ? [first + i] : []));
}

/**
 * Pure: the suppression comments of a file, from the parser's comments (never from the raw text,
 * so a string or template literal that holds the words is not one), or undefined when it has none.
 * `codeStart` is the offset of its first statement: a `disable` before it covers the whole file.
 */
export function parseSuppressions(
  comments: readonly Comment[],
  lines: LineIndex,
  codeStart: number,
): FileSuppressions | undefined {
  const directives: Directive[] = [];
  const nosonar: number[] = [];
  for (const comment of comments) {
    nosonar.push(...nosonarLines(comment, lines));
    const directive = parseDirective(comment, lines);
    if (!directive) continue;
    if (directive.type === 'disable' && comment.end <= codeStart) directive.atTop = true;
    directives.push(directive);
  }
  return directives.length > 0 || nosonar.length > 0 ? { directives, nosonar } : undefined;
}

/** A directive and what it suppressed: the names it was used for, or any finding for no names. */
interface Entry {
  directive: Directive;
  used: Set<string>;
  usedAll: boolean;
}

interface FileState {
  entries: Entry[];
  nosonar: ReadonlySet<number>;
}

function prepare(suppressions: FileSuppressions): FileState {
  const entries = suppressions.directives
    .map((directive) => ({ directive, used: new Set<string>(), usedAll: false }))
    .sort((a, b) => compare(start(a.directive), start(b.directive)));
  return { entries, nosonar: new Set(suppressions.nosonar) };
}

type Position = readonly [line: number, column: number];

function start(directive: Directive): Position {
  return directive.atTop ? [1, 0] : [directive.location.line, directive.location.column];
}

function compare(a: Position, b: Position): number {
  return a[0] - b[0] || a[1] - b[1];
}

function applies(directive: Directive, names: readonly string[]): boolean {
  return directive.names.length === 0 || names.some((name) => directive.names.includes(name));
}

function targetLine(directive: Directive): number {
  return directive.type === 'disable-line'
    ? directive.location.line
    : directive.location.endLine + 1;
}

/**
 * The directive of a namespace that suppresses a finding known there by `names`: a line directive
 * for its line first, else the block directive in force at its start, found as ESLint does: walking
 * the block comments before it, a matching `disable` takes effect and a matching `enable` ends it.
 */
function coveringEntry(
  state: FileState,
  namespace: Directive['namespace'],
  finding: Finding,
  names: readonly string[],
): Entry | undefined {
  const { line, column } = finding.location;
  const usable = state.entries.filter(
    (e) =>
      e.directive.namespace === namespace &&
      e.directive.ignored === undefined &&
      applies(e.directive, names),
  );
  const onLine = usable.find(
    (e) =>
      (e.directive.type === 'disable-line' || e.directive.type === 'disable-next-line') &&
      targetLine(e.directive) === line,
  );
  if (onLine) return onLine;
  let current: Entry | undefined;
  for (const entry of usable) {
    const { type } = entry.directive;
    if (type !== 'disable' && type !== 'enable') continue;
    if (compare(start(entry.directive), [line, column]) > 0) break;
    current = type === 'disable' ? entry : undefined;
  }
  return current;
}

function suppressionOf(finding: Finding, state: FileState): Suppression | undefined {
  const known = { beast: [finding.ruleId], eslint: ESLINT_NAMES.get(finding.ruleId) ?? [] };
  for (const namespace of ['beast', 'eslint'] as const) {
    const names = known[namespace];
    const entry = coveringEntry(state, namespace, finding, names);
    if (!entry) continue;
    const { directive } = entry;
    if (directive.names.length === 0) entry.usedAll = true;
    for (const name of names) if (directive.names.includes(name)) entry.used.add(name);
    return {
      kind: namespace,
      line: directive.location.line,
      ...(directive.reason !== undefined ? { reason: directive.reason } : {}),
    };
  }
  const { line } = finding.location;
  return state.nosonar.has(line) ? { kind: 'nosonar', line } : undefined;
}

/** What is wrong with each `beast-*` directive of a file that suppressed nothing or cannot. */
function unusedMessages({ directive, used, usedAll }: Entry): string[] {
  if (directive.ignored !== undefined) return [directive.ignored];
  const label = `beast-${directive.type}`;
  const unknown = directive.names
    .filter((name) => !KNOWN_IDS.has(name))
    .map(
      (name) => `The ${label} comment names an unknown rule '${name}' (beast rules lists them).`,
    );
  if (directive.type === 'enable') return unknown;
  if (directive.names.length === 0)
    return usedAll ? [] : [`Unused ${label} comment: it suppresses no finding.`];
  const unused = directive.names
    .filter((name) => KNOWN_IDS.has(name) && !used.has(name))
    .map((name) => `Unused ${label} comment: no ${name} finding to suppress.`);
  return [...unknown, ...unused];
}

/** The files a scan analysed, with their suppression comments. */
export interface SuppressionSource {
  path: string;
  suppressions?: FileSuppressions;
}

/**
 * Pure: applies every file's suppression comments to a scan's findings, after all rules (file and
 * repository) have reported. A finding is suppressed when a comment covers its start: it leaves
 * `findings` for `suppressed`, with how. Then, when the `unused-suppression` rule is among
 * `active`, each `beast-*` comment that suppressed nothing, names an unknown rule or cannot take
 * effect becomes a finding of it. `findings` keeps the input order, the new findings last.
 */
export function applySuppressions(
  findings: readonly Finding[],
  files: readonly SuppressionSource[],
  active: readonly Pick<ActiveRule, 'rule' | 'severity'>[],
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const states = new Map<string, FileState>();
  for (const file of files) {
    if (file.suppressions) states.set(file.path, prepare(file.suppressions));
  }
  if (states.size === 0) return { findings: [...findings], suppressed: [] };
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const state = states.get(finding.file);
    const suppression = state && suppressionOf(finding, state);
    if (suppression) suppressed.push({ ...finding, suppression });
    else kept.push(finding);
  }
  const severity = active.find((a) => a.rule.meta.id === unusedSuppression.meta.id)?.severity;
  if (severity !== undefined) {
    for (const [file, state] of states) kept.push(...unusedFindings(file, state, severity));
  }
  return { findings: kept, suppressed };
}

function unusedFindings(file: string, state: FileState, severity: Severity): Finding[] {
  const { meta } = unusedSuppression;
  return state.entries
    .filter((e) => e.directive.namespace === 'beast')
    .flatMap((entry) =>
      unusedMessages(entry).map((message) => ({
        ruleId: meta.id,
        category: meta.category,
        severity,
        message,
        file,
        location: entry.directive.location,
        effortMinutes: meta.effortMinutes,
        fixability: meta.fixability,
      })),
    );
}
