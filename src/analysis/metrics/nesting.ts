/**
 * Maximum nesting depth of control structures, per function and for code outside functions: the
 * statements ESLint's `max-depth` counts (`if`, loops, `switch`, `try`, `with`), where an `else if`
 * stays at the depth of its chain. Each function starts again from 0.
 */
import { isFunction, type AstNode } from '../ast.js';
import type { NodeVisitor } from './traverse.js';

const NESTING_TYPES: ReadonlySet<string> = new Set([
  'IfStatement',
  'SwitchStatement',
  'TryStatement',
  'DoWhileStatement',
  'WhileStatement',
  'WithStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
]);

function nests(node: AstNode, parent: AstNode | undefined): boolean {
  if (!NESTING_TYPES.has(node.type)) return false;
  return !(
    node.type === 'IfStatement' &&
    parent?.type === 'IfStatement' &&
    parent.alternate === node
  );
}

interface Frame {
  depth: number;
  max: number;
}

export class NestingCounter implements NodeVisitor {
  readonly byFunction = new Map<AstNode, number>();
  /** Deepest nesting of code outside functions. */
  readonly outside: Frame = { depth: 0, max: 0 };
  private readonly open: Frame[] = [this.outside];

  enter(node: AstNode, parent: AstNode | undefined): void {
    if (isFunction(node)) {
      this.open.push({ depth: 0, max: 0 });
      return;
    }
    if (!nests(node, parent)) return;
    const frame = this.open[this.open.length - 1]!;
    frame.depth++;
    if (frame.depth > frame.max) frame.max = frame.depth;
  }

  leave(node: AstNode, parent: AstNode | undefined): void {
    if (isFunction(node)) {
      const frame = this.open.pop();
      if (frame) this.byFunction.set(node, frame.max);
    } else if (nests(node, parent)) {
      this.open[this.open.length - 1]!.depth--;
    }
  }
}
