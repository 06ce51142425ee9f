/**
 * Maximum nesting depth of control structures, per function and for code outside functions: the
 * statements ESLint's `max-depth` counts (`if`, loops, `switch`, `try`, `with`), where an `else if`
 * stays at the depth of its chain. Each function starts again from 0.
 */
import type { AstNode } from '../ast.js';
import { FUNCTION, IF, NESTING, type NodeVisitor, type TypeInfo } from './traverse.js';

function nests(
  node: AstNode,
  kind: number,
  parent: AstNode | undefined,
  parentKind: number,
): boolean {
  if ((kind & NESTING) === 0) return false;
  return !((kind & IF) !== 0 && (parentKind & IF) !== 0 && parent!.alternate === node);
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

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    const kind = info.kind;
    if ((kind & FUNCTION) !== 0) {
      this.open.push({ depth: 0, max: 0 });
      return;
    }
    if (!nests(node, kind, parent, parentKind)) return;
    const frame = this.open[this.open.length - 1]!;
    frame.depth++;
    if (frame.depth > frame.max) frame.max = frame.depth;
  }

  leave(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    const kind = info.kind;
    if ((kind & FUNCTION) !== 0) {
      const frame = this.open.pop();
      if (frame) this.byFunction.set(node, frame.max);
    } else if (nests(node, kind, parent, parentKind)) {
      this.open[this.open.length - 1]!.depth--;
    }
  }
}
