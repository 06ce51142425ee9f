/**
 * Cyclomatic complexity with the semantics of ESLint 9's core `complexity` rule (classic variant):
 * 1 per function plus 1 for each `if`, `?:`, `&&`/`||`/`??`, `&&=`/`||=`/`??=`, loop (`for`,
 * `for-in`, `for-of`, `while`, `do`), `catch`, `case` with a test (not `default`), default value
 * (`AssignmentPattern`: parameters and destructuring) and optional call or member access (`?.`).
 *
 * Like ESLint's code paths, each function counts only its own code: nested functions, class field
 * initializers and `static {}` blocks are separate (the latter two are not functions, so what they
 * hold counts only toward the file, with code outside any function).
 */
import type { AstNode } from '../ast.js';
import {
  DECISION,
  FUNCTION,
  MAYBE_DECISION,
  PROPERTY_DEFINITION,
  STATIC_BLOCK,
  traverse,
  typeInfo,
  type NodeVisitor,
  type TypeInfo,
} from './traverse.js';

const LOGICAL_ASSIGNMENTS: ReadonlySet<unknown> = new Set(['&&=', '||=', '??=']);

/** Whether a node adds one path to the code around it. */
export function isDecisionPoint(node: AstNode, info: TypeInfo = typeInfo(node.type)): boolean {
  const kind = info.kind;
  if ((kind & DECISION) !== 0) return true;
  if ((kind & MAYBE_DECISION) === 0) return false;
  switch (info.type) {
    case 'SwitchCase':
      return node.test != null;
    case 'AssignmentExpression':
      return LOGICAL_ASSIGNMENTS.has(node.operator);
    default:
      // MemberExpression, CallExpression
      return node.optional === true;
  }
}

function isClassFieldValue(
  node: AstNode,
  parent: AstNode | undefined,
  parentKind: number,
): boolean {
  return (parentKind & PROPERTY_DEFINITION) !== 0 && parent!.value === node;
}

export class CyclomaticCounter implements NodeVisitor {
  /** Cyclomatic complexity of each function, keyed by its node. */
  readonly byFunction = new Map<AstNode, number>();
  /** Decision points outside any function: top-level code, class field initializers, static blocks. */
  outside = 0;
  /** One entry per open code path; `undefined` marks one that is not a function's. */
  private readonly paths: { fn: AstNode | undefined; complexity: number }[] = [];

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    if (isClassFieldValue(node, parent, parentKind)) {
      this.paths.push({ fn: undefined, complexity: 1 });
    }
    const kind = info.kind;
    if ((kind & FUNCTION) !== 0) this.paths.push({ fn: node, complexity: 1 });
    else if ((kind & STATIC_BLOCK) !== 0) this.paths.push({ fn: undefined, complexity: 1 });
    if (!isDecisionPoint(node, info)) return;
    const path = this.paths[this.paths.length - 1];
    if (path?.fn) path.complexity++;
    else this.outside++;
  }

  leave(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    const kind = info.kind;
    if ((kind & FUNCTION) !== 0) {
      const path = this.paths.pop();
      if (path) this.byFunction.set(node, path.complexity);
    } else if ((kind & STATIC_BLOCK) !== 0) {
      this.paths.pop();
    }
    if (isClassFieldValue(node, parent, parentKind)) this.paths.pop();
  }
}

/** Cyclomatic complexity of one function node, nested functions excluded, as ESLint reports it. */
export function cyclomaticComplexity(fn: AstNode): number {
  const counter = new CyclomaticCounter();
  traverse(fn, counter);
  return counter.byFunction.get(fn) ?? 1;
}
