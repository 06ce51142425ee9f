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
import { isFunction, type AstNode } from '../ast.js';
import type { HalsteadMetrics } from '../../core/index.js';
import { isTypeOnly, type NodeVisitor } from './traverse.js';

const STRUCTURAL_TYPES: ReadonlySet<string> = new Set([
  'Program',
  'BlockStatement',
  'ExpressionStatement',
  'EmptyStatement',
  'ClassBody',
  'ChainExpression',
  'ParenthesizedExpression',
  'JSXExpressionContainer',
  'JSXEmptyExpression',
  'JSXOpeningElement',
  'JSXClosingElement',
  'JSXOpeningFragment',
  'JSXClosingFragment',
  'TSEnumBody',
  'TSModuleBlock',
]);

/** Operator ids by node type, then by variant (operator, kind, access form); shared by all files. */
const OPERATOR_IDS = new Map<string, Map<string, number>>();
let nextOperatorId = 0;

function operatorId(type: string, variant: string): number {
  let variants = OPERATOR_IDS.get(type);
  if (!variants) OPERATOR_IDS.set(type, (variants = new Map()));
  let id = variants.get(variant);
  if (id === undefined) variants.set(variant, (id = nextOperatorId++));
  return id;
}

function operatorVariant(node: AstNode): string {
  switch (node.type) {
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
  parent: AstNode | undefined,
): string | number | undefined {
  if (STRUCTURAL_TYPES.has(node.type) || isTypeOnly(node)) return undefined;
  switch (node.type) {
    case 'Identifier':
    case 'JSXIdentifier':
      // `{ a }` holds `a` twice, as key and value: count it once.
      if (parent?.type === 'Property' && parent.shorthand === true && parent.key === node) {
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
      return node.init ? operatorId('=', '') : undefined;
    default:
      return operatorId(node.type, operatorVariant(node));
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

  enter(node: AstNode, parent: AstNode | undefined): void {
    if (isFunction(node)) this.open.push(new HalsteadTally());
    const token = halsteadToken(node, parent);
    if (token === undefined) return;
    this.file.add(token);
    this.open[this.open.length - 1]?.add(token);
  }

  leave(node: AstNode): void {
    if (!isFunction(node)) return;
    const tally = this.open.pop();
    if (tally) this.byFunction.set(node, tally.metrics());
  }
}
