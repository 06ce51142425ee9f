import type * as TS from 'typescript';
import { bundledTypeScript } from '../../fixes/index.js';

/**
 * The test cases of a generated test file, found in its syntax tree (`it(...)`, `test(...)`,
 * AVA's `test('title', t => ...)`, inside any `describe`), matched with a runner's test ids, and
 * removed from the text when they fail a check of the gate.
 */

/** One test case of a file. */
export interface TestCase {
  /** Its own title. */
  title: string;
  /** The titles of the `describe` blocks around it, outermost first, then its own. */
  path: string[];
  /** The statement that declares it: what pruning removes. */
  start: number;
  end: number;
  /** 1-based lines of the statement. */
  startLine: number;
  endLine: number;
  /** The call itself, for the assertion check. */
  call: TS.CallExpression;
}

/** A parsed file and its cases. */
export interface ParsedTests {
  source: TS.SourceFile;
  cases: TestCase[];
}

const CASE_NAMES = new Set(['it', 'test', 'specify']);
const SUITE_NAMES = new Set(['describe', 'suite', 'context']);
/** Modifiers of a case or suite that still run it (`.skip` and `.todo` do not). */
const RUNNING_MODIFIERS = new Set(['only', 'concurrent', 'serial', 'sequential', 'failing']);

/** The script kind TypeScript should parse a file as, from its extension. */
function scriptKind(ts: typeof TS, fileName: string): TS.ScriptKind {
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Parses a JavaScript or TypeScript file (by its extension) with TypeScript's parser. */
export function parseSource(text: string, fileName: string): TS.SourceFile {
  const ts = bundledTypeScript();
  return ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.ESNext,
    true,
    scriptKind(ts, fileName),
  );
}

/** `it`, `it.only`, `describe.concurrent`: the base name when the callee runs a case or suite. */
function calleeName(ts: typeof TS, callee: TS.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    RUNNING_MODIFIERS.has(callee.name.text)
  ) {
    return callee.expression.text;
  }
  return undefined;
}

/** The title of a case or suite call: its first argument when it is a plain string. */
function titleOf(ts: typeof TS, call: TS.CallExpression): string | undefined {
  const first = call.arguments[0];
  if (first === undefined) return undefined;
  if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) return first.text;
  return undefined;
}

/** The statement a case or suite call stands in (`it(...)`, `await test(...)`), if it is one. */
function statementOf(ts: typeof TS, call: TS.CallExpression): TS.ExpressionStatement | undefined {
  let node: TS.Node = call.parent;
  if (ts.isAwaitExpression(node) || ts.isVoidExpression(node)) node = node.parent;
  return ts.isExpressionStatement(node) ? node : undefined;
}

function lineOf(source: TS.SourceFile, position: number): number {
  return source.getLineAndCharacterOfPosition(position).line + 1;
}

interface Suite {
  title: string;
  start: number;
  end: number;
  cases: TestCase[];
}

function collect(text: string, fileName: string): { parsed: ParsedTests; suites: Suite[] } {
  const ts = bundledTypeScript();
  const source = parseSource(text, fileName);
  const cases: TestCase[] = [];
  const suites: Suite[] = [];
  const visit = (node: TS.Node, path: string[], open: Suite[]): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(ts, node.expression);
      const title = titleOf(ts, node);
      const statement = statementOf(ts, node);
      if (name !== undefined && title !== undefined && statement !== undefined) {
        const span = {
          start: statement.getStart(source),
          end: statement.getEnd(),
        };
        if (CASE_NAMES.has(name)) {
          const testCase: TestCase = {
            title,
            path: [...path, title],
            ...span,
            startLine: lineOf(source, span.start),
            endLine: lineOf(source, span.end),
            call: node,
          };
          cases.push(testCase);
          for (const suite of open) suite.cases.push(testCase);
          // Subtests (`t.test` of node:test) are part of their case, not cases of their own.
          return;
        }
        if (SUITE_NAMES.has(name)) {
          const suite: Suite = { title, ...span, cases: [] };
          suites.push(suite);
          ts.forEachChild(node, (child) => visit(child, [...path, title], [...open, suite]));
          return;
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, path, open));
  };
  visit(source, [], []);
  return { parsed: { source, cases }, suites };
}

/** The test cases of a file, in order. */
export function findTestCases(text: string, fileName: string): ParsedTests {
  return collect(text, fileName).parsed;
}

/** A case's key, unique within a file as far as the titles allow. */
export function caseKey(testCase: Pick<TestCase, 'path'>): string {
  return testCase.path.join(' > ');
}

/**
 * Whether a runner's test id names the case: ids are `file > describe > title` (mocha: `file >
 * describe title`, AVA: `prefix › title`, a repeated title ` #2`); the file part is left out when
 * `file` is given, and the last segment is compared when the full path does not match.
 */
export function idMatchesCase(
  id: string,
  testCase: Pick<TestCase, 'path'>,
  file?: string,
): boolean {
  const bare = id.replace(/ #\d+$/, '');
  const rest =
    file !== undefined && bare.startsWith(`${file} > `) ? bare.slice(file.length + 3) : bare;
  const full = testCase.path.join(' > ');
  if (rest === full || rest === testCase.path.join(' ')) return true;
  const title = testCase.path.at(-1) ?? '';
  const last = rest.split(' > ').at(-1) ?? rest;
  return last === title || last.split(' › ').at(-1) === title;
}

/** The cases of `cases` that the ids name. */
export function casesOfIds(
  ids: Iterable<string>,
  cases: readonly TestCase[],
  file?: string,
): TestCase[] {
  const list = [...ids];
  return cases.filter((c) => list.some((id) => idMatchesCase(id, c, file)));
}

/** The span to cut for a statement: whole lines when it stands alone on its lines. */
function cutSpan(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const nextBreak = text.indexOf('\n', end);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak + 1;
  const after = text.slice(end, nextBreak === -1 ? text.length : nextBreak);
  if (before.trim() === '' && after.trim() === '') return [lineStart, lineEnd];
  return [start, end];
}

/**
 * The text without the given cases (matched by key): each case's statement is cut, and a
 * `describe` block left without any case goes with them, so that no empty suite remains.
 */
export function removeTestCases(
  text: string,
  fileName: string,
  remove: readonly Pick<TestCase, 'path'>[],
): string {
  const keys = new Set(remove.map(caseKey));
  if (keys.size === 0) return text;
  const { parsed, suites } = collect(text, fileName);
  const gone = (c: TestCase) => keys.has(caseKey(c));
  const spans: [number, number][] = [
    ...suites.filter((s) => s.cases.length > 0 && s.cases.every(gone)),
    ...parsed.cases.filter(gone),
  ].map((s) => [s.start, s.end]);
  // Outermost spans only, cut from the end so earlier offsets hold.
  const outer = spans.filter(
    ([start, end]) => !spans.some(([s, e]) => s <= start && e >= end && (s < start || e > end)),
  );
  const unique = [...new Map(outer.map((s) => [`${s[0]}:${s[1]}`, s])).values()].sort(
    (a, b) => b[0] - a[0],
  );
  let out = text;
  for (const [start, end] of unique) {
    const [from, to] = cutSpan(out, start, end);
    out = out.slice(0, from) + out.slice(to);
  }
  return out;
}

/** Names read in a file outside its import declarations. */
function usedNames(ts: typeof TS, source: TS.SourceFile): Set<string> {
  const used = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

/**
 * The pruned text without the named imports that only the removed cases used: an import that was
 * unused before pruning stays, as the model wrote it. A declaration left with no name goes whole.
 */
export function removeOrphanImports(original: string, pruned: string, fileName: string): string {
  const ts = bundledTypeScript();
  const usedBefore = usedNames(ts, parseSource(original, fileName));
  const source = parseSource(pruned, fileName);
  const usedNow = usedNames(ts, source);
  const orphan = (name: string) => usedBefore.has(name) && !usedNow.has(name);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue;
    const clause = statement.importClause;
    const named = clause.namedBindings;
    if (named === undefined || !ts.isNamedImports(named)) continue;
    const keep = named.elements.filter((e) => !orphan(e.name.text));
    if (keep.length === named.elements.length) continue;
    if (keep.length === 0 && clause.name === undefined) {
      edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: '' });
      continue;
    }
    const list = keep.map((e) => e.getText(source)).join(', ');
    const text = keep.length === 0 ? '' : `{ ${list} }`;
    const start =
      keep.length > 0 ? named.getStart(source) : (clause.name?.getEnd() ?? named.getStart(source));
    edits.push({ start, end: named.getEnd(), text });
  }
  let out = pruned;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    const whole = edit.text === '' ? cutSpan(out, edit.start, edit.end) : [edit.start, edit.end];
    out = out.slice(0, whole[0]) + edit.text + out.slice(whole[1]);
  }
  return out;
}
