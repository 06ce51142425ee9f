import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Expression } from './types.js';

/**
 * Argument lists from examples a module's authors wrote: JSDoc `@example`s of the module and of
 * the declaration file beside it, and code blocks of the package's README. A call counts when its
 * arguments stand alone (literals, objects, arrays, arrow functions: no names of the snippet's own);
 * calls of a name bound to the package's default import (`import ms from 'ms'`,
 * `const ms = require('ms')`) count for `default`. Keyed by the called name.
 */
export type Examples = Record<string, Expression[][]>;

const GLOBALS = new Set([
  'undefined',
  'NaN',
  'Infinity',
  'Math',
  'JSON',
  'Date',
  'RegExp',
  'Map',
  'Set',
  'Array',
  'Object',
  'String',
  'Number',
  'Boolean',
  'Symbol',
  'BigInt',
  'Buffer',
  'Error',
  'TypeError',
  'Promise',
  'Uint8Array',
  'parseInt',
  'parseFloat',
  'encodeURIComponent',
  'decodeURIComponent',
]);
const MAX_SNIPPETS = 60;
const MAX_PER_NAME = 24;

/** Whether an argument stands alone: every name in it is a global or bound inside it. */
function isClosed(node: ts.Node): boolean {
  const bound = new Set<string>();
  let closed = true;
  const visit = (n: ts.Node): void => {
    if (!closed) return;
    if (ts.isParameter(n) || ts.isBindingElement(n) || ts.isVariableDeclaration(n)) {
      const name = n.name;
      if (ts.isIdentifier(name)) bound.add(name.text);
    }
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
        (ts.isPropertyAssignment(parent) && parent.name === n) ||
        ((ts.isParameter(parent) ||
          ts.isBindingElement(parent) ||
          ts.isVariableDeclaration(parent)) &&
          parent.name === n);
      if (!isName && !GLOBALS.has(n.text) && !bound.has(n.text)) closed = false;
      if (ts.isShorthandPropertyAssignment(parent)) closed = false;
    }
    ts.forEachChild(n, visit);
  };
  // Parameters first: an arrow function's body may use them before the walk reaches them.
  const collect = (n: ts.Node): void => {
    if ((ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name))
      bound.add(n.name.text);
    ts.forEachChild(n, collect);
  };
  collect(node);
  visit(node);
  return closed && node.getText().length <= 400;
}

/** Calls in one snippet, by called name (`default` for the package's default import). */
function callsIn(
  snippet: string,
  out: Examples,
  isOwn: (specifier: string) => boolean = () => true,
): void {
  const source = ts.createSourceFile(
    'snippet.ts',
    snippet,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const defaults = new Set<string>();
  const renamed = new Map<string, string>();
  const bindings = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      node.importClause &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      isOwn(node.moduleSpecifier.text)
    ) {
      const clause = node.importClause;
      if (clause.name) defaults.add(clause.name.text);
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named))
        for (const element of named.elements)
          if (element.propertyName)
            renamed.set(element.name.text, element.propertyName.getText(source));
    }
    if (
      ts.isImportEqualsDeclaration(node) &&
      isOwn(node.moduleReference.getText(source).replace(/^require\(['"]|['"]\)$/g, ''))
    )
      defaults.add(node.name.text);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isCallExpression(node.initializer) &&
      node.initializer.expression.getText(source) === 'require' &&
      node.initializer.arguments[0] !== undefined &&
      ts.isStringLiteral(node.initializer.arguments[0]) &&
      isOwn(node.initializer.arguments[0].text)
    )
      defaults.add(node.name.text);
    ts.forEachChild(node, bindings);
  };
  bindings(source);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      const args = node.arguments ?? [];
      if (
        name !== undefined &&
        name !== 'require' &&
        !GLOBALS.has(name) &&
        args.length > 0 &&
        args.every((a) => !ts.isSpreadElement(a) && isClosed(a))
      ) {
        const texts = args.map((a) => a.getText(source));
        const keys = [renamed.get(name) ?? name];
        if (ts.isIdentifier(callee) && defaults.has(name)) keys.push('default');
        for (const key of keys) {
          const list = (out[key] ??= []);
          if (
            list.length < MAX_PER_NAME &&
            !list.some((l) => l.join('\u0000') === texts.join('\u0000'))
          )
            list.push(texts);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** `@example` blocks of JSDoc comments in a text. */
function jsdocExamples(text: string): string[] {
  const out: string[] = [];
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = comment[1]!.replace(/^[ \t]*\*[ \t]?/gm, '');
    for (const example of body.matchAll(/@example\b([\s\S]*?)(?=\n\s*@\w|$)/g))
      out.push(example[1]!.replace(/```\w*/g, ''));
  }
  return out;
}

/** Fenced code blocks of a Markdown text in JavaScript or TypeScript (or unmarked). */
function markdownBlocks(text: string): string[] {
  const out: string[] = [];
  for (const block of text.matchAll(/```([\w-]*)[^\n]*\n([\s\S]*?)```/g)) {
    const lang = block[1]!.toLowerCase();
    if (['', 'js', 'javascript', 'ts', 'typescript', 'mjs', 'cjs', 'jsx', 'tsx'].includes(lang))
      out.push(block[2]!);
  }
  return out;
}

function readme(dir: string): string | undefined {
  try {
    const name = readdirSync(dir).find((n) => /^readme(\.md|\.markdown)?$/i.test(n));
    return name ? readFileSync(path.join(dir, name), 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The package folder of a file: the nearest folder up to `root` with a package.json. */
function packageDir(file: string, root: string): string {
  for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) break;
  }
  return root;
}

function simplify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function packageName(dir: string): string | undefined {
  try {
    const name = (
      JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }
    ).name;
    return typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : undefined;
  } catch {
    return undefined;
  }
}

/** Example argument lists for a module's exports (see `Examples`). */
export function findExamples(file: string, root: string, text: string): Examples {
  const snippets = [...jsdocExamples(text)];
  const declaration = file.replace(/\.(c|m)?js$/, '.d.ts');
  if (declaration !== file && existsSync(declaration))
    snippets.push(...jsdocExamples(readFileSync(declaration, 'utf8')));
  const dir = packageDir(file, root);
  const doc = readme(dir);
  if (doc) snippets.push(...markdownBlocks(doc));
  const out: Examples = {};
  for (const snippet of snippets.slice(0, MAX_SNIPPETS)) {
    try {
      callsIn(snippet, out);
    } catch {
      // a snippet that does not parse says nothing
    }
  }
  // A README calls the default export by the package's name (`ms('2 days')`), imported or not.
  const own = [packageName(dir), path.basename(file).replace(/\.[^.]+$/, '')]
    .filter((n): n is string => n !== undefined)
    .map(simplify);
  for (const [name, lists] of Object.entries(out))
    if (name !== 'default' && own.includes(simplify(name))) {
      const list = (out.default ??= []);
      for (const l of lists) if (list.length < MAX_PER_NAME) list.push(l);
    }
  return out;
}

const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec']);
const MAX_TEST_FILES = 200;
const MAX_TEST_BYTES = 200_000;

function testFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, inTests: boolean, depth: number): void => {
    if (out.length >= MAX_TEST_FILES || depth > 8) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist')
        continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, inTests || TEST_DIRS.has(entry.name), depth + 1);
      else if (TEST_FILE.test(entry.name) || (inTests && /\.[cm]?[jt]sx?$/.test(entry.name)))
        out.push(full);
    }
  };
  walk(root, false, 0);
  return out;
}

/**
 * Argument lists of calls in the repository's own tests (`*.test.*`, `*.spec.*`, files under
 * `test/`): a default import counts only when it imports the module itself (by its file name or
 * the package's name).
 */
export function findTestExamples(file: string, root: string): Examples {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const own = new Set([
    simplify(base),
    ...(base === 'index' ? [simplify(path.basename(path.dirname(file)))] : []),
  ]);
  const name = packageName(packageDir(file, root));
  if (name) own.add(simplify(name));
  const isOwn = (specifier: string): boolean => {
    const last = specifier.replace(/\/+$/, '').split('/').pop() ?? '';
    return (
      own.has(simplify(last.replace(/\.[cm]?[jt]sx?$/, ''))) ||
      specifier === '.' ||
      specifier === '..'
    );
  };
  const out: Examples = {};
  for (const test of testFiles(root)) {
    try {
      const text = readFileSync(test, 'utf8');
      if (text.length <= MAX_TEST_BYTES) callsIn(text, out, isOwn);
    } catch {
      // an unreadable or unparsable test says nothing
    }
  }
  return out;
}
