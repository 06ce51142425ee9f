import type { Comment } from 'oxc-parser';
import { visitorKeys } from 'oxc-parser';
import { childrenOf, isFunction, isNode, type AstNode } from '../ast.js';

/** Shared, allocation-light helpers for rules. Not a rule itself. */

/** A child node stored under `key`, if any. */
export function field(node: AstNode | null | undefined, key: string): AstNode | undefined {
  if (!node) return undefined;
  const value = node[key];
  return isNode(value) ? value : undefined;
}

/** A list of child nodes stored under `key`; holes (as in `[a, , b]`) stay `null`. */
export function list(node: AstNode | null | undefined, key: string): readonly (AstNode | null)[] {
  if (!node) return [];
  const value = node[key];
  return Array.isArray(value) ? (value as (AstNode | null)[]) : [];
}

/** Like `list`, without holes. */
export function nodes(node: AstNode | null | undefined, key: string): AstNode[] {
  return list(node, key).filter((n): n is AstNode => n !== null);
}

export function str(node: AstNode | null | undefined, key: string): string | undefined {
  const value = node?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function flag(node: AstNode | null | undefined, key: string): boolean {
  return node?.[key] === true;
}

export function isType(node: AstNode | null | undefined, type: string): boolean {
  return node?.type === type;
}

/** `Identifier` nodes, optionally with a given name. */
export function isIdentifier(node: AstNode | null | undefined, name?: string): boolean {
  return node?.type === 'Identifier' && (name === undefined || node.name === name);
}

export function identifierName(node: AstNode | null | undefined): string | undefined {
  return node?.type === 'Identifier' ? (node.name as string) : undefined;
}

export function isLiteral(node: AstNode | null | undefined): boolean {
  return node?.type === 'Literal';
}

export function isStringLiteral(node: AstNode | null | undefined): boolean {
  return node?.type === 'Literal' && typeof node.value === 'string';
}

export function isBooleanLiteral(node: AstNode | null | undefined): boolean {
  return node?.type === 'Literal' && typeof node.value === 'boolean';
}

/** String literals and template literals without substitutions. */
export function staticString(node: AstNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && list(node, 'expressions').length === 0) {
    const quasi = list(node, 'quasis')[0];
    const cooked = (quasi?.value as { cooked?: unknown } | undefined)?.cooked;
    return typeof cooked === 'string' ? cooked : undefined;
  }
  return undefined;
}

/** The name of a non-computed or literal property key (`a`, `'a'`, `1`, `#a`). */
export function staticKey(owner: AstNode): string | undefined {
  const key = field(owner, 'key');
  if (!key) return undefined;
  if (!owner.computed) {
    if (key.type === 'Identifier') return key.name as string;
    if (key.type === 'PrivateIdentifier') return `#${key.name as string}`;
  }
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  const template = staticString(key);
  return template;
}

export function textOf(source: string, node: AstNode): string {
  return source.slice(node.start, node.end);
}

function isSpace(code: number): boolean {
  return (
    code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0 || code === 0xfeff
  );
}

/** Offset of the previous non-blank character before `offset`, or -1. */
export function previousToken(source: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && isSpace(source.charCodeAt(i))) i--;
  return i;
}

/** Offset of the next non-blank character at or after `offset`, or `source.length`. */
export function nextToken(source: string, offset: number): number {
  let i = offset;
  while (i < source.length && isSpace(source.charCodeAt(i))) i++;
  return i;
}

/**
 * How many pairs of parentheses directly wrap a node. oxc drops `ParenthesizedExpression`, so this
 * reads the text around the node. Statement parentheses (`if (...)`) count too.
 */
export function parenthesesAround(source: string, node: AstNode, limit = 3): number {
  let count = 0;
  let before = node.start;
  let after = node.end;
  while (count < limit) {
    const open = previousToken(source, before);
    const close = nextToken(source, after);
    if (open < 0 || source[open] !== '(' || source[close] !== ')') break;
    count++;
    before = open;
    after = close + 1;
  }
  return count;
}

/** Offset of an operator token between two nodes (`==` in `a == b`). */
export function operatorRange(
  source: string,
  left: AstNode,
  right: AstNode,
  operator: string,
): { start: number; end: number } {
  const at = source.indexOf(operator, left.end);
  if (at >= 0 && at < right.start) return { start: at, end: at + operator.length };
  return { start: left.start, end: right.end };
}

const SCALAR_KEYS = [
  'name',
  'operator',
  'raw',
  'computed',
  'optional',
  'prefix',
  'kind',
  'static',
  'async',
  'generator',
  'shorthand',
  'method',
  'delegate',
] as const;

/**
 * A string that is equal for two nodes exactly when they have the same structure, ignoring
 * positions, whitespace, comments and parentheses. Iterative, so deep expressions are safe.
 */
export function structureKey(root: AstNode): string {
  const parts: string[] = [];
  const stack: (AstNode | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    parts.push('(', item.type);
    for (const key of SCALAR_KEYS) {
      const value = item[key];
      if (value !== undefined && value !== null && typeof value !== 'object') {
        parts.push(` ${key}=${JSON.stringify(value)}`);
      }
    }
    if (item.type === 'TemplateElement') {
      parts.push(` raw=${JSON.stringify((item.value as { raw?: string }).raw ?? '')}`);
    }
    stack.push(')');
    const children = childrenOf(item);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return parts.join('');
}

/** Whether two scalar field values serialise alike in `structureKey` (absent when null or an object). */
function sameScalar(a: unknown, b: unknown): boolean {
  const hasA = a !== undefined && a !== null && typeof a !== 'object';
  const hasB = b !== undefined && b !== null && typeof b !== 'object';
  if (!hasA || !hasB) return hasA === hasB;
  if (a === b) return true;
  return typeof a === typeof b && JSON.stringify(a) === JSON.stringify(b);
}

function sameNode(a: AstNode, b: AstNode): boolean {
  if (a.type !== b.type) return false;
  for (const key of SCALAR_KEYS) if (!sameScalar(a[key], b[key])) return false;
  if (a.type === 'TemplateElement') {
    const rawA = (a.value as { raw?: string }).raw ?? '';
    const rawB = (b.value as { raw?: string }).raw ?? '';
    if (!sameScalar(rawA, rawB)) return false;
  }
  return true;
}

/** Appends the children `childrenOf` lists, in any fixed order; returns how many. */
function pushChildren(node: AstNode, stack: AstNode[]): number {
  const keys = visitorKeys[node.type];
  if (!keys) return 0;
  let count = 0;
  for (const key of keys) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (isNode(item)) {
          stack.push(item);
          count++;
        }
      }
    } else if (isNode(value)) {
      stack.push(value);
      count++;
    }
  }
  return count;
}

/**
 * Whether `structureKey(a) === structureKey(b)`, without serialising either: node by node, stopping
 * at the first difference. Iterative, so deep expressions are safe.
 */
export function sameStructure(a: AstNode, b: AstNode): boolean {
  if (a === b) return true;
  // Both stacks always have the same length, so children pair up by position.
  const left: AstNode[] = [a];
  const right: AstNode[] = [b];
  while (left.length > 0) {
    const x = left.pop()!;
    const y = right.pop()!;
    if (x === y) continue;
    if (!sameNode(x, y)) return false;
    if (pushChildren(x, left) !== pushChildren(y, right)) return false;
  }
  return true;
}

/** `structureKey` of a node without its children: equal for nodes of equal structure. */
function shallowKey(node: AstNode): string {
  let key = node.type;
  for (const name of SCALAR_KEYS) {
    const value = node[name];
    if (value !== undefined && value !== null && typeof value !== 'object') {
      key += ` ${name}=${JSON.stringify(value)}`;
    }
  }
  return key;
}

/** Past this many nodes with one shallow key, whole keys are cheaper than pairwise comparison. */
const MAX_PAIRWISE = 16;

/**
 * A set of nodes by structure, as `structureKey` sees it. Nodes are grouped by their root alone and
 * compared with `sameStructure` within a group, so most nodes are never serialised.
 */
export class StructureSet {
  private readonly groups = new Map<string, { nodes: AstNode[]; keys: Set<string> | undefined }>();

  /** Adds a node; true when a node of the same structure was added before. */
  add(node: AstNode): boolean {
    const shallow = shallowKey(node);
    const group = this.groups.get(shallow);
    if (!group) {
      this.groups.set(shallow, { nodes: [node], keys: undefined });
      return false;
    }
    if (group.keys) {
      const key = structureKey(node);
      if (group.keys.has(key)) return true;
      group.keys.add(key);
      return false;
    }
    for (const other of group.nodes) if (sameStructure(other, node)) return true;
    group.nodes.push(node);
    if (group.nodes.length > MAX_PAIRWISE) group.keys = new Set(group.nodes.map(structureKey));
    return false;
  }
}

/** Identifiers, `this`, and non-computed or literal member chains on them: reading them has no effects. */
export function isSimpleReference(node: AstNode): boolean {
  let current: AstNode | undefined = node;
  while (current) {
    if (current.type === 'Identifier' || current.type === 'ThisExpression') return true;
    if (current.type !== 'MemberExpression') return false;
    const property = field(current, 'property');
    if (current.computed && !isLiteral(property) && !isIdentifier(property)) return false;
    current = field(current, 'object');
  }
  return false;
}

const terminatesCache = new WeakMap<AstNode, boolean>();

/**
 * Whether control never continues past this statement: it ends in `return`, `throw`, `break` or
 * `continue` on every path. Loops and `switch` are treated as possibly continuing. Memoised for
 * the compound statements, the only ones whose answer takes more than a look at the type.
 */
export function terminates(statement: AstNode | null | undefined): boolean {
  if (!statement) return false;
  switch (statement.type) {
    case 'ReturnStatement':
    case 'ThrowStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return true;
    case 'BlockStatement':
    case 'IfStatement':
    case 'TryStatement':
      break;
    default:
      return false;
  }
  const cached = terminatesCache.get(statement);
  if (cached !== undefined) return cached;
  let result: boolean;
  if (statement.type === 'BlockStatement') {
    result = listTerminates(list(statement, 'body'));
  } else if (statement.type === 'IfStatement') {
    result =
      terminates(field(statement, 'consequent')) && terminates(field(statement, 'alternate'));
  } else {
    const handler = field(statement, 'handler');
    const finalizer = field(statement, 'finalizer');
    result =
      terminates(finalizer) ||
      (terminates(field(statement, 'block')) &&
        (handler === undefined || terminates(field(handler, 'body'))));
  }
  terminatesCache.set(statement, result);
  return result;
}

export function listTerminates(statements: readonly (AstNode | null)[]): boolean {
  for (const statement of statements) if (terminates(statement)) return true;
  return false;
}

/** Comments sorted by offset (oxc returns them in order); the first index with `start >= offset`. */
function firstCommentAtOrAfter(comments: readonly Comment[], offset: number): number {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Comments that lie entirely within `[start, end)`. */
export function commentsBetween(
  comments: readonly Comment[],
  start: number,
  end: number,
): Comment[] {
  const out: Comment[] = [];
  for (let i = firstCommentAtOrAfter(comments, start); i < comments.length; i++) {
    const comment = comments[i]!;
    if (comment.start >= end) break;
    if (comment.end <= end) out.push(comment);
  }
  return out;
}

export function hasCommentBetween(
  comments: readonly Comment[],
  start: number,
  end: number,
): boolean {
  const i = firstCommentAtOrAfter(comments, start);
  const comment = comments[i];
  return comment !== undefined && comment.start < end && comment.end <= end;
}

/** A readable name for a function node, given its parent. */
export function functionName(node: AstNode, parent: AstNode | undefined): string {
  const own = identifierName(field(node, 'id'));
  if (own) return own;
  if (parent) {
    if (
      (parent.type === 'MethodDefinition' ||
        parent.type === 'Property' ||
        parent.type === 'PropertyDefinition' ||
        parent.type === 'AccessorProperty') &&
      parent.value === node
    ) {
      return staticKey(parent) ?? '<computed>';
    }
    if (parent.type === 'VariableDeclarator' && parent.init === node) {
      return identifierName(field(parent, 'id')) ?? '<anonymous>';
    }
    if (parent.type === 'AssignmentExpression' && parent.right === node) {
      const left = field(parent, 'left');
      const name = left?.type === 'MemberExpression' ? field(left, 'property') : left;
      return identifierName(name) ?? '<anonymous>';
    }
  }
  return '<anonymous>';
}

/** The range to report for a function: its head, from the name (or keyword) to the body. */
export function functionHead(
  node: AstNode,
  parent: AstNode | undefined,
): { start: number; end: number } {
  let start = node.start;
  if (
    parent &&
    (parent.type === 'MethodDefinition' ||
      parent.type === 'Property' ||
      parent.type === 'PropertyDefinition' ||
      parent.type === 'AccessorProperty') &&
    parent.value === node
  ) {
    start = parent.start;
  }
  const body = field(node, 'body');
  const end = body && body.type === 'BlockStatement' ? body.start : node.end;
  return { start, end: Math.max(end, start) };
}

export { isFunction };

/** Shortens source text for messages. */
export function snippet(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
