import type { Comment } from 'oxc-parser';
import { LineIndex, walk, type AstNode } from '../ast.js';
import { parseSource } from '../parse.js';
import type { CodeSymbol, FileImport, SymbolKind } from './types.js';

/*
 * Symbols, imports and exports of one file, read from its syntax tree alone: no type checker, no
 * other file. Names are resolved across files later, through the imports (`graph.ts`).
 */

/** What the index keeps of one file's source, before it knows the file's hash and kind. */
export interface ExtractedFile {
  lines: number;
  symbols: CodeSymbol[];
  imports: FileImport[];
  exports: string[];
  /**
   * Local declarations the module exports under another name: `export { a as b }` gives
   * `{ exported: 'b', local: 'a' }`, `export default function a` gives `{ exported: 'default', local: 'a' }`.
   */
  exportAliases: { exported: string; local: string }[];
}

const MAX_SIGNATURE = 240;
const MAX_REFERENCES = 400;
/**
 * Named functions a function body must declare for it to count as a module-like closure (an IIFE
 * or factory such as lodash's `runInContext`) whose functions are indexed like a module's.
 */
const MIN_CLOSURE_FUNCTIONS = 5;

interface Context {
  file: string;
  source: string;
  lines: LineIndex;
  comments: Comment[];
  out: ExtractedFile;
  /** Names a `export { ... }` list exports without a declaration of its own. */
  listed: Set<string>;
  /** Symbols declared by an overload signature, waiting for their implementation. */
  overloads: Set<CodeSymbol>;
}

/**
 * Pure: the symbols, imports and exports of `source`. A file with a syntax error gives `{ error }`
 * (its line and the parser's message): the index leaves it out rather than index half a file.
 */
export function extractFile(file: string, source: string): ExtractedFile | { error: string } {
  const parsed = parseSource(file, source);
  const lines = new LineIndex(source);
  if (parsed.error !== undefined) {
    const at = parsed.errorOffset === undefined ? '' : `line ${lines.lineOf(parsed.errorOffset)}: `;
    return { error: `syntax error: ${at}${parsed.error}` };
  }
  const context: Context = {
    file,
    source,
    lines,
    comments: parsed.comments,
    out: { lines: lines.lineCount, symbols: [], imports: [], exports: [], exportAliases: [] },
    listed: new Set(),
    overloads: new Set(),
  };
  for (const statement of parsed.program.body as AstNode[]) visitStatement(context, statement);
  collectCalls(context, parsed.program);
  markListed(context);
  context.overloads.clear();
  addClosureFunctions(context, parsed.program);
  context.out.exports = [...new Set(context.out.exports)];
  return context.out;
}

function nameOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as { type?: string; name?: unknown; value?: unknown };
  if (n.type === 'PrivateIdentifier' && typeof n.name === 'string') return `#${n.name}`;
  if (typeof n.name === 'string') return n.name;
  if (typeof n.value === 'string' || typeof n.value === 'number') return String(n.value);
  return undefined;
}

function literalString(node: unknown): string | undefined {
  const n = node as { type?: string; value?: unknown } | null | undefined;
  return n?.type === 'Literal' && typeof n.value === 'string' ? n.value : undefined;
}

function visitStatement(context: Context, statement: AstNode): void {
  const { out } = context;
  switch (statement.type) {
    case 'ImportDeclaration':
      out.imports.push(importOf(statement));
      return;
    case 'ExportNamedDeclaration': {
      const declaration = statement['declaration'] as AstNode | null;
      if (declaration) {
        declare(context, declaration, statement, true);
        return;
      }
      const specifiers = statement['specifiers'] as AstNode[];
      const from = literalString(statement['source']);
      const names = specifiers.map((s) => ({
        imported: nameOf(s['local']) ?? 'default',
        local: nameOf(s['exported']) ?? 'default',
      }));
      for (const { imported, local } of names) {
        out.exports.push(local);
        if (from !== undefined) continue;
        context.listed.add(imported);
        if (imported !== local) out.exportAliases.push({ exported: local, local: imported });
      }
      if (from !== undefined)
        out.imports.push({ specifier: from, names, typeOnly: statement['exportKind'] === 'type' });
      return;
    }
    case 'ExportDefaultDeclaration': {
      out.exports.push('default');
      const declaration = statement['declaration'] as AstNode;
      if (declaration.type === 'Identifier') {
        const local = nameOf(declaration)!;
        context.listed.add(local);
        out.exportAliases.push({ exported: 'default', local });
        return;
      }
      const name = declare(context, declaration, statement, true, 'default');
      if (name !== undefined && name !== 'default')
        out.exportAliases.push({ exported: 'default', local: name });
      return;
    }
    case 'ExportAllDeclaration': {
      const from = literalString(statement['source']);
      const exported = nameOf(statement['exported']);
      if (exported !== undefined) out.exports.push(exported);
      if (from !== undefined)
        out.imports.push({
          specifier: from,
          names: [{ imported: '*', local: exported ?? '*' }],
          typeOnly: statement['exportKind'] === 'type',
        });
      return;
    }
    case 'ExpressionStatement':
      commonJsExport(context, statement['expression'] as AstNode);
      return;
    default:
      declare(context, statement, statement, false);
  }
}

/** `exports.a = b`, `module.exports.a = b`, `module.exports = b` and `= { a, b: c }`. */
function commonJsExport(context: Context, expression: AstNode): void {
  if (expression.type !== 'AssignmentExpression') return;
  const target = memberPath(expression['left'] as AstNode);
  const value = expression['right'] as AstNode;
  let exported: string | undefined;
  if (target.length === 2 && target[0] === 'module' && target[1] === 'exports') {
    if (value.type === 'ObjectExpression') {
      for (const property of value['properties'] as AstNode[]) {
        if (property.type !== 'Property') continue;
        const name = nameOf(property['key']);
        const local =
          (property['value'] as AstNode).type === 'Identifier'
            ? nameOf(property['value'])
            : undefined;
        if (name !== undefined) exportName(context, name, local);
      }
      return;
    }
    exported = 'default';
  } else if (target.length === 2 && target[0] === 'exports') exported = target[1];
  else if (target.length === 3 && target[0] === 'module' && target[1] === 'exports')
    exported = target[2];
  if (exported === undefined) return;
  if (value.type === 'Identifier') exportName(context, exported, nameOf(value));
  else if (
    value.type === 'FunctionExpression' ||
    value.type === 'ArrowFunctionExpression' ||
    value.type === 'ClassExpression'
  ) {
    const name = declare(context, value, expression, true, exported);
    if (name !== undefined && name !== exported)
      context.out.exportAliases.push({ exported, local: name });
  } else context.out.exports.push(exported);
}

function exportName(context: Context, exported: string, local: string | undefined): void {
  context.out.exports.push(exported);
  if (local === undefined) return;
  context.listed.add(local);
  if (local !== exported) context.out.exportAliases.push({ exported, local });
}

/** `a.b.c` as ['a', 'b', 'c']; [] for anything else. */
function memberPath(node: AstNode): string[] {
  if (node.type === 'Identifier') return [nameOf(node)!];
  if (node.type !== 'MemberExpression' || node['computed'] === true) return [];
  const object = memberPath(node['object'] as AstNode);
  const property = nameOf(node['property']);
  return object.length === 0 || property === undefined ? [] : [...object, property];
}

function importOf(statement: AstNode): FileImport {
  const specifiers = (statement['specifiers'] as AstNode[] | null) ?? [];
  const names = specifiers.map((s) => ({
    imported:
      s.type === 'ImportDefaultSpecifier'
        ? 'default'
        : s.type === 'ImportNamespaceSpecifier'
          ? '*'
          : (nameOf(s['imported']) ?? 'default'),
    local: nameOf(s['local']) ?? '',
  }));
  const typeOnly =
    statement['importKind'] === 'type' ||
    (specifiers.length > 0 && specifiers.every((s) => s['importKind'] === 'type'));
  return { specifier: literalString(statement['source']) ?? '', names, typeOnly };
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
]);

/** `(x)` as `x`: oxc keeps parentheses as nodes. */
function unwrap(node: AstNode | null | undefined): AstNode | undefined {
  let at = node ?? undefined;
  while (at?.type === 'ParenthesizedExpression') at = at['expression'] as AstNode;
  return at;
}

/** The functions a statement of a function body declares: `function f`, `const f = () => ...`. */
function declaredFunctions(
  statement: AstNode,
): { name: string; fn: AstNode; declarator?: AstNode }[] {
  if (statement.type === 'FunctionDeclaration') {
    const name = nameOf(statement['id']);
    return name === undefined ? [] : [{ name, fn: statement }];
  }
  if (statement.type !== 'VariableDeclaration') return [];
  const found: { name: string; fn: AstNode; declarator?: AstNode }[] = [];
  for (const declarator of statement['declarations'] as AstNode[]) {
    const init = unwrap(declarator['init'] as AstNode | null);
    const id = declarator['id'] as AstNode;
    if (id.type !== 'Identifier' || init === undefined || !FUNCTION_TYPES.has(init.type)) continue;
    if (init.type === 'FunctionDeclaration') continue;
    found.push({ name: nameOf(id)!, fn: init, declarator });
  }
  return found;
}

/**
 * The named functions declared directly in the body of a module-like closure (a function whose
 * body declares at least MIN_CLOSURE_FUNCTIONS of them: an IIFE, a UMD wrapper, lodash's
 * `runInContext`), by their plain name, as a module's would be; not exported, since what a closure
 * returns is not followed. An ordinary function's few local helpers stay out of the index.
 */
function addClosureFunctions(context: Context, program: AstNode): void {
  walk(program, {
    enter: (node) => {
      if (!FUNCTION_TYPES.has(node.type)) return;
      const body = node['body'] as AstNode | null;
      if (body?.type !== 'BlockStatement' && body?.type !== 'FunctionBody') return;
      const statements = body['body'] as AstNode[];
      const declared = statements.map((s) => ({ statement: s, fns: declaredFunctions(s) }));
      if (declared.reduce((n, d) => n + d.fns.length, 0) < MIN_CLOSURE_FUNCTIONS) return;
      for (const { statement, fns } of declared) {
        const single = fns.length === 1;
        for (const { name, fn, declarator } of fns)
          addFunction(
            context,
            fn,
            declarator === undefined || !single ? (declarator ?? fn) : statement,
            name,
            false,
            declarator,
          );
      }
    },
  });
}

/** `require('x')` and `import('x')` of a literal, anywhere in the file. */
function collectCalls(context: Context, program: AstNode): void {
  walk(program, {
    enter: (node, parent) => {
      let specifier: string | undefined;
      if (node.type === 'ImportExpression') specifier = literalString(node['source']);
      else if (node.type === 'CallExpression') {
        const callee = node['callee'] as AstNode;
        const args = node['arguments'] as AstNode[];
        if (callee.type === 'Identifier' && callee['name'] === 'require' && args.length === 1)
          specifier = literalString(args[0]);
      }
      if (specifier === undefined) return;
      context.out.imports.push({
        specifier,
        names: bindingsOf(parent),
        typeOnly: false,
      });
    },
  });
}

/** What `const x = require(...)` / `const { a, b: c } = require(...)` binds. */
function bindingsOf(parent: AstNode | undefined): FileImport['names'] {
  if (parent?.type !== 'VariableDeclarator') return [];
  const id = parent['id'] as AstNode;
  if (id.type === 'Identifier') return [{ imported: '*', local: nameOf(id)! }];
  if (id.type !== 'ObjectPattern') return [];
  const names: FileImport['names'] = [];
  for (const property of id['properties'] as AstNode[]) {
    if (property.type !== 'Property') continue;
    const imported = nameOf(property['key']);
    const local = nameOf(property['value']);
    if (imported !== undefined && local !== undefined) names.push({ imported, local });
  }
  return names;
}

/** `export { a }` exports `a` declared elsewhere in the file: it and its public members. */
function markListed(context: Context): void {
  if (context.listed.size === 0) return;
  const owners = new Set<string>();
  for (const symbol of context.out.symbols) {
    if (symbol.name === symbol.qualifiedName && context.listed.has(symbol.name)) {
      symbol.exported = true;
      if (symbol.kind === 'class') owners.add(symbol.name);
    }
  }
  for (const symbol of context.out.symbols) {
    const owner = symbol.qualifiedName.slice(0, symbol.qualifiedName.lastIndexOf('.'));
    if (symbol.kind === 'method' && owners.has(owner) && isPublicName(symbol.name))
      symbol.exported = true;
  }
}

function isPublicName(name: string): boolean {
  return !name.startsWith('#');
}

/**
 * Adds the symbols `node` declares (`outer` is the statement around it: `export ...`, whose text
 * and doc comment belong to the declaration). Returns the declared name, if one.
 */
function declare(
  context: Context,
  node: AstNode,
  outer: AstNode,
  exported: boolean,
  fallbackName?: string,
): string | undefined {
  const { out } = context;
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'TSDeclareFunction':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': {
      const name = nameOf(node['id']) ?? fallbackName;
      if (name === undefined) return undefined;
      if (exported) out.exports.push(fallbackName ?? name);
      addFunction(context, node, outer, name, exported);
      return name;
    }
    case 'ClassDeclaration':
    case 'ClassExpression': {
      const name = nameOf(node['id']) ?? fallbackName;
      if (name === undefined) return undefined;
      if (exported) out.exports.push(fallbackName ?? name);
      addClass(context, node, outer, name, exported);
      return name;
    }
    case 'TSInterfaceDeclaration':
    case 'TSEnumDeclaration':
    case 'TSTypeAliasDeclaration': {
      const name = nameOf(node['id'])!;
      if (exported) out.exports.push(name);
      const kind: SymbolKind =
        node.type === 'TSInterfaceDeclaration'
          ? 'interface'
          : node.type === 'TSEnumDeclaration'
            ? 'enum'
            : 'type';
      const body = node.type === 'TSTypeAliasDeclaration' ? undefined : (node['body'] as AstNode);
      add(context, {
        node,
        outer,
        name,
        qualifiedName: name,
        kind,
        exported,
        bodyStart: body?.start,
      });
      return name;
    }
    case 'VariableDeclaration':
      for (const declarator of node['declarations'] as AstNode[])
        addVariable(context, declarator, node === outer ? node : outer, node, exported);
      return undefined;
    default:
      return undefined;
  }
}

function addVariable(
  context: Context,
  declarator: AstNode,
  outer: AstNode,
  declaration: AstNode,
  exported: boolean,
): void {
  const name = nameOf(declarator['id']);
  if (name === undefined || (declarator['id'] as AstNode).type !== 'Identifier') return;
  if (exported) context.out.exports.push(name);
  const init = declarator['init'] as AstNode | null;
  const single = (declaration['declarations'] as AstNode[]).length === 1;
  const around = single ? outer : declarator;
  if (init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) {
    addFunction(context, init, around, name, exported, declarator);
    return;
  }
  if (init && init.type === 'ClassExpression') {
    addClass(context, init, around, name, exported);
    return;
  }
  if (!exported) return;
  add(context, {
    node: declarator,
    outer: around,
    name,
    qualifiedName: name,
    kind: 'variable',
    exported,
    firstLineOnly: true,
  });
  if (init?.type === 'ObjectExpression') addObjectMethods(context, init, name);
}

/** Methods of an exported object literal (`export const api = { get() {...}, put: () => ... }`). */
function addObjectMethods(context: Context, object: AstNode, owner: string): void {
  for (const property of object['properties'] as AstNode[]) {
    if (property.type !== 'Property' || property['computed'] === true) continue;
    const value = property['value'] as AstNode;
    if (value.type !== 'FunctionExpression' && value.type !== 'ArrowFunctionExpression') continue;
    const name = nameOf(property['key']);
    if (name === undefined) continue;
    add(context, {
      node: property,
      outer: property,
      name,
      qualifiedName: `${owner}.${name}`,
      kind: 'method',
      exported: true,
      bodyStart: (value['body'] as AstNode).start,
    });
  }
}

function addFunction(
  context: Context,
  fn: AstNode,
  outer: AstNode,
  name: string,
  exported: boolean,
  declarator?: AstNode,
): void {
  const body = fn['body'] as AstNode | null;
  const previous = context.out.symbols[context.out.symbols.length - 1];
  // Overloads: one symbol from the first signature to the implementation.
  if (
    previous?.kind === 'function' &&
    previous.name === name &&
    previous.qualifiedName === name &&
    context.overloads.has(previous)
  ) {
    context.overloads.delete(previous);
    previous.endLine = context.lines.lineOf(Math.max(outer.start, outer.end - 1));
    previous.references = referencesOf(fn, name);
    if (fn.type === 'TSDeclareFunction') context.overloads.add(previous);
    return;
  }
  const symbol = add(context, {
    node: declarator ?? fn,
    outer,
    name,
    qualifiedName: name,
    kind: 'function',
    exported,
    bodyStart: body?.start,
    walkNode: fn,
  });
  if (fn.type === 'TSDeclareFunction') context.overloads.add(symbol);
}

function addClass(
  context: Context,
  node: AstNode,
  outer: AstNode,
  name: string,
  exported: boolean,
): void {
  const body = node['body'] as AstNode;
  add(context, {
    node,
    outer,
    name,
    qualifiedName: name,
    kind: 'class',
    exported,
    bodyStart: body.start,
  });
  for (const member of body['body'] as AstNode[]) {
    const isMethod =
      member.type === 'MethodDefinition' || member.type === 'TSAbstractMethodDefinition';
    const value = member['value'] as AstNode | null;
    const isArrowProperty =
      (member.type === 'PropertyDefinition' || member.type === 'AccessorProperty') &&
      value !== null &&
      (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression');
    if (!isMethod && !isArrowProperty) continue;
    if (member['computed'] === true && (member['key'] as AstNode).type !== 'Identifier') continue;
    const memberName = nameOf(member['key']);
    if (memberName === undefined || value === null) continue;
    const hidden =
      !isPublicName(memberName) ||
      member['accessibility'] === 'private' ||
      member['accessibility'] === 'protected';
    const fnBody = value['body'] as AstNode | null;
    add(context, {
      node: member,
      outer: member,
      name: memberName,
      qualifiedName: `${name}.${memberName}`,
      kind: 'method',
      exported: exported && !hidden,
      bodyStart: fnBody?.start,
    });
  }
}

interface Declared {
  node: AstNode;
  outer: AstNode;
  name: string;
  qualifiedName: string;
  kind: SymbolKind;
  exported: boolean;
  /** Where the signature stops; the whole declaration when undefined. */
  bodyStart?: number | undefined;
  firstLineOnly?: boolean;
  /** The node whose identifiers are the references (default `node`). */
  walkNode?: AstNode;
}

function add(context: Context, d: Declared): CodeSymbol {
  const { source, lines } = context;
  // Decorators written before `export` belong to the declaration and stand before its start.
  const decorators = (d.node['decorators'] as AstNode[] | undefined) ?? [];
  const start = Math.min(d.outer.start, decorators[0]?.start ?? d.outer.start);
  const end = Math.max(start, d.outer.end - 1);
  let text = source.slice(start, d.bodyStart ?? d.outer.end);
  if (d.firstLineOnly) text = text.split('\n')[0]!;
  const symbol: CodeSymbol = {
    file: context.file,
    name: d.name,
    qualifiedName: d.qualifiedName,
    kind: d.kind,
    exported: d.exported,
    signature: oneLine(text),
    doc: docBefore(context, start),
    startLine: lines.lineOf(start),
    endLine: lines.lineOf(end),
    references: referencesOf(d.walkNode ?? d.node, d.name),
  };
  context.out.symbols.push(symbol);
  return symbol;
}

/** Pure: a declaration's text on one line, at most 240 characters. */
export function oneLine(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*[{=]$/, '')
    .trimEnd();
  return flat.length <= MAX_SIGNATURE ? flat : `${flat.slice(0, MAX_SIGNATURE - 1)}…`;
}

function referencesOf(node: AstNode, own: string): string[] {
  const seen = new Set<string>();
  walk(node, {
    enter: (n) => {
      if (seen.size >= MAX_REFERENCES) return false;
      if (n.type === 'Identifier' || n.type === 'JSXIdentifier') {
        const name = n['name'];
        if (typeof name === 'string' && name !== own) seen.add(name);
      }
      return undefined;
    },
  });
  return [...seen];
}

/** Line comments that are tool directives, not documentation. */
const DIRECTIVE = /^\s*(?:eslint-|@ts-|prettier-ignore|istanbul |c8 |v8 |#region|#endregion)/;

/**
 * The doc comment right before `offset` (nothing but spaces and one line break between): a
 * `/** ... *\/` block, or a run of `//` lines; '' when there is none.
 */
function docBefore(context: Context, offset: number): string {
  const { comments, source } = context;
  let lo = 0;
  let hi = comments.length - 1;
  let index = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid]!.end <= offset) {
      index = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (index < 0) return '';
  const last = comments[index]!;
  // A `/** */` block may stand one blank line above; `//` lines must touch the declaration.
  if (last.type === 'Block')
    return last.value.startsWith('*') && adjacent(source, last.end, offset, 2)
      ? jsdocText(last.value)
      : '';
  if (!adjacent(source, last.end, offset)) return '';
  const run: string[] = [];
  for (let i = index; i >= 0; i--) {
    const comment = comments[i]!;
    if (comment.type !== 'Line') break;
    if (i < index && !adjacent(source, comment.end, comments[i + 1]!.start)) break;
    run.unshift(comment.value);
  }
  return run
    .filter((line) => !DIRECTIVE.test(line))
    .map((line) => line.replace(/^\/?\s?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** Nothing but white space, with at most `breaks` line breaks, between `from` and `to`. */
function adjacent(source: string, from: number, to: number, breaks = 1): boolean {
  const gap = source.slice(from, to);
  return /^\s*$/.test(gap) && gap.split('\n').length <= breaks + 1;
}

/** Pure: a `/** ... *\/` comment's text without its markers (the comment's value, as oxc gives it). */
export function jsdocText(value: string): string {
  return value
    .replace(/^\*+/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*(?!\/) ?/, '').trimEnd())
    .join('\n')
    .trim();
}
