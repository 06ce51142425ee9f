import { visitorKeys } from 'oxc-parser';
import type { Location } from '../core/index.js';

/** The shape every ESTree node from oxc-parser has; narrow with `node.type` and cast to oxc's types. */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export function isNode(value: unknown): value is AstNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { start?: unknown }).start === 'number'
  );
}

/** Children of a node in source order, as oxc's visitor keys define them. */
export function childrenOf(node: AstNode): AstNode[] {
  const keys = visitorKeys[node.type];
  const out: AstNode[] = [];
  if (!keys) return out;
  for (const key of keys) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

export interface WalkCallbacks {
  /** Return `false` to skip the node's children. */
  enter?: (node: AstNode, parent: AstNode | undefined) => void | boolean;
  leave?: (node: AstNode, parent: AstNode | undefined) => void;
}

const EXIT = 1;
const ENTER = 0;

/**
 * Depth-first walk of an ESTree, iterative so deep trees cannot overflow the stack. It runs several
 * times per file on every file, so it keeps one flat stack and allocates nothing per node.
 */
export function walk(root: AstNode, callbacks: WalkCallbacks): void {
  const { enter, leave } = callbacks;
  // Triples of (node, parent, ENTER | EXIT).
  const stack: unknown[] = [root, undefined, ENTER];
  while (stack.length > 0) {
    const phase = stack.pop() as number;
    const parent = stack.pop() as AstNode | undefined;
    const node = stack.pop() as AstNode;
    if (phase === EXIT) {
      leave!(node, parent);
      continue;
    }
    if (enter !== undefined && enter(node, parent) === false) {
      if (leave) leave(node, parent);
      continue;
    }
    if (leave) stack.push(node, parent, EXIT);
    const keys = visitorKeys[node.type];
    if (keys !== undefined) pushChildren(stack, node, keys, ENTER);
  }
}

/**
 * Pushes the children of `node` under `keys` onto a walk's stack as triples (child, node, `tag`),
 * last child first, so that they are popped in source order.
 */
export function pushChildren(
  stack: unknown[],
  node: AstNode,
  keys: readonly string[],
  tag: unknown,
): void {
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = node[keys[k]!];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i] as AstNode | null;
        if (item !== null && typeof item === 'object' && typeof item.type === 'string')
          stack.push(item, node, tag);
      }
    } else if (typeof (value as AstNode).type === 'string') {
      stack.push(value, node, tag);
    }
  }
}

export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
]);

export function isFunction(node: AstNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

/** Maps offsets to 1-based lines and columns. */
export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset where a 1-based line starts; past the last line, infinity. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? Number.POSITIVE_INFINITY;
  }

  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1]! + 1;
  }

  location(start: number, end: number): Location {
    return {
      line: this.lineOf(start),
      column: this.columnOf(start),
      endLine: this.lineOf(end),
      endColumn: this.columnOf(end),
    };
  }
}
