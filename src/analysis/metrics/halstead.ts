/**
 * Halstead measures, read off the AST rather than the token stream. Each node is one token:
 * - operands are identifiers (including property keys and JSX names), `#private` names, literals
 *   (keyed by their raw text, so `1` and `'1'` differ), non-empty template text, `this` and `super`;
 * - structural wrappers are not counted: program, blocks, expression statements, `?.` chains,
 *   JSX containers and tags, enum and namespace bodies, and all type-only TypeScript syntax;
 * - every other node is an operator, keyed by its type plus its operator or kind where it has one,
 *   so `a + b` and `a - b` use different operators, as do `let` and `const`, `x.y` and `x[y]`, and
 *   unary and binary `-`; a variable declarator with an initialiser is the operator `=`.
 * A function's measures cover its own code; nested functions have theirs. The file's cover all.
 */
import type { AstNode } from '../ast.js';
import type { HalsteadMetrics } from '../../core/index.js';
import {
  FUNCTION,
  HALSTEAD_SKIP,
  PROPERTY,
  TYPE_ONLY,
  type NodeVisitor,
  type TypeInfo,
} from './traverse.js';

/** Operator ids are unique across types and variants, and shared by all files. */
let nextOperatorId = 0;
/** A variable declarator with an initialiser: the operator `=`. */
const DECLARATOR_ASSIGNMENT = nextOperatorId++;

function operatorId(info: TypeInfo, variant: string): number {
  let id = info.operatorIds.get(variant);
  if (id === undefined) info.operatorIds.set(variant, (id = nextOperatorId++));
  return id;
}

function operatorVariant(node: AstNode, info: TypeInfo): string {
  switch (info.type) {
    case 'VariableDeclaration':
      return String(node.kind);
    case 'MemberExpression':
      if (node.optional === true) return node.computed === true ? '?.[]' : '?.';
      return node.computed === true ? '[]' : '.';
    case 'CallExpression':
      return node.optional === true ? '?.' : '';
    default:
      return typeof node.operator === 'string' ? node.operator : '';
  }
}

/**
 * Classifies a node: an operand's text (a string), an operator's id (a number), or `undefined`
 * when the node is not counted. Operand texts cannot collide across kinds: literals keep their
 * quotes, private names their `#`, template text its backquote.
 */
export function halsteadToken(
  node: AstNode,
  info: TypeInfo,
  parent: AstNode | undefined,
  parentKind: number,
): string | number | undefined {
  if ((info.kind & (HALSTEAD_SKIP | TYPE_ONLY)) !== 0) return undefined;
  switch (info.type) {
    case 'Identifier':
    case 'JSXIdentifier':
      // `{ a }` holds `a` twice, as key and value: count it once.
      if ((parentKind & PROPERTY) !== 0 && parent!.shorthand === true && parent!.key === node) {
        return undefined;
      }
      return String(node.name);
    case 'PrivateIdentifier':
      return `#${String(node.name)}`;
    case 'Literal':
      return typeof node.raw === 'string' ? node.raw : String(node.value);
    case 'TemplateElement': {
      const raw = (node.value as { raw?: unknown } | undefined)?.raw;
      return typeof raw === 'string' && raw !== '' ? `\`${raw}\`` : undefined;
    }
    case 'JSXText': {
      const text = typeof node.value === 'string' ? node.value.trim() : '';
      return text === '' ? undefined : text;
    }
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'VariableDeclarator':
      return node.init ? DECLARATOR_ASSIGNMENT : undefined;
    default:
      return operatorId(info, operatorVariant(node, info));
  }
}

/** Token counts of one scope. */
export class HalsteadTally {
  private readonly operators = new Set<number>();
  private readonly operands = new Set<string>();
  private totalOperators = 0;
  private totalOperands = 0;

  add(token: string | number): void {
    if (typeof token === 'number') {
      this.operators.add(token);
      this.totalOperators++;
    } else {
      this.operands.add(token);
      this.totalOperands++;
    }
  }

  metrics(): HalsteadMetrics {
    return halsteadMetrics(
      this.operators.size,
      this.operands.size,
      this.totalOperators,
      this.totalOperands,
    );
  }
}

/** Volume = N log2 n, difficulty = n1/2 * N2/n2, effort = D * V; 0 where undefined. */
export function halsteadMetrics(
  distinctOperators: number,
  distinctOperands: number,
  totalOperators: number,
  totalOperands: number,
): HalsteadMetrics {
  const vocabulary = distinctOperators + distinctOperands;
  const length = totalOperators + totalOperands;
  const volume = vocabulary > 0 ? length * Math.log2(vocabulary) : 0;
  const difficulty =
    distinctOperands > 0 ? (distinctOperators / 2) * (totalOperands / distinctOperands) : 0;
  return {
    distinctOperators,
    distinctOperands,
    totalOperators,
    totalOperands,
    volume: round2(volume),
    difficulty: round2(difficulty),
    effort: round2(difficulty * volume),
  };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export class HalsteadCounter implements NodeVisitor {
  readonly byFunction = new Map<AstNode, HalsteadMetrics>();
  readonly file = new HalsteadTally();
  private readonly open: HalsteadTally[] = [];

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    if ((info.kind & FUNCTION) !== 0) this.open.push(new HalsteadTally());
    const token = halsteadToken(node, info, parent, parentKind);
    if (token === undefined) return;
    this.file.add(token);
    this.open[this.open.length - 1]?.add(token);
  }

  leave(node: AstNode, info: TypeInfo): void {
    if ((info.kind & FUNCTION) === 0) return;
    const tally = this.open.pop();
    if (tally) this.byFunction.set(node, tally.metrics());
  }
}
