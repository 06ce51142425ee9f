import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/repo.js';

/** Where code that may use a folder of `src/` lives, relative to the project. */
const ROOTS = ['src', 'test', 'bench', 'scripts', 'web/src'];

/** Names a folder's `index.ts` may export though nothing outside the folder imports them: none. */
const PENDING: Record<string, string[]> = {};

/** A project's source files by path (relative, with forward slashes). */
type Sources = ReadonlyMap<string, string>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(full);
    return /\.(tsx?|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function readSources(): Sources {
  const sources = new Map<string, string>();
  for (const root of ROOTS) {
    for (const file of sourceFiles(path.join(PROJECT_ROOT, root))) {
      sources.set(
        path.relative(PROJECT_ROOT, file).split(path.sep).join('/'),
        readFileSync(file, 'utf8'),
      );
    }
  }
  return sources;
}

/** The file a relative module request names: `./x.js` is `x.ts` or `x.tsx` when there is one. */
function resolve(sources: Sources, from: string, request: string): string | undefined {
  if (!request.startsWith('.')) return undefined;
  const target = path.posix.join(path.posix.dirname(from), request);
  const base = target.replace(/\.(m?js|jsx)$/, '');
  return [target, `${base}.ts`, `${base}.tsx`, `${base}.mts`].find((f) => sources.has(f));
}

const parsed = new WeakMap<Sources, Map<string, ts.SourceFile>>();

function parse(sources: Sources, file: string): ts.SourceFile {
  const cache = parsed.get(sources) ?? new Map<string, ts.SourceFile>();
  parsed.set(sources, cache);
  const source =
    cache.get(file) ??
    ts.createSourceFile(file, sources.get(file) ?? '', ts.ScriptTarget.Latest, true);
  cache.set(file, source);
  return source;
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    );
  }
  const name = (statement as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/** The names a module exports, following `export * from` through the project's files. */
function exportedNames(sources: Sources, file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  for (const statement of parse(sources, file).statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause))
        clause.elements.forEach((e) => names.add(e.name.text));
      else if (clause) names.add(clause.name.text);
      else {
        const request = (statement.moduleSpecifier as ts.StringLiteral).text;
        const target = resolve(sources, file, request);
        if (target) exportedNames(sources, target, seen).forEach((n) => names.add(n));
      }
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    for (const name of isDefault ? ['default'] : declaredNames(statement)) names.add(name);
  }
  return names;
}

/** What an import of a module takes from it: some names, or all of them (`import *`). */
function takenNames(node: ts.Node): string[] | 'all' {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return 'all';
    const named = bindings?.elements.map((e) => (e.propertyName ?? e.name).text) ?? [];
    return clause.name ? ['default', ...named] : named;
  }
  if (ts.isExportDeclaration(node)) {
    const clause = node.exportClause;
    if (!clause || !ts.isNamedExports(clause)) return 'all';
    return clause.elements.map((e) => (e.propertyName ?? e.name).text);
  }
  // `const { a, b } = await import('...')`; any other use of a dynamic import may take anything.
  const declaration = ts.isAwaitExpression(node.parent) ? node.parent.parent : undefined;
  if (declaration && ts.isVariableDeclaration(declaration)) {
    const binding = declaration.name;
    if (ts.isObjectBindingPattern(binding)) {
      return binding.elements.map((e) => ((e.propertyName ?? e.name) as ts.Identifier).text);
    }
  }
  return 'all';
}

/** Every module request of a file, with the node that makes it. */
function requestsOf(source: ts.SourceFile): { node: ts.Node; request: string }[] {
  const found: { node: ts.Node; request: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ node, request: node.moduleSpecifier.text });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ node, request: node.arguments[0].text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Per folder of `src/`, the names its `index.ts` exports that no file outside the folder imports
 * from it (files in `src/`, `test/`, `bench/`, `scripts/` and `web/` count; `src/index.ts` is the
 * package's public API, so what it re-exports counts as used).
 */
export function unusedExports(sources: Sources): Record<string, string[]> {
  const indexes = [...sources.keys()].filter((f) => /^src\/[^/]+\/index\.ts$/.test(f));
  const used = new Map(indexes.map((index) => [index, new Set<string>()]));
  const usesAll = new Set<string>();
  for (const file of sources.keys()) {
    for (const { node, request } of requestsOf(parse(sources, file))) {
      const target = resolve(sources, file, request);
      const names = target === undefined ? undefined : used.get(target);
      if (!target || !names || file.startsWith(path.posix.dirname(target) + '/')) continue;
      const taken = takenNames(node);
      if (taken === 'all') usesAll.add(target);
      else taken.forEach((name) => names.add(name));
    }
  }
  const unused: Record<string, string[]> = {};
  for (const index of indexes) {
    if (usesAll.has(index)) continue;
    const names = [...exportedNames(sources, index)].filter((n) => !used.get(index)?.has(n));
    if (names.length > 0) unused[index.split('/')[1]!] = names.sort();
  }
  return unused;
}

describe("each folder's index.ts", () => {
  it('exports only names that something outside the folder imports', () => {
    expect(unusedExports(readSources())).toEqual(PENDING);
  });

  it('would catch a name nobody outside the folder imports', () => {
    const sources = new Map([
      ['src/core/index.ts', "export * from './a.js';\nexport { c } from './c.js';"],
      ['src/core/a.ts', 'export const a = 1;\nexport interface B {}\nexport function d() {}'],
      ['src/core/c.ts', 'export const c = 1;'],
      ['src/core/c.test.ts', "import { c } from './index.js';"],
      ['src/store/x.ts', "import { a, type B } from '../core/index.js';"],
      ['test/y.test.ts', "const { d } = await import('../src/core/index.js');"],
    ]);
    expect(unusedExports(sources)).toEqual({ core: ['c'] });
    sources.set('src/index.ts', "export { c } from './core/index.js';");
    expect(unusedExports(sources)).toEqual({});
  });
});
