/**
 * Cognitive complexity, computed the way eslint-plugin-sonarjs's `cognitive-complexity` rule (S3776,
 * SonarSource's own implementation for JS/TS) computes it. It is a port of that rule's visitor, run
 * on our single walk in the same order ESLint calls the rule's handlers (`*`, then `:function`, then
 * the node-type handlers on enter; `*:exit`, then `:function:exit` on leave).
 *
 * What counts, per function ("own" complexity, which is what sonarjs reports per function):
 * - `if`, loops (`for`, `for-in`, `for-of`, `while`, `do`), `switch`, `catch`, `?:`: +1 plus the
 *   current nesting level; they also nest their branches/bodies (each `case`, the `catch` body).
 * - `else if` and `else`: +1, no nesting penalty.
 * - `break`/`continue` to a label: +1.
 * - `&&`: +1 for each run of `&&` in a flattened logical expression tree.
 * - A nested function starts its own count at nesting 0; its complexity is not added to the
 *   enclosing function's number.
 *
 * Where the rule departs from SonarSource's white paper, we follow the rule:
 * - `||` and `??` never add complexity (the white paper counts every sequence of like operators,
 *   so `a && b || c` would be +2; here it is +1).
 * - A uniform chain of `&&`/`||`/`??` directly inside a JSX expression container
 *   (`{cond && <A />}`) adds nothing.
 * - Recursion is not counted (the white paper adds +1 per recursive call).
 * - Nested functions do not count toward the enclosing function's own number (the white paper
 *   folds lambdas into the enclosing method with a nesting increment). They do in the file total,
 *   below.
 * - Quirk kept for agreement: when a function is a branch of `?:` (or, in sloppy scripts, the body
 *   of an `if`), the enclosing function's nesting level stays one higher for the rest of its body,
 *   because the rule's nesting bookkeeping for that node enters one function and leaves another.
 *
 * File total (`fileComplexity`, the figure SonarQube shows for a file): code outside functions
 * counts with the global nesting level; each top-level function contributes its own complexity
 * plus that of its nested functions. When the top-level function has structural complexity itself
 * (and is not a React component: capitalised name and a `return <jsx/>`), its nested functions
 * are counted as nested (+1 on every structural increment inside them); otherwise they are counted
 * as if they were top-level functions.
 */
import type { AstNode } from '../ast.js';
import {
  child,
  COGNITIVE,
  FUNCTION,
  LOOP,
  NEST_PARENT,
  traverse,
  type NodeVisitor,
  type TypeInfo,
} from './traverse.js';

export class CognitiveCounter implements NodeVisitor {
  /** Own cognitive complexity of each function, keyed by its node. */
  readonly byFunction = new Map<AstNode, number>();
  /** Complexity of the whole file, as sonarjs reports it to SonarQube. */
  fileComplexity = 0;

  /** Enclosing control structures and (from the third level on) functions. */
  private nesting = 0;
  private readonly enclosing: AstNode[] = [];
  /** Per open function: own complexity and own control-flow nesting. */
  private readonly own: number[] = [];
  private readonly ownNesting: number[] = [];
  private readonly nestingNodes = new Set<AstNode>();
  private readonly consideredLogical = new Set<AstNode>();

  // State of the current top-level function, used for the file total only.
  private topHasStructural = false;
  private topOwn = 0;
  private topNameCapital = false;
  private topReturnsJsx = false;
  /** Summed over finished second-level functions: counted as nested, or as top-level. */
  private secondAsNested = 0;
  private secondAsTopLevel = 0;
  /** The current second-level function (with everything under it), both ways. */
  private currentAsNested = 0;
  private currentAsTopLevel = 0;

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    // Only a parent that nests its branches puts a node in `nestingNodes` before it is entered.
    if ((parentKind & NEST_PARENT) !== 0 && this.nestingNodes.has(node)) {
      this.nesting++;
      if (this.ownNesting.length > 0) this.ownNesting[this.ownNesting.length - 1]!++;
    }
    const kind = info.kind;
    if ((kind & FUNCTION) !== 0) {
      this.enterFunction(node, parent);
      return;
    }
    if ((kind & COGNITIVE) === 0) return;
    switch (info.type) {
      case 'IfStatement':
        this.visitIf(node, parent);
        break;
      case 'SwitchStatement':
        this.addStructural();
        for (const switchCase of node.cases as AstNode[]) this.nestingNodes.add(switchCase);
        break;
      case 'ContinueStatement':
      case 'BreakStatement':
        if (node.label) this.add();
        break;
      case 'CatchClause':
        this.addStructural();
        this.nest(child(node, 'body'));
        break;
      case 'ConditionalExpression':
        this.addStructural();
        this.nest(child(node, 'consequent'));
        this.nest(child(node, 'alternate'));
        break;
      case 'LogicalExpression':
        this.visitLogical(node, parent);
        break;
      case 'ReturnStatement': {
        const argument = child(node, 'argument');
        if (this.enclosing.length === 1 && argument && isJsx(argument)) this.topReturnsJsx = true;
        break;
      }
      default:
        if ((kind & LOOP) !== 0) {
          this.addStructural();
          this.nest(child(node, 'body'));
        }
    }
  }

  leave(node: AstNode, info: TypeInfo, _parent: AstNode | undefined, parentKind: number): void {
    const isFn = (info.kind & FUNCTION) !== 0;
    if (((parentKind & NEST_PARENT) !== 0 || isFn) && this.nestingNodes.delete(node)) {
      this.nesting--;
      if (this.ownNesting.length > 0) this.ownNesting[this.ownNesting.length - 1]!--;
    }
    if (isFn) this.leaveFunction(node);
  }

  private enterFunction(node: AstNode, parent: AstNode | undefined): void {
    const depth = this.enclosing.length;
    if (depth === 0) {
      this.topHasStructural = false;
      this.topNameCapital = nameStartsWithCapital(node, parent);
      this.topReturnsJsx = false;
      this.topOwn = 0;
      this.secondAsNested = 0;
      this.secondAsTopLevel = 0;
    } else if (depth === 1) {
      this.currentAsNested = 0;
      this.currentAsTopLevel = 0;
    } else {
      this.nesting++;
      this.nestingNodes.add(node);
    }
    this.enclosing.push(node);
    this.own.push(0);
    this.ownNesting.push(0);
  }

  private leaveFunction(node: AstNode): void {
    const complexity = this.own.pop() ?? 0;
    this.ownNesting.pop();
    this.enclosing.pop();
    const depth = this.enclosing.length;
    if (depth === 0) {
      const isReactComponent = this.topNameCapital && this.topReturnsJsx;
      this.fileComplexity +=
        this.topOwn +
        (this.topHasStructural && !isReactComponent ? this.secondAsNested : this.secondAsTopLevel);
    } else if (depth === 1) {
      this.secondAsNested += this.currentAsNested;
      this.secondAsTopLevel += this.currentAsTopLevel;
    }
    this.byFunction.set(node, complexity);
  }

  private visitIf(node: AstNode, parent: AstNode | undefined): void {
    if (parent?.type === 'IfStatement' && parent.alternate === node) this.add();
    else this.addStructural();
    this.nest(child(node, 'consequent'));
    const alternate = child(node, 'alternate');
    if (alternate && alternate.type !== 'IfStatement') {
      this.nest(alternate);
      this.add();
    }
  }

  private visitLogical(node: AstNode, parent: AstNode | undefined): void {
    if (parent?.type === 'JSXExpressionContainer') {
      const uniform = uniformChain(node);
      if (uniform) {
        for (const member of uniform) if (member !== node) this.consideredLogical.add(member);
        return;
      }
    }
    if (this.consideredLogical.delete(node)) return;
    let previous: string | undefined;
    for (const current of flattenLogical(node)) {
      if (current !== node) this.consideredLogical.add(current);
      const operator = current.operator as string;
      if (operator === '&&' && previous !== '&&') this.add();
      previous = operator;
    }
  }

  private nest(node: AstNode | undefined): void {
    if (node) this.nestingNodes.add(node);
  }

  private addStructural(): void {
    const added = this.nesting + 1;
    const depth = this.enclosing.length;
    if (depth === 0) {
      this.fileComplexity += added;
    } else if (depth === 1) {
      this.topHasStructural = true;
      this.topOwn += added;
    } else {
      this.currentAsNested += added + 1;
      this.currentAsTopLevel += added;
    }
    const last = this.own.length - 1;
    if (last >= 0) this.own[last]! += this.ownNesting[last]! + 1;
  }

  private add(): void {
    const last = this.own.length - 1;
    if (last >= 0) this.own[last]!++;
    const depth = this.enclosing.length;
    if (depth === 0) {
      this.fileComplexity += 1;
    } else if (depth === 1) {
      this.topOwn += 1;
    } else {
      this.currentAsNested += 1;
      this.currentAsTopLevel += 1;
    }
  }
}

/** Own cognitive complexity of one function node (nested functions excluded), as sonarjs reports it. */
export function cognitiveComplexity(fn: AstNode): number {
  const counter = new CognitiveCounter();
  traverse(fn, counter);
  return counter.byFunction.get(fn) ?? 0;
}

function isJsx(node: AstNode): boolean {
  return node.type === 'JSXElement' || node.type === 'JSXFragment';
}

function isLogical(node: AstNode | undefined): node is AstNode {
  return node?.type === 'LogicalExpression';
}

/** The logical expressions of a tree of them, in source (in-order) order; iterative for deep chains. */
function flattenLogical(root: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const stack: AstNode[] = [];
  let current: AstNode | undefined = root;
  while (current || stack.length > 0) {
    while (current) {
      stack.push(current);
      const left = child(current, 'left');
      current = isLogical(left) ? left : undefined;
    }
    const top = stack.pop()!;
    out.push(top);
    const right = child(top, 'right');
    current = isLogical(right) ? right : undefined;
  }
  return out;
}

/**
 * The logical expressions of a chain that uses one operator only and holds no `?:` among its
 * operands (sonarjs's JSX short-circuit shape), or `undefined` when the chain is mixed.
 */
function uniformChain(root: AstNode): AstNode[] | undefined {
  const out: AstNode[] = [];
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ConditionalExpression') return undefined;
    if (node.type !== 'LogicalExpression') continue;
    if (node.operator !== root.operator) return undefined;
    out.push(node);
    const left = child(node, 'left');
    const right = child(node, 'right');
    if (right) stack.push(right);
    if (left) stack.push(left);
  }
  return out;
}

/** sonarjs's React-component test: note `_x` and `$x` count as capitalised, as in the rule. */
function nameStartsWithCapital(node: AstNode, parent: AstNode | undefined): boolean {
  const startsWithCapital = (name: unknown): boolean => {
    if (typeof name !== 'string') return false;
    const first = name.charAt(0);
    return first === first.toUpperCase();
  };
  const id = child(node, 'id');
  if (node.type !== 'ArrowFunctionExpression' && id) return startsWithCapital(id.name);
  const target = parent?.type === 'VariableDeclarator' ? child(parent, 'id') : undefined;
  return target?.type === 'Identifier' ? startsWithCapital(target.name) : false;
}
