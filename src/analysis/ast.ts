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

/** Depth-first walk of an ESTree, iterative so deep trees cannot overflow the stack. */
export function walk(root: AstNode, callbacks: WalkCallbacks): void {
  const { enter, leave } = callbacks;
  type Frame = { node: AstNode; parent: AstNode | undefined; exiting: boolean };
  const stack: Frame[] = [{ node: root, parent: undefined, exiting: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.exiting) {
      leave?.(frame.node, frame.parent);
      continue;
    }
    const descend = enter?.(frame.node, frame.parent) !== false;
    if (leave) stack.push({ node: frame.node, parent: frame.parent, exiting: true });
    if (!descend) continue;
    const children = childrenOf(frame.node);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i]!, parent: frame.node, exiting: false });
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
